"""Writes of the training centre: plans, their needs and targets, and progress against target.

Each write runs in a transaction and writes the audit trail. Plans are not public: they are
read by staff, the centre's staff and the focal points of the institutions they concern.
"""

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.directory.models import Membership

from .. import permissions
from ..models import (
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Module,
    Outcome,
    PlanTarget,
    TrainingPlan,
)
from . import PermissionDenied, TrainingError, require

PLAN_FIELDS = ["title", "organisation", "network", "starts_on", "ends_on"]


@transaction.atomic
def save_plan(actor, plan: TrainingPlan, fields: dict, reason: str = "") -> TrainingPlan:
    """Create (``plan.pk`` is None, its ``centre`` set) or change a plan."""
    require(permissions.can_manage_plan(actor, plan))
    created = plan.pk is None
    before = (
        {}
        if created
        else {n: getattr(TrainingPlan.objects.get(pk=plan.pk), n) for n in PLAN_FIELDS}
    )
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean()
    plan.save()
    changes = audit.diff(before, {n: getattr(plan, n) for n in PLAN_FIELDS})
    if changes:
        audit.record(actor, "plan.created" if created else "plan.updated", plan, changes, reason)
    return plan


def _check_target(plan: TrainingPlan, target: PlanTarget):
    if not Module.objects.available_to(plan.centre).filter(pk=target.module_id).exists():
        raise TrainingError(_("The module is not one the plan's centre may run."))
    if plan.organisation_id and target.organisation_id != plan.organisation_id:
        raise TrainingError(_("The targets of an institution's plan are for that institution."))
    if (
        plan.network_id
        and not Membership.objects.filter(
            network_id=plan.network_id, organisation_id=target.organisation_id
        ).exists()
    ):
        raise TrainingError(_("The targets of a network's plan are for members of the network."))


@transaction.atomic
def save_part(actor, plan: TrainingPlan, obj):
    """Save a need or a target of the plan."""
    require(permissions.can_manage_plan(actor, plan))
    if obj.pk and obj.plan_id != plan.pk:
        raise PermissionDenied(_("That belongs to another plan."))
    obj.plan = plan
    obj.full_clean()
    if isinstance(obj, PlanTarget):
        _check_target(plan, obj)
    created = obj.pk is None
    obj.save()
    action = f"{obj._meta.model_name}.{'created' if created else 'updated'}"
    audit.record(actor, action, obj, {"plan": plan.pk})
    return obj


@transaction.atomic
def delete_part(actor, plan: TrainingPlan, obj):
    require(permissions.can_manage_plan(actor, plan))
    if obj.plan_id != plan.pk:
        raise PermissionDenied(_("That belongs to another plan."))
    audit.record(actor, f"{obj._meta.model_name}.deleted", obj, {"plan": plan.pk})
    obj.delete()


def progress(plan: TrainingPlan) -> list[dict]:
    """Each target with the trainees of its institution who completed its module on the plan's
    courses, those approved and still in progress, and the share of the target reached.

    Two queries: the targets, and one aggregate over the plan's enrolments by module and
    institution. A trainee counts once per module even if they took it twice.
    """
    targets = list(
        plan.targets.select_related("module", "organisation").order_by(
            "organisation__name", "module__code"
        )
    )
    counts = {
        (row["course__modules"], row["organisation"]): row
        for row in Enrolment.objects.filter(
            course__plan=plan, status=EnrolmentStatus.APPROVED, organisation__isnull=False
        )
        .exclude(course__status=CourseStatus.CANCELLED)
        .values("course__modules", "organisation")
        .annotate(
            approved=Count("person", distinct=True),
            completed=Count("person", distinct=True, filter=Q(outcome=Outcome.COMPLETED)),
            in_progress=Count("person", distinct=True, filter=Q(outcome=Outcome.IN_PROGRESS)),
        )
        .order_by()
    }
    rows = []
    for target in targets:
        found = counts.get((target.module_id, target.organisation_id), {})
        completed = found.get("completed", 0)
        rows.append(
            {
                "target": target,
                "approved": found.get("approved", 0),
                "in_progress": found.get("in_progress", 0),
                "completed": completed,
                "percent": min(round(100 * completed / target.trainees), 100)
                if target.trainees
                else 100,
            }
        )
    return rows
