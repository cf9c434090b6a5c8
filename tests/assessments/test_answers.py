"""Answering area by area: who may, what is refused with nothing saved, completing and
reopening, recommendations."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from liaison.assessments.models import (
    Answer,
    AreaResult,
    Assessment,
    AssessmentStatus,
    Recommendation,
)
from liaison.assessments.services import AssessmentError
from liaison.assessments.services import assessments as services
from liaison.core.models import AuditEntry
from liaison.equipment.models import Item
from liaison.training.models import TrainingCentre, TrainingNeed, TrainingPlan

from .conftest import answer_levels, questions, start


def exchange(assessment):
    return questions(assessment.template, "exchange")


def test_lead_and_team_save_an_area_and_the_audit_trail_says_so(assessment, assessor, member):
    first, second, desk = exchange(assessment)
    services.save_answers(
        assessor, assessment, first.area, {first.pk: {"level": 2, "comment": "Logbook seen"}}
    )
    services.save_answers(member, assessment, first.area, {desk.pk: {"yes": False}})
    answers = {a.question_id: a for a in Answer.objects.filter(assessment=assessment)}
    assert answers[first.pk].level == 2 and answers[first.pk].comment == "Logbook seen"
    assert answers[first.pk].answered_by == assessor
    assert answers[desk.pk].yes is False
    assert second.pk not in answers
    entry = AuditEntry.objects.filter(action="assessment.answered").first()
    assert entry.changes["area"] == "exchange"


def test_sending_a_question_empty_removes_its_answer(assessment, assessor):
    first, *_ = exchange(assessment)
    services.save_answers(assessor, assessment, first.area, {first.pk: {"level": 2}})
    services.save_answers(assessor, assessment, first.area, {first.pk: {"level": None}})
    assert not Answer.objects.filter(assessment=assessment).exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"level": 5},
        {"level": -1},
        {"level": "two"},
        {"yes": True},
        {"number": "12"},
    ],
)
def test_a_bad_answer_is_refused_and_nothing_of_the_area_is_saved(assessment, assessor, bad):
    first, second, _desk = exchange(assessment)
    with pytest.raises(AssessmentError):
        services.save_answers(
            assessor, assessment, first.area, {first.pk: {"level": 3}, second.pk: bad}
        )
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_a_question_of_another_area_is_refused_and_nothing_saved(assessment, assessor):
    first, *_ = exchange(assessment)
    threat = questions(assessment.template, "analysis")[0]
    with pytest.raises(AssessmentError, match="not part of the area"):
        services.save_answers(
            assessor, assessment, first.area, {first.pk: {"level": 3}, threat.pk: {"level": 1}}
        )
    with pytest.raises(AssessmentError, match="not part of the area"):
        services.save_answers(assessor, assessment, first.area, {999999: {"level": 1}})
    assert not Answer.objects.filter(assessment=assessment).exists()


@pytest.mark.parametrize("who", ["outsider", "viewer", "other_manager"])
def test_only_the_team_and_secretariat_answer(request, assessment, who):
    user = request.getfixturevalue(who)
    first, *_ = exchange(assessment)
    with pytest.raises(PermissionDenied):
        services.save_answers(user, assessment, first.area, {first.pk: {"level": 1}})
    result = AreaResult.objects.filter(assessment=assessment).first()
    with pytest.raises(PermissionDenied):
        services.set_area_result(user, assessment, result, {"target_level": Decimal(1)})
    with pytest.raises(PermissionDenied):
        services.complete(user, assessment)
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_secretariat_answers_too(assessment, secretariat):
    answer_levels(secretariat, assessment, "exchange", [1, 2])
    assert Answer.objects.filter(assessment=assessment).count() == 2


def test_completion_lists_the_missing_scale_questions(assessment, assessor):
    answer_levels(assessor, assessment, "exchange", [1])
    with pytest.raises(AssessmentError) as refused:
        services.complete(assessor, assessment)
    message = str(refused.value)
    assert "Secure channel to partners" in message and "Threat assessments produced" in message
    assert "Requests answered on time" not in message
    assert "Is there a 24/7 desk?" not in message  # not a scale question
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_PROGRESS


def test_a_completed_assessment_is_read_only_until_the_secretariat_reopens_it(
    assessment, assessor, secretariat
):
    answer_levels(assessor, assessment, "exchange", [1, 2])
    answer_levels(assessor, assessment, "analysis", [3])
    services.complete(assessor, assessment, "Good progress.")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.COMPLETED and assessment.completed_on
    first, *_ = exchange(assessment)
    with pytest.raises(PermissionDenied, match="read-only"):
        services.save_answers(assessor, assessment, first.area, {first.pk: {"level": 4}})
    with pytest.raises(PermissionDenied):
        services.reopen(assessor, assessment, "Typo")
    with pytest.raises(AssessmentError, match="why"):
        services.reopen(secretariat, assessment, "")
    services.reopen(secretariat, assessment, "A question was misread.")
    assert AuditEntry.objects.get(action="assessment.reopened").reason == "A question was misread."
    services.save_answers(assessor, assessment, first.area, {first.pk: {"level": 4}})


def test_only_a_published_template_starts_an_assessment(secretariat, template, unit, assessor):
    template.status = "retired"
    template.save()
    with pytest.raises(AssessmentError, match="published"):
        start(secretariat, template, unit, assessor)
    assert not Assessment.objects.exists()


def test_a_project_manager_starts_one_for_their_project_only(
    manager, other_manager, project, template, unit, assessor
):
    assessment = start(manager, template, unit, assessor, project=project)
    assert list(assessment.areas.values_list("area__code", "target_level")) == [
        ("exchange", Decimal(3)),
        ("analysis", Decimal(4)),
    ]
    with pytest.raises(PermissionDenied):
        start(other_manager, template, unit, assessor, project=project)
    with pytest.raises(PermissionDenied):
        start(manager, template, unit, assessor)


def test_visible_to_staff_and_the_team_only(assessment, assessor, member, viewer, outsider):
    for user in (assessor, member, viewer):
        assert Assessment.objects.visible_to(user).filter(pk=assessment.pk).exists()
    assert not Assessment.objects.visible_to(outsider).exists()


def test_recommendation_links_equipment_of_the_same_institution_only(
    assessment, assessor, project, organisation, unit
):
    area = assessment.template.areas.first()
    theirs = Item.objects.create(
        project=project, institution=organisation, category="it", name="Router", estimated_cost=1
    )
    ours = Item.objects.create(
        project=project, institution=unit, category="it", name="Encrypted link", estimated_cost=1
    )
    with pytest.raises(AssessmentError, match="assessed institution"):
        services.save_recommendation(
            assessor, assessment, Recommendation(), {"area": area, "text": "X", "equipment": theirs}
        )
    rec = services.save_recommendation(
        assessor, assessment, Recommendation(), {"area": area, "text": "Link", "equipment": ours}
    )
    assert rec.equipment == ours and Recommendation.objects.count() == 1


def test_recommendation_becomes_a_training_need(assessment, assessor, secretariat, unit, countries):
    centre = TrainingCentre.objects.create(name="Centre", organisation=unit)
    plan = TrainingPlan.objects.create(
        centre=centre,
        title="Plan",
        organisation=unit,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    area = assessment.template.areas.first()
    rec = services.save_recommendation(
        assessor,
        assessment,
        Recommendation(),
        {"area": area, "text": "Train analysts", "priority": "high"},
    )
    with pytest.raises(PermissionDenied):
        services.add_to_training_plan(assessor, rec, plan)
    need = services.add_to_training_plan(secretariat, rec, plan)
    assert TrainingNeed.objects.get() == need
    assert need.priority == "high" and "Coordination Unit of Serbia" in need.source
