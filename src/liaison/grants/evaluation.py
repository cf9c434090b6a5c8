"""Writes of the evaluation: assigning reviewers, their declarations of conflict of interest,
their scores, and the secretariat's consolidation.

Each takes the acting user, checks the rule in ``permissions``, runs in one transaction and
leaves an audit entry on the application: who reviewed what, who declared a conflict and what
was scored decide who gets public money, and must be provable afterwards. A reviewer is never
a member of the consortium they review (its applicant, a partner's contact, or anybody who
belongs to a partner organisation today), and never one who declared a conflict with it.
"""

import logging
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core.permissions import require
from liaison.directory.models import Affiliation

from . import grid, permissions
from .models import (
    Application,
    ApplicationStatus,
    Assignment,
    Call,
    ConflictStatus,
    Consolidation,
    Partner,
    Score,
)
from .services import GrantsError

logger = logging.getLogger(__name__)


def name_of(user) -> str:
    return user.get_full_name() or user.get_username()


def _locked_call(call) -> Call:
    return Call.objects.select_for_update().get(pk=call.pk)


def _locked_application(application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=application.pk)
    )


def _locked_assignment(assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("application__call", "reviewer")
        .get(pk=assignment.pk)
    )


def _under_review(application):
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise GrantsError(_("Only an application under review is evaluated."))


# Who may review what ----------------------------------------------------------------------------


def consortium_members(application_ids) -> dict[int, set[int]]:
    """The accounts of each application's consortium: its applicant, its partners' contacts and
    everybody holding a current affiliation with a partner organisation. Two queries for any
    number of applications."""
    members = defaultdict(set)
    organisations = defaultdict(set)  # organisation id → application ids
    rows = Partner.objects.filter(application_id__in=application_ids).values_list(
        "application_id", "application__created_by_id", "organisation_id", "contact__user_id"
    )
    for application_id, applicant_id, organisation_id, contact_user_id in rows:
        members[application_id].add(applicant_id)
        if contact_user_id:
            members[application_id].add(contact_user_id)
        organisations[organisation_id].add(application_id)
    affiliated = (
        Affiliation.objects.current()
        .filter(organisation_id__in=list(organisations), person__user__isnull=False)
        .values_list("organisation_id", "person__user_id")
    )
    for organisation_id, user_id in affiliated:
        for application_id in organisations[organisation_id]:
            members[application_id].add(user_id)
    return members


def pool_of(call) -> list:
    """The call's active reviewers, by name."""
    return sorted(
        call.reviewers.filter(is_active=True), key=lambda u: (name_of(u).casefold(), u.pk)
    )


def loads(call) -> dict[int, int]:
    """How many applications of ``call`` each reviewer has to review (conflicts excluded)."""
    rows = (
        Assignment.objects.filter(application__call=call)
        .exclude(conflict=ConflictStatus.CONFLICT)
        .values("reviewer")
        .annotate(n=Count("pk"))
    )
    return {row["reviewer"]: row["n"] for row in rows}


def _check_reviewer(application, reviewer, members: set[int]):
    call = application.call
    if not call.reviewers.filter(pk=reviewer.pk, is_active=True).exists():
        raise GrantsError(
            _("%(name)s is not in this call's pool of reviewers.") % {"name": name_of(reviewer)}
        )
    if reviewer.pk in members:
        raise GrantsError(
            _("%(name)s belongs to the consortium of %(reference)s and may not review it.")
            % {"name": name_of(reviewer), "reference": application.reference}
        )
    existing = Assignment.objects.filter(application=application, reviewer=reviewer).first()
    if existing is not None:
        if existing.conflict == ConflictStatus.CONFLICT:
            message = _("%(name)s declared a conflict of interest with %(reference)s.")
        else:
            message = _("%(name)s is already assigned to %(reference)s.")
        raise GrantsError(message % {"name": name_of(reviewer), "reference": application.reference})


def _create(actor, application, reviewer, reason="") -> Assignment:
    assignment = Assignment.objects.create(
        application=application, reviewer=reviewer, assigned_by=actor
    )
    audit.record(
        actor,
        "grants.reviewer_assigned",
        application,
        {"reviewer": [None, name_of(reviewer)]},
        reason,
    )
    pk = assignment.pk
    transaction.on_commit(lambda: send_assignment(pk))
    return assignment


@transaction.atomic
def assign(actor, application, reviewer) -> Assignment:
    """Ask ``reviewer``, of the call's pool, to review ``application``; they are e-mailed."""
    require(permissions.can_assign_reviewers(actor, application.call))
    _locked_call(application.call)  # one assignment decision at a time per call
    application = _locked_application(application)
    _under_review(application)
    _check_reviewer(application, reviewer, consortium_members([application.pk])[application.pk])
    return _create(actor, application, reviewer)


@transaction.atomic
def unassign(actor, assignment):
    """Take a review back before anything is scored. A declared conflict stays on record, so
    that nobody assigns that reviewer to it again."""
    require(permissions.can_assign_reviewers(actor, assignment.application.call))
    assignment = _locked_assignment(assignment)
    if assignment.conflict == ConflictStatus.CONFLICT:
        raise GrantsError(
            _("A declared conflict of interest is kept on record; assign another reviewer.")
        )
    if assignment.submitted_at is not None or assignment.scores.exists():
        raise GrantsError(_("This reviewer has started scoring; the review can no longer go."))
    application = assignment.application
    reviewer = assignment.reviewer
    assignment.delete()
    audit.record(
        actor, "grants.reviewer_unassigned", application, {"reviewer": [name_of(reviewer), None]}
    )


@transaction.atomic
def auto_assign(actor, call) -> tuple[list[Assignment], list[Application]]:
    """Give each application under review ``call.reviews_per_application`` reviewers without a
    conflict, each time the one of the pool with the fewest reviews in this call (ties by
    name), so that the work is spread evenly. Running it again adds nothing. Returns the
    assignments made and the applications still short of reviewers (the pool ran out)."""
    require(permissions.can_assign_reviewers(actor, call))
    call = _locked_call(call)
    pool = pool_of(call)
    load = loads(call)
    applications = list(
        Application.objects.select_for_update()
        .filter(call=call, status=ApplicationStatus.UNDER_REVIEW)
        .select_related("call")
        .prefetch_related("assignments")
        .order_by("number")
    )
    members = consortium_members([a.pk for a in applications])
    made, short = [], []
    reason = _("Assigned automatically, evenly across the pool.")
    for application in applications:
        taken = {a.reviewer_id for a in application.assignments.all()}
        wanted = call.reviews_per_application - len(grid.active(application.assignments.all()))
        candidates = [u for u in pool if u.pk not in taken and u.pk not in members[application.pk]]
        # sorted() keeps the order by name among equal loads
        for reviewer in sorted(candidates, key=lambda u: load.get(u.pk, 0))[: max(wanted, 0)]:
            made.append(_create(actor, application, reviewer, reason))
            load[reviewer.pk] = load.get(reviewer.pk, 0) + 1
            wanted -= 1
        if wanted > 0:
            short.append(application)
    return made, short


def send_assignment(assignment_pk: int):
    """Tell a reviewer they have a review to do. The mail carries only the link: what the
    application says is read on the site, after declaring no conflict of interest."""
    assignment = (
        Assignment.objects.select_related("application__call", "reviewer")
        .filter(pk=assignment_pk)
        .first()
    )
    if assignment is None:
        return
    reviewer = assignment.reviewer
    person = getattr(reviewer, "person", None)
    address = reviewer.email or (person.email if person else "")
    if not address:
        return
    call = assignment.application.call
    context = {
        "call": call,
        "name": name_of(reviewer),
        "link": settings.SITE_URL + reverse("grants:review", args=[assignment.pk]),
    }
    try:
        send_mail(
            _("A review for the call %(call)s") % {"call": call.title[:120]},
            render_to_string("grants/email/review_assigned.txt", context),
            None,
            [address],
        )
    except OSError:
        # The assignment stands; the reviewer finds it on their list of reviews.
        logger.exception("Could not tell the reviewer of assignment %s", assignment_pk)


# The reviewer's part ----------------------------------------------------------------------------


@transaction.atomic
def declare(actor, assignment, conflict: bool, note: str = "", now=None) -> Assignment:
    """The reviewer's declaration: no conflict opens the application to them; a conflict, with
    what it is, closes it to them for good and shows the secretariat it needs another reviewer."""
    assignment = _locked_assignment(assignment)
    require(permissions.can_declare(actor, assignment))
    note = (note or "").strip()
    if conflict and not note:
        raise GrantsError(_("Say what the conflict of interest is, for the secretariat."))
    assignment.conflict = ConflictStatus.CONFLICT if conflict else ConflictStatus.NONE
    assignment.conflict_note = note if conflict else ""
    assignment.declared_at = now or timezone.now()
    assignment.save(update_fields=["conflict", "conflict_note", "declared_at"])
    audit.record(
        actor,
        "grants.conflict_declared",
        assignment.application,
        {
            "reviewer": name_of(actor),
            "conflict": [ConflictStatus.UNDECLARED, assignment.conflict],
        },
        assignment.conflict_note,
    )
    return assignment


def _score(value, criterion) -> Decimal:
    try:
        score = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        score = None
    if score is None or not score.is_finite() or score != grid.cents(score):
        raise GrantsError(
            _("The score on %(criterion)s is not a number with at most two decimals.")
            % {"criterion": criterion.title}
        )
    if not criterion.min_score <= score <= criterion.max_score:
        raise GrantsError(
            _("The score on %(criterion)s must lie between %(low)s and %(high)s.")
            % {
                "criterion": criterion.title,
                "low": criterion.min_score,
                "high": criterion.max_score,
            }
        )
    return grid.cents(score)


def _write_scores(assignment, scores: dict, comment: str) -> dict:
    """Check every score first, then replace the reviewer's draft: a refused value leaves
    nothing half-saved. ``scores``: criterion id → (score or "" / None, comment)."""
    criteria = {c.pk: c for c in assignment.application.call.criteria.all()}
    unknown = [pk for pk in scores if pk not in criteria]
    if unknown:
        raise GrantsError(_("Score only the criteria of this call's grid."))
    checked = {}
    for pk, (value, remark) in scores.items():
        remark = (remark or "").strip()
        if value in (None, ""):
            if remark:
                raise GrantsError(
                    _("Give a score on %(criterion)s to keep its comment.")
                    % {"criterion": criteria[pk].title}
                )
            continue
        checked[pk] = (_score(value, criteria[pk]), remark)
    assignment.scores.exclude(criterion_id__in=list(checked)).delete()
    for pk, (value, remark) in checked.items():
        Score.objects.update_or_create(
            assignment=assignment, criterion_id=pk, defaults={"score": value, "comment": remark}
        )
    assignment.comment = (comment or "").strip()
    assignment.save(update_fields=["comment"])
    return {pk: value for pk, (value, _remark) in checked.items()}


@transaction.atomic
def save_scores(actor, assignment, scores: dict, comment: str = "") -> Assignment:
    """Keep a draft of the reviewer's scores: their own until they submit."""
    assignment = _locked_assignment(assignment)
    require(permissions.can_score(actor, assignment))
    _write_scores(assignment, scores, comment)
    return assignment


@transaction.atomic
def submit_scores(actor, assignment, scores: dict, comment: str = "", now=None) -> Assignment:
    """Save and submit: every criterion scored; afterwards nothing changes."""
    assignment = _locked_assignment(assignment)
    require(permissions.can_score(actor, assignment))
    given = _write_scores(assignment, scores, comment)
    criteria = list(assignment.application.call.criteria.all())
    if not criteria:
        raise GrantsError(_("The call has no evaluation grid yet; ask the secretariat."))
    missing = [c.title for c in criteria if c.pk not in given]
    if missing:
        raise GrantsError(
            _("Score every criterion before submitting: %(missing)s.")
            % {"missing": ", ".join(missing)}
        )
    assignment.submitted_at = now or timezone.now()
    assignment.save(update_fields=["submitted_at"])
    audit.record(
        actor,
        "grants.scores_submitted",
        assignment.application,
        {
            "reviewer": name_of(actor),
            "scores": {c.title: str(given[c.pk]) for c in criteria},
            "total": str(grid.weighted_total(criteria, given)),
        },
    )
    return assignment


# The secretariat's consolidation ----------------------------------------------------------------


@transaction.atomic
def consolidate(
    actor, application, scores: dict, comment: str = "", shared_comment: str = ""
) -> Consolidation:
    """Record the score the evaluation agrees on, criterion by criterion (``scores``: criterion
    id → score), once every reviewer without a conflict has submitted."""
    require(permissions.can_consolidate(actor))
    application = _locked_application(application)
    _under_review(application)
    if not grid.scores_complete(application):
        raise GrantsError(_("Consolidate once every reviewer without a conflict has submitted."))
    criteria = list(application.call.criteria.all())
    missing = [c.title for c in criteria if scores.get(c.pk) in (None, "")]
    if missing:
        raise GrantsError(
            _("Give a consolidated score on: %(missing)s.") % {"missing": ", ".join(missing)}
        )
    checked = {c.pk: _score(scores[c.pk], c) for c in criteria}
    existing = Consolidation.objects.filter(application=application).first()
    before = (
        {}
        if existing is None
        else {
            "scores": existing.scores,
            "total": existing.total,
            "comment": existing.comment,
            "shared_comment": existing.shared_comment,
            "passed_thresholds": existing.passed_thresholds,
        }
    )
    values = {
        "scores": {str(pk): str(value) for pk, value in checked.items()},
        "total": grid.weighted_total(criteria, checked),
        "comment": (comment or "").strip(),
        "shared_comment": (shared_comment or "").strip(),
        "passed_thresholds": all(
            c.threshold is None or checked[c.pk] >= c.threshold for c in criteria
        ),
        "by": actor,
    }
    consolidation, _created = Consolidation.objects.update_or_create(
        application=application, defaults=values
    )
    changes = audit.diff(before, {k: v for k, v in values.items() if k != "by"})
    if changes:
        audit.record(actor, "grants.consolidated", application, changes)
    return consolidation


def assignments_of(application):
    """The application's reviews in the order they were given, reviewers and scores fetched."""
    return (
        Assignment.objects.filter(application=application)
        .select_related("reviewer")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .order_by("assigned_at", "pk")
    )
