from django.urls import path

from .views import (
    applications,
    calls,
    decisions,
    eligibility,
    evaluation,
    form,
    overview,
    questions,
)

app_name = "grants"

urlpatterns = [
    # Public: calls and their deadlines (views/calls.py).
    path("", calls.call_list, name="calls"),
    path("deadlines.ics", calls.deadlines_ics, name="deadlines_ics"),
    path("calls/<slug:reference>/", calls.call_detail, name="call"),
    path("calls/<slug:reference>/overview/", overview.call_overview, name="overview"),
    # A call's documents and the questions about it (views/questions.py).
    path(
        "calls/<slug:reference>/documents/<int:pk>/",
        questions.call_document,
        name="call_document",
    ),
    path("calls/<slug:reference>/questions/ask/", questions.call_ask, name="call_ask"),
    path("calls/<slug:reference>/questions/", questions.call_questions, name="call_questions"),
    path(
        "calls/<slug:reference>/questions/<int:pk>/answer/",
        questions.call_question_answer,
        name="call_question_answer",
    ),
    path(
        "calls/<slug:reference>/questions/<int:pk>/unpublish/",
        questions.call_question_unpublish,
        name="call_question_unpublish",
    ),
    # The call's own application form and the answers to it (views/form.py).
    path("calls/<slug:reference>/form/", form.builder, name="form_builder"),
    path("form/sections/<int:pk>/", form.section_edit, name="form_section"),
    path("form/sections/<int:pk>/remove/", form.section_remove, name="form_section_remove"),
    path(
        "form/sections/<int:pk>/move/<str:direction>/",
        form.section_move,
        name="form_section_move",
    ),
    path("form/sections/<int:pk>/questions/add/", form.question_add, name="form_question_add"),
    path("form/questions/<int:pk>/", form.question_edit, name="form_question"),
    path("form/questions/<int:pk>/remove/", form.question_remove, name="form_question_remove"),
    path(
        "form/questions/<int:pk>/move/<str:direction>/",
        form.question_move,
        name="form_question_move",
    ),
    path("applications/<int:pk>/answers/", form.answers_edit, name="answers"),
    path("answers/<int:pk>/file/", form.answer_file, name="answer_file"),
    # The consortium's pages (views/applications.py).
    path("calls/<slug:reference>/apply/", applications.start, name="apply"),
    path("applications/", applications.application_list, name="applications"),
    path("applications/<int:pk>/", applications.application_detail, name="application"),
    path("applications/<int:pk>/edit/", applications.application_edit, name="application_edit"),
    path("applications/<int:pk>/work-plan/", applications.work_plan, name="work_plan"),
    path("applications/<int:pk>/partners/add/", applications.partner_add, name="partner_add"),
    path("applications/<int:pk>/submit/", applications.application_submit, name="submit"),
    path("applications/<int:pk>/withdraw/", applications.application_withdraw, name="withdraw"),
    path("applications/<int:pk>/receipt.pdf", applications.receipt, name="receipt"),
    path("partners/<int:pk>/budget/", applications.partner_budget, name="partner_budget"),
    path("partners/<int:pk>/remove/", applications.partner_remove, name="partner_remove"),
    # Eligibility, admissibility and clarifications (views/eligibility.py).
    path("applications/<int:pk>/eligibility/", eligibility.eligibility, name="eligibility"),
    path(
        "applications/<int:pk>/eligibility/eligible/",
        eligibility.declare_eligible,
        name="declare_eligible",
    ),
    path(
        "applications/<int:pk>/eligibility/ineligible/",
        eligibility.declare_ineligible,
        name="declare_ineligible",
    ),
    path(
        "applications/<int:pk>/clarification/",
        eligibility.clarification_request,
        name="clarification_request",
    ),
    path(
        "applications/<int:pk>/clarification/answer/",
        eligibility.clarification_answer,
        name="clarification_answer",
    ),
    # Reviewers, conflicts of interest, scores and consolidation (views/evaluation.py).
    path("calls/<slug:reference>/reviewers/", evaluation.reviewers, name="reviewers"),
    path(
        "calls/<slug:reference>/reviewers/auto/", evaluation.reviewers_auto, name="reviewers_auto"
    ),
    path("applications/<int:pk>/reviewers/assign/", evaluation.assign, name="assign"),
    path("assignments/<int:pk>/remove/", evaluation.unassign, name="unassign"),
    path("reviews/", evaluation.reviews, name="reviews"),
    path("reviews/<int:pk>/", evaluation.review, name="review"),
    path("reviews/<int:pk>/declare/", evaluation.review_declare, name="review_declare"),
    path("reviews/<int:pk>/scores/", evaluation.review_scores, name="review_scores"),
    path("applications/<int:pk>/consolidate/", evaluation.consolidate, name="consolidate"),
    # Ranking, the committee's decision, letters and the award (views/decisions.py).
    path(
        "calls/<slug:reference>/lots/<int:number>/ranking/",
        decisions.ranking,
        name="ranking",
    ),
    path(
        "calls/<slug:reference>/lots/<int:number>/decide/",
        decisions.decide,
        name="decide",
    ),
    path("applications/<int:pk>/letter.pdf", decisions.letter, name="letter"),
    path("applications/<int:pk>/award/", decisions.award, name="award"),
    path("awards/", decisions.awards, name="awards"),
    path("awards.csv", decisions.awards_csv, name="awards_csv"),
    path("awards.xlsx", decisions.awards_xlsx, name="awards_xlsx"),
]
