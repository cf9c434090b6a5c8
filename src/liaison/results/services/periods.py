"""Writes of a project's reporting periods.

Periods of one project never overlap, so that every value and every event falls in exactly one
report. A period whose report was approved is locked: its dates are what the approval covered.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.portfolio.models import Project

from .. import permissions
from ..models import ProgressReport, ReportingPeriod, ReportStatus
from . import ResultsError, require

PERIOD_FIELDS = ["kind", "title", "starts_on", "ends_on", "deadline"]


def _snapshot(period: ReportingPeriod) -> dict:
    return {name: getattr(period, name) for name in PERIOD_FIELDS}


def _refuse_if_locked(period: ReportingPeriod):
    if period.pk and ReportingPeriod.objects.select_related("report").get(pk=period.pk).is_locked:
        raise ResultsError(
            _(
                "The report of this period was approved, so the period is locked; "
                "the secretariat may reopen the report."
            )
        )


def _refuse_overlap(period: ReportingPeriod):
    clash = (
        ReportingPeriod.objects.filter(
            project=period.project_id, starts_on__lte=period.ends_on, ends_on__gte=period.starts_on
        )
        .exclude(pk=period.pk)
        .order_by("starts_on")
        .first()
    )
    if clash is not None:
        raise ResultsError(
            _("The dates overlap with “%(title)s” (%(start)s – %(end)s).")
            % {"title": clash.title, "start": clash.starts_on, "end": clash.ends_on}
        )


@transaction.atomic
def save_period(actor, period: ReportingPeriod, fields: dict, reason: str = "") -> ReportingPeriod:
    """Create (``period.pk`` is None, its ``project`` set) or change a period; a new period gets
    its draft report at once."""
    # Lock the project so two periods saved at the same moment cannot both pass the overlap check.
    project = Project.objects.select_for_update().get(pk=period.project_id)
    require(permissions.can_edit_results(actor, project))
    _refuse_if_locked(period)
    created = period.pk is None
    before = {} if created else _snapshot(ReportingPeriod.objects.get(pk=period.pk))
    for name, value in fields.items():
        if name in PERIOD_FIELDS:
            setattr(period, name, value)
    period.full_clean()
    _refuse_overlap(period)
    period.save()
    if created:
        ProgressReport.objects.get_or_create(period=period)
    changes = audit.diff(before, _snapshot(period))
    if changes:
        action = "reporting_period.created" if created else "reporting_period.updated"
        audit.record(actor, action, period, changes, reason)
    return period


@transaction.atomic
def delete_period(actor, period: ReportingPeriod, reason: str = ""):
    """Remove a period that holds no values yet; its targets and draft report go with it."""
    require(permissions.can_edit_results(actor, period.project))
    _refuse_if_locked(period)
    if period.values.exists():
        raise ResultsError(
            _("Values were entered for this period; remove them before removing the period.")
        )
    audit.record(
        actor,
        "reporting_period.deleted",
        period,
        audit.diff(_snapshot(period), dict.fromkeys(PERIOD_FIELDS)),
        reason,
    )
    period.delete()


def is_overdue(period: ReportingPeriod, today: datetime.date) -> bool:
    """Past the deadline and not yet with the secretariat."""
    report = getattr(period, "report", None)
    status = report.status if report else ReportStatus.DRAFT
    return period.deadline < today and status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


def periods_of(project) -> list[ReportingPeriod]:
    """The project's periods, oldest first, each with its report (one query)."""
    return list(
        ReportingPeriod.objects.filter(project=project)
        .select_related("report")
        .order_by("starts_on", "pk")
    )
