"""The evaluation pages: the secretariat assigns reviewers and consolidates their scores; a
reviewer declares any conflict of interest, then scores blind.

The consortium never reaches these pages and never learns who reviews it: an assignment is
found only by its own reviewer (or by staff), so anybody else gets a 404. Every change goes
through ``evaluation`` (the services), which checks ``permissions`` again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from liaison.core.permissions import require

from .. import evaluation, grid, permissions
from ..evaluation_forms import AssignForm, ConsolidationForm, DeclarationForm, ScoresForm
from ..models import (
    Application,
    ApplicationStatus,
    Assignment,
    Call,
    ConflictStatus,
    Consolidation,
)
from . import attempt


def _call(request, reference) -> Call:
    return get_object_or_404(Call.objects.visible_to(request.user), reference=reference)


def _application(request, pk) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(request.user).select_related("call", "lead"), pk=pk
    )


def _own_assignment(request, pk) -> Assignment:
    """A review is its reviewer's page: for anybody else it does not exist."""
    return get_object_or_404(
        Assignment.objects.select_related("application__call", "application__lead"),
        pk=pk,
        reviewer_id=request.user.pk,
    )


def _reviewers_page(call) -> str:
    return reverse("grants:reviewers", args=[call.reference])


# The secretariat's assignment of reviewers ----------------------------------------------------


@login_required
def reviewers(request, reference):
    """Every application under review with its reviewers and their state, each reviewer's load,
    and the forms to assign and take back; the same queries for any number of applications."""
    require(permissions.can_assign_reviewers(request.user))
    call = _call(request, reference)
    reviews = (
        Assignment.objects.select_related("reviewer")
        .annotate(scored=Count("scores"))
        .order_by("assigned_at", "pk")
    )
    applications = list(
        Application.objects.filter(call=call, status=ApplicationStatus.UNDER_REVIEW)
        .select_related("call", "lead")
        .prefetch_related(Prefetch("assignments", queryset=reviews))
        .order_by("number")
    )
    pool = evaluation.pool_of(call)
    load = evaluation.loads(call)
    members = evaluation.consortium_members([a.pk for a in applications])
    rows = []
    for application in applications:
        assignments = list(application.assignments.all())
        taken = {a.reviewer_id for a in assignments}
        rows.append(
            {
                "application": application,
                "reviews": [
                    {
                        "assignment": a,
                        "name": evaluation.name_of(a.reviewer),
                        "state": grid.state(a),
                        "removable": a.conflict != ConflictStatus.CONFLICT
                        and not a.scored
                        and a.submitted_at is None,
                    }
                    for a in assignments
                ],
                "missing": max(call.reviews_per_application - len(grid.active(assignments)), 0),
                "choices": [
                    (u, evaluation.name_of(u), load.get(u.pk, 0))
                    for u in pool
                    if u.pk not in taken and u.pk not in members[application.pk]
                ],
            }
        )
    return render(
        request,
        "grants/reviewers.html",
        {
            "call": call,
            "rows": rows,
            "pool": [(evaluation.name_of(u), load.get(u.pk, 0)) for u in pool],
            "short": sum(1 for row in rows if row["missing"]),
        },
    )


@login_required
@require_POST
def reviewers_auto(request, reference):
    require(permissions.can_assign_reviewers(request.user))
    call = _call(request, reference)
    try:
        made, short = evaluation.auto_assign(request.user, call)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_reviewers_page(call))
    messages.success(
        request,
        ngettext("%(count)s review assigned.", "%(count)s reviews assigned.", len(made))
        % {"count": len(made)},
    )
    if short:
        messages.warning(
            request,
            _("Still short of reviewers (nobody left in the pool who may review them): %(list)s.")
            % {"list": ", ".join(a.reference for a in short)},
        )
    return redirect(_reviewers_page(call))


@login_required
@require_POST
def assign(request, pk):
    application = _application(request, pk)
    require(permissions.can_assign_reviewers(request.user, application.call))
    form = AssignForm(request.POST, call=application.call)
    if not form.is_valid():
        messages.error(request, _("Choose a reviewer of the call's pool."))
        return redirect(_reviewers_page(application.call))
    reviewer = form.cleaned_data["reviewer"]
    attempt(
        request,
        evaluation.assign,
        request.user,
        application,
        reviewer,
        done=_("%(name)s is asked to review %(reference)s.")
        % {"name": evaluation.name_of(reviewer), "reference": application.reference},
    )
    return redirect(_reviewers_page(application.call))


@login_required
@require_POST
def unassign(request, pk):
    if not permissions.can_follow_reviews(request.user)[0]:
        raise Http404  # the consortium never learns who reviews it
    assignment = get_object_or_404(
        Assignment.objects.select_related("application__call", "reviewer"),
        pk=pk,
        # Not on an application the secretariat member declared a conflict with.
        application__in=Application.objects.visible_to(request.user),
    )
    call = assignment.application.call
    try:
        evaluation.unassign(request.user, assignment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s no longer reviews %(reference)s.")
            % {
                "name": evaluation.name_of(assignment.reviewer),
                "reference": assignment.application.reference,
            },
        )
    return redirect(_reviewers_page(call))


# The reviewer's pages -------------------------------------------------------------------------


@login_required
def reviews(request):
    assignments = (
        Assignment.objects.filter(reviewer=request.user)
        .select_related("application__call")
        .order_by("-assigned_at", "pk")
    )
    return render(
        request,
        "grants/reviews.html",
        {"rows": [{"assignment": a, "state": grid.state(a)} for a in assignments]},
    )


def _review_page(request, assignment, form=None):
    application = assignment.application
    call = application.call
    context = {"assignment": assignment, "application": application, "call": call}
    state = grid.state(assignment)
    context["state"] = state
    if state == grid.ReviewState.TO_DECLARE:
        # Only what is needed to recognise a conflict: nothing the consortium wrote.
        context["partners"] = application.partners.select_related("organisation")
        context["declaration"] = form or DeclarationForm()
        context["can_declare"] = permissions.can_declare(request.user, assignment)[0]
    elif state != grid.ReviewState.CONFLICT:
        criteria = list(call.criteria.all())
        mine = {s.criterion_id: s for s in assignment.scores.all()}
        context["criteria"] = criteria
        context["mine"] = [(c, mine.get(c.pk)) for c in criteria]
        context["my_total"] = grid.weighted_total(criteria, {pk: s.score for pk, s in mine.items()})
        context["total_span"] = grid.total_span(criteria)
        if permissions.can_score(request.user, assignment)[0]:
            initial = {"comment": assignment.comment}
            for pk, score in mine.items():
                initial |= {f"score-{pk}": score.score, f"comment-{pk}": score.comment}
            context["form"] = form or ScoresForm(criteria=criteria, initial=initial)
        if permissions.can_see_all_scores(request.user, application)[0]:
            assignments = list(evaluation.assignments_of(application))
            comparison = grid.compare(call, criteria, assignments)
            # Reviewers read each other's opinions, not each other's names.
            labels = [
                _("You")
                if a.reviewer_id == request.user.pk
                else _("Reviewer %(number)s") % {"number": number}
                for number, a in enumerate(comparison.columns, start=1)
            ]
            context |= {
                "comparison": comparison,
                "labels": labels,
                "others": list(zip(labels, comparison.columns, strict=True)),
            }
    return render(request, "grants/review.html", context)


@login_required
def review(request, pk):
    assignment = _own_assignment(request, pk)
    if assignment.conflict == ConflictStatus.CONFLICT:
        # A declared conflict closes the application for good: the page says so and no more.
        require(permissions.can_open_for_review(request.user, assignment))
    return _review_page(request, assignment)


@login_required
@require_POST
def review_declare(request, pk):
    assignment = _own_assignment(request, pk)
    require(permissions.can_declare(request.user, assignment))
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        return _review_page(request, assignment, form)
    conflict = form.cleaned_data["conflict"] == ConflictStatus.CONFLICT
    try:
        evaluation.declare(request.user, assignment, conflict, form.cleaned_data["note"])
    except ValidationError as error:
        form.add_error(None, error)
        return _review_page(request, assignment, form)
    if conflict:
        messages.success(
            request, _("Your conflict of interest is recorded; the secretariat will reassign.")
        )
        return redirect("grants:reviews")
    messages.success(request, _("Declared. The application is open to you for review."))
    return redirect("grants:review", pk=assignment.pk)


@login_required
@require_POST
def review_scores(request, pk):
    assignment = _own_assignment(request, pk)
    require(permissions.can_score(request.user, assignment))
    criteria = list(assignment.application.call.criteria.all())
    form = ScoresForm(request.POST, criteria=criteria)
    if not form.is_valid():
        return _review_page(request, assignment, form)
    submitting = request.POST.get("action") == "submit"
    service = evaluation.submit_scores if submitting else evaluation.save_scores
    try:
        service(request.user, assignment, form.scores(), form.cleaned_data["comment"])
    except ValidationError as error:
        form.add_error(None, error)
        return _review_page(request, assignment, form)
    if submitting:
        messages.success(request, _("Your scores are submitted. Thank you."))
    else:
        messages.success(request, _("Your draft is saved; submit it when it is complete."))
    return redirect("grants:review", pk=assignment.pk)


# The secretariat's consolidation --------------------------------------------------------------


@login_required
def consolidate(request, pk):
    application = _application(request, pk)
    require(permissions.can_consolidate(request.user))
    call = application.call
    criteria = list(call.criteria.all())
    assignments = list(evaluation.assignments_of(application))
    comparison = grid.compare(call, criteria, assignments)
    existing = Consolidation.objects.filter(application=application).first()
    initial = {"comment": getattr(existing, "comment", ""), "shared_comment": ""}
    if existing is not None:
        initial["shared_comment"] = existing.shared_comment
    for row in comparison.rows:
        saved = existing.scores.get(str(row.criterion.pk)) if existing else None
        initial[f"score-{row.criterion.pk}"] = saved if saved is not None else row.mean
    form = None
    if comparison.complete and application.status == ApplicationStatus.UNDER_REVIEW:
        form = ConsolidationForm(
            request.POST if request.method == "POST" else None, criteria=criteria, initial=initial
        )
    if request.method == "POST":
        if form is None:
            messages.error(
                request, _("Consolidate once every reviewer without a conflict has submitted.")
            )
            return redirect("grants:consolidate", pk=application.pk)
        if form.is_valid():
            try:
                evaluation.consolidate(
                    request.user,
                    application,
                    form.scores(),
                    form.cleaned_data["comment"],
                    form.cleaned_data["shared_comment"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The consolidated score is saved."))
                return redirect(application)
    names = [evaluation.name_of(a.reviewer) for a in comparison.columns]
    return render(
        request,
        "grants/consolidate.html",
        {
            "application": application,
            "call": call,
            "comparison": comparison,
            "rows": [
                (row, form[f"score-{row.criterion.pk}"] if form else None)
                for row in comparison.rows
            ],
            "reviews": [{"assignment": a, "state": grid.state(a)} for a in assignments],
            "names": names,
            "named_columns": list(zip(names, comparison.columns, strict=True)),
            "form": form,
            "consolidation": existing,
            "total_span": grid.total_span(criteria),
        },
    )


# The application page's panel -----------------------------------------------------------------


def panel(request, application) -> dict:
    """What the application page shows of this step, for this reader ({} for nothing): to the
    staff who reviews it and how far, the disagreement flag and the consolidated score; to a
    reviewer the way back to their review; nothing to the consortium."""
    user = request.user
    if permissions.can_follow_reviews(user)[0]:
        assignments = list(evaluation.assignments_of(application))
        if not assignments and application.status != ApplicationStatus.UNDER_REVIEW:
            return {}
        call = application.call
        comparison = grid.compare(call, list(call.criteria.all()), assignments)
        secretariat = permissions.can_consolidate(user)[0]
        mine = next((a for a in assignments if a.reviewer_id == user.pk), None)
        return {
            "staff": True,
            "assignment": mine,
            "state": grid.state(mine) if mine else None,
            # A member of staff who reviews it too learns nothing of the others before submitting.
            "blind": mine is not None and mine.submitted_at is None,
            "reviews": [
                {
                    "assignment": a,
                    "name": evaluation.name_of(a.reviewer),
                    "state": grid.state(a),
                }
                for a in assignments
            ],
            "missing": max(call.reviews_per_application - len(grid.active(assignments)), 0),
            "comparison": comparison,
            "consolidation": Consolidation.objects.filter(application=application).first(),
            "can_assign": secretariat and application.status == ApplicationStatus.UNDER_REVIEW,
            "can_consolidate": secretariat,
        }
    mine = Assignment.objects.filter(application=application, reviewer_id=user.pk).first()
    if mine is not None:
        return {"staff": False, "assignment": mine, "state": grid.state(mine)}
    return {}
