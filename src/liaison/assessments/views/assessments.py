"""Pages of needs assessments: the list, starting one, answering it area by area, the gap
chart, recommendations and the before/after comparison.

Every page is plain HTML that works without JavaScript and stays small, because assessment
teams often work from an institution's office on a slow line: answers are saved area by area.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import gaps, permissions
from ..filters import AssessmentFilter
from ..forms import (
    AnswerForm,
    AreaResultForm,
    AssessmentForm,
    CompareForm,
    CompleteForm,
    PlanChoiceForm,
    ReasonForm,
    RecommendationForm,
)
from ..models import Answer, Area, AreaResult, Assessment, Recommendation
from ..services import AssessmentError, require
from ..services import assessments as services
from . import posted, refused

PER_PAGE = 25


def _visible(request, pk) -> Assessment:
    """The assessment if the visitor may read it; others are told it does not exist."""
    return get_object_or_404(
        Assessment.objects.visible_to(request.user).select_related(
            "institution__country", "template", "project", "lead"
        ),
        pk=pk,
    )


def _answerable(request, pk) -> Assessment:
    assessment = _visible(request, pk)
    require(permissions.can_answer(request.user, assessment))
    return assessment


@login_required
def assessment_list(request):
    assessments = Assessment.objects.visible_to(request.user).for_list()
    filterset = AssessmentFilter(request.GET or None, queryset=assessments)
    results = filterset.qs if not filterset.is_bound or filterset.is_valid() else assessments.none()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "assessments/assessment_list.html",
        {
            "filter": filterset,
            "page": Paginator(results, PER_PAGE).get_page(request.GET.get("page")),
            "query": query.urlencode(),
            "can_create": permissions.can_create_assessment(request.user, any_project=True)[0],
            "can_see_templates": permissions.can_see_templates(request.user)[0],
        },
    )


@login_required
def assessment_create(request):
    require(permissions.can_create_assessment(request.user, any_project=True))
    form = AssessmentForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.create_assessment(
                request.user, form.cleaned_data, team=form.cleaned_data["team"]
            )
        except (AssessmentError, ValidationError, PermissionDenied) as error:
            refused(form, error)
        else:
            messages.success(request, _("The assessment was started."))
            return redirect(assessment)
    return render(request, "assessments/assessment_form.html", {"form": form})


@login_required
def assessment_detail(request, pk):
    assessment = _visible(request, pk)
    rows = gaps.area_rows(assessment)
    recommendations = assessment.recommendations.select_related(
        "area", "module", "course", "equipment"
    )
    can_answer = permissions.can_answer(request.user, assessment)[0]
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "rows": rows,
            "answered": sum(row.answered for row in rows),
            "total": sum(row.total for row in rows),
            "chart": gaps.gap_chart(rows),
            "team": assessment.team.order_by("last_name", "username"),
            "recommendations": recommendations,
            "can_answer": can_answer,
            "can_reopen": permissions.can_reopen(request.user, assessment)[0],
            "can_plan": services.plans_for(assessment, request.user).exists(),
            "complete_form": CompleteForm(initial={"summary": assessment.summary}),
            "has_other": Assessment.objects.visible_to(request.user)
            .filter(institution=assessment.institution_id)
            .exclude(pk=assessment.pk)
            .exists(),
        },
    )


@login_required
def area_answer(request, pk, area_pk):
    """One area's questions. "Save" stays on the area, "Save and next area" moves on."""
    assessment = _visible(request, pk)
    areas = list(Area.objects.filter(template=assessment.template_id).order_by("order", "pk"))
    area = next((a for a in areas if a.pk == area_pk), None)
    if area is None:
        raise Http404
    can_answer, why = permissions.can_answer(request.user, assessment)
    if request.method == "POST" and not can_answer:
        raise PermissionDenied(why)
    questions = list(area.questions.select_related("area__template").order_by("order", "pk"))
    answers = {
        a.question_id: a for a in Answer.objects.filter(assessment=assessment, question__area=area)
    }
    form = AnswerForm(posted(request), questions=questions, answers=answers)
    position = areas.index(area)
    following = areas[position + 1] if position + 1 < len(areas) else None
    if request.method == "POST" and form.is_valid():
        try:
            services.save_answers(request.user, assessment, area, form.values())
        except (AssessmentError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(
                request, _("The answers of “%(area)s” were saved.") % {"area": area.title}
            )
            if "next" in request.POST and following is not None:
                return redirect("assessments:answer", assessment.pk, following.pk)
            if "next" in request.POST:
                return redirect(assessment)
            return redirect("assessments:answer", assessment.pk, area.pk)
    return render(
        request,
        "assessments/area_answer.html",
        {
            "assessment": assessment,
            "area": area,
            "areas": areas,
            "form": form,
            "following": following,
            "can_answer": can_answer,
            "why": why,
        },
    )


@login_required
def area_result(request, pk, area_pk):
    assessment = _answerable(request, pk)
    result = get_object_or_404(
        AreaResult.objects.select_related("area"), assessment=assessment, area_id=area_pk
    )
    form = AreaResultForm(posted(request), instance=result, scale_max=assessment.template.scale_max)
    if request.method == "POST" and form.is_valid():
        try:
            with form.unchanged():
                services.set_area_result(request.user, assessment, result, form.cleaned_data)
        except (AssessmentError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(assessment)
    return render(
        request,
        "assessments/simple_form.html",
        {
            "assessment": assessment,
            "form": form,
            "title": _("Target and priority: %(area)s") % {"area": result.area.title},
        },
    )


@login_required
@require_POST
def assessment_complete(request, pk):
    assessment = _answerable(request, pk)
    form = CompleteForm(request.POST)
    form.is_valid()
    try:
        services.complete(request.user, assessment, form.cleaned_data.get("summary"))
    except AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The assessment is completed; it is now read-only."))
    return redirect(assessment)


@login_required
def assessment_reopen(request, pk):
    assessment = _visible(request, pk)
    require(permissions.can_reopen(request.user, assessment))
    form = ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen(request.user, assessment, form.cleaned_data["reason"])
        except AssessmentError as error:
            refused(form, error)
        else:
            messages.success(request, _("The assessment is open for answers again."))
            return redirect(assessment)
    return render(
        request,
        "assessments/simple_form.html",
        {"assessment": assessment, "form": form, "title": _("Reopen the assessment")},
    )


@login_required
def recommendation_edit(request, pk, rec_pk=None):
    assessment = _answerable(request, pk)
    recommendation = (
        get_object_or_404(Recommendation, pk=rec_pk, assessment=assessment) if rec_pk else None
    )
    initial = {"area": request.GET.get("area")} if request.GET.get("area", "").isdigit() else {}
    form = RecommendationForm(
        posted(request), instance=recommendation, assessment=assessment, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            with form.unchanged():
                services.save_recommendation(
                    request.user, assessment, form.instance, form.cleaned_data
                )
        except (AssessmentError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("The recommendation was saved."))
            return redirect(assessment)
    return render(
        request,
        "assessments/simple_form.html",
        {
            "assessment": assessment,
            "form": form,
            "title": _("Recommendation"),
            "delete_url": reverse(
                "assessments:recommendation_delete", args=[assessment.pk, recommendation.pk]
            )
            if recommendation
            else "",
        },
    )


@login_required
@require_POST
def recommendation_delete(request, pk, rec_pk):
    assessment = _answerable(request, pk)
    recommendation = get_object_or_404(Recommendation, pk=rec_pk, assessment=assessment)
    services.delete_recommendation(request.user, assessment, recommendation)
    messages.success(request, _("The recommendation was removed."))
    return redirect(assessment)


@login_required
def recommendation_plan(request, pk, rec_pk):
    """Carry a recommendation's need into a training plan the visitor manages."""
    assessment = _visible(request, pk)
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("area__competency_area", "assessment__institution"),
        pk=rec_pk,
        assessment=assessment,
    )
    plans = services.plans_for(assessment, request.user).order_by("-starts_on", "title")
    if not plans.exists():
        raise PermissionDenied(
            _("No training plan of this institution that you manage: ask the training centre.")
        )
    form = PlanChoiceForm(posted(request), plans=plans)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_to_training_plan(request.user, recommendation, form.cleaned_data["plan"])
        except (AssessmentError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("The need was added to the training plan."))
            return redirect(form.cleaned_data["plan"])
    return render(
        request,
        "assessments/simple_form.html",
        {
            "assessment": assessment,
            "form": form,
            "title": _("Add the need to a training plan"),
            "intro": recommendation.text,
        },
    )


@login_required
def compare(request, pk):
    """Before and after: this assessment and another of the same institution, area by area."""
    assessment = _visible(request, pk)
    others = (
        Assessment.objects.visible_to(request.user)
        .filter(institution=assessment.institution_id)
        .exclude(pk=assessment.pk)
        .select_related("template")
        .order_by("-assessed_on")
    )
    form = CompareForm(request.GET or None, choices=others)
    other = form.cleaned_data["other"] if form.is_valid() else None
    context = {"assessment": assessment, "form": form, "other": other}
    if other is not None:
        before, after = sorted([assessment, other], key=lambda a: (a.assessed_on, a.pk))
        areas = gaps.compare(before, after)
        context.update(
            before=before,
            after=after,
            areas=areas,
            closure=gaps.gap_closure(before, after),
            chart=gaps.compare_chart(
                areas,
                _("Before (%(date)s)") % {"date": before.assessed_on.isoformat()},
                _("After (%(date)s)") % {"date": after.assessed_on.isoformat()},
            ),
        )
    return render(request, "assessments/compare.html", context)
