"""The progress report of a period and its review.

A report moves draft → submitted → approved, or back from submitted to returned (with the
secretariat's comment) and on to submitted again. Its managers write it while it is a draft or
returned; the secretariat returns and approves it. Approval locks the period: the report's text,
and the period's values and targets (the value services ask ``ReportingPeriod.is_locked``). The
secretariat may reopen an approved report, giving the reason. Every step leaves a
``ReportReview`` row for the page's history and an audit entry with who, when, old and new.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.events.models import Event
from liaison.training.models import Course, CourseStatus

from .. import figures, permissions
from ..models import (
    ProgressReport,
    ReportingPeriod,
    ReportReview,
    ReportStatus,
    ReviewAction,
)
from . import ResultsError, require
from .risks import open_risks

TEXT_FIELDS = ["narrative", "activities", "risks"]
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def report_of(period: ReportingPeriod) -> ProgressReport:
    """The period's report, or an unsaved draft when none was started (nothing is written)."""
    try:
        return period.report
    except ProgressReport.DoesNotExist:
        return ProgressReport(period=period)


def _locked_report(period: ReportingPeriod) -> ProgressReport:
    report, _created = ProgressReport.objects.select_for_update().get_or_create(period=period)
    return report


def _refuse_unless(report: ProgressReport, statuses, message: str):
    if report.status not in statuses:
        raise ResultsError(message)


def _change_status(actor, report, action, status, comment="", *, audit_action, reason=""):
    before = {"status": report.status}
    report.status = status
    now = timezone.now()
    if action == ReviewAction.SUBMITTED:
        report.submitted_by, report.submitted_at = actor, now
    else:
        report.decided_by, report.decided_at = actor, now
    report.save()
    ReportReview.objects.create(report=report, action=action, comment=comment, by=actor)
    audit.record(
        actor, audit_action, report, audit.diff(before, {"status": status}), reason or comment
    )
    return report


@transaction.atomic
def save_report(actor, period: ReportingPeriod, fields: dict, reason: str = "") -> ProgressReport:
    """Change the report's text while it is a draft or returned."""
    require(permissions.can_edit_results(actor, period.project))
    report = _locked_report(period)
    if report.status == ReportStatus.APPROVED:
        raise ResultsError(_("The report was approved; its text can no longer be changed."))
    _refuse_unless(
        report, EDITABLE, _("The report is with the secretariat; wait for their decision.")
    )
    before = {name: getattr(report, name) for name in TEXT_FIELDS}
    for name in TEXT_FIELDS:
        if name in fields:
            setattr(report, name, (fields[name] or "").strip())
    report.full_clean()
    report.save()
    changes = audit.diff(before, {name: getattr(report, name) for name in TEXT_FIELDS})
    if changes:
        audit.record(actor, "progress_report.updated", report, changes, reason)
    return report


@transaction.atomic
def submit(actor, period: ReportingPeriod, comment: str = "") -> ProgressReport:
    """The project hands the report to the secretariat."""
    require(permissions.can_edit_results(actor, period.project))
    report = _locked_report(period)
    _refuse_unless(report, EDITABLE, _("Only a draft or a returned report can be submitted."))
    if not report.narrative.strip():
        raise ResultsError(_("Describe the progress in the period before submitting."))
    return _change_status(
        actor,
        report,
        ReviewAction.SUBMITTED,
        ReportStatus.SUBMITTED,
        comment.strip(),
        audit_action="progress_report.submitted",
    )


@transaction.atomic
def return_report(actor, period: ReportingPeriod, comment: str) -> ProgressReport:
    """The secretariat sends the report back, saying what to change."""
    require(permissions.can_review_reports(actor))
    report = _locked_report(period)
    _refuse_unless(report, [ReportStatus.SUBMITTED], _("Only a submitted report can be returned."))
    comment = (comment or "").strip()
    if not comment:
        raise ResultsError(_("Say what should change: a returned report needs a comment."))
    return _change_status(
        actor,
        report,
        ReviewAction.RETURNED,
        ReportStatus.RETURNED,
        comment,
        audit_action="progress_report.returned",
    )


@transaction.atomic
def approve(actor, period: ReportingPeriod, comment: str = "") -> ProgressReport:
    """The secretariat accepts the report; the period is locked from now on."""
    require(permissions.can_review_reports(actor))
    report = _locked_report(period)
    _refuse_unless(report, [ReportStatus.SUBMITTED], _("Only a submitted report can be approved."))
    return _change_status(
        actor,
        report,
        ReviewAction.APPROVED,
        ReportStatus.APPROVED,
        (comment or "").strip(),
        audit_action="progress_report.approved",
    )


@transaction.atomic
def reopen(actor, period: ReportingPeriod, reason: str) -> ProgressReport:
    """The secretariat unlocks an approved report, for a correction it names."""
    require(permissions.can_review_reports(actor))
    report = _locked_report(period)
    _refuse_unless(report, [ReportStatus.APPROVED], _("Only an approved report can be reopened."))
    reason = (reason or "").strip()
    if not reason:
        raise ResultsError(_("Give the reason for reopening an approved report."))
    return _change_status(
        actor,
        report,
        ReviewAction.REOPENED,
        ReportStatus.RETURNED,
        reason,
        audit_action="progress_report.reopened",
        reason=reason,
    )


# What the report shows beside its text --------------------------------------------------------


def events_held(period: ReportingPeriod):
    """The project's events that took place (at least partly) in the period."""
    return (
        Event.objects.for_projects([period.project_id])
        .filter(start__date__lte=period.ends_on, end__date__gte=period.starts_on)
        .select_related("country")
        .order_by("start", "pk")
    )


def courses_held(period: ReportingPeriod):
    """The courses the project funded that ran (at least partly) in the period."""
    return (
        Course.objects.filter(
            project=period.project_id,
            starts_on__lte=period.ends_on,
            ends_on__gte=period.starts_on,
        )
        .exclude(status__in=[CourseStatus.CANCELLED, CourseStatus.PLANNED])
        .select_related("centre")
        .order_by("starts_on", "pk")
    )


def gather(period: ReportingPeriod) -> dict:
    """Everything the report shows, for the page, the PDF and the spreadsheet alike."""
    report = report_of(period)
    return {
        "period": period,
        "project": period.project,
        "report": report,
        "rows": figures.table(period.project, period),
        "events": list(events_held(period)),
        "courses": list(courses_held(period)),
        "open_risks": list(open_risks(period.project)),
        "reviews": list(report.reviews.select_related("by")) if report.pk else [],
        "generated": timezone.now(),
    }
