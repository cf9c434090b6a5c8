"""Closing a course, issuing and revoking certificates.

The centre closes a course: every approved trainee is judged against the course's completion
rule, their outcome is set and those who completed get a certificate. Closing again changes
only what changed since and never issues a second certificate. A trainee of a self-paced online
course, which has no end the centre marks, claims their own certificate once they complete.
A certificate copies what it says when it is issued; revoking one keeps it, marked revoked.

Each write runs in a transaction and leaves an audit entry, since these are decisions about
people's results.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit

from .. import completion, permissions
from ..models import (
    Accreditation,
    Certificate,
    Course,
    CourseStatus,
    CourseType,
    Enrolment,
    Outcome,
)
from ..models.certificates import CODE_ALPHABET
from . import PermissionDenied, TrainingError, require

CODE_LENGTH = 12
CLOSABLE = [CourseStatus.RUNNING, CourseStatus.FINISHED]


@dataclass
class Closing:
    """What closing a course did."""

    completed: list[Enrolment] = field(default_factory=list)
    not_completed: list[Enrolment] = field(default_factory=list)
    issued: list[Certificate] = field(default_factory=list)


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def _snapshot_modules(course: Course, day: datetime.date) -> list[dict]:
    """Code, title, version and hours of each module, with its accrediting body when it was
    accredited on the day of issue, so the certificate never changes with the catalogue."""
    return [
        {
            "code": module.code,
            "title": module.title,
            "version": module.version,
            "hours": str(module.duration_hours),
            "accredited_by": (
                module.accrediting_body
                if module.accreditation_on(day) == Accreditation.ACCREDITED
                else ""
            ),
        }
        for module in course.modules.order_by("code")
    ]


def _issue(actor, enrolment: Enrolment, modules: list[dict], today) -> Certificate:
    course = enrolment.course
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        holder_name=enrolment.person.name,
        course_title=course.title,
        modules=modules,
        hours=sum((module.duration_hours for module in course.modules.all()), 0),
        issued_on=today,
        valid_until=(
            _years_later(today, course.certificate_valid_years)
            if course.certificate_valid_years
            else None
        ),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor,
        "training.certificate.issued",
        certificate,
        {"enrolment": enrolment.pk, "holder": certificate.holder_name, "course": course.title},
    )
    return certificate


def _set_outcome(actor, enrolment: Enrolment, outcome: str, today, reasons=()) -> bool:
    """Record the outcome; a completion keeps its first date when the course is closed again."""
    completed_on = (enrolment.completed_on or today) if outcome == Outcome.COMPLETED else None
    if enrolment.outcome == outcome and enrolment.completed_on == completed_on:
        return False
    before = {"outcome": enrolment.outcome, "completed_on": enrolment.completed_on}
    enrolment.outcome = outcome
    enrolment.completed_on = completed_on
    enrolment.save(update_fields=["outcome", "completed_on"])
    audit.record(
        actor,
        "training.enrolment.outcome",
        enrolment,
        audit.diff(before, {"outcome": outcome, "completed_on": completed_on}),
        reason=" ".join(reasons),
    )
    return True


@transaction.atomic
def close_course(actor, course: Course, *, today: datetime.date | None = None) -> Closing:
    """Judge every approved trainee, set their outcome and certify those who completed.

    A trainee who already holds a certificate keeps it and stays completed, even if a later
    correction would change the result: a certificate is withdrawn only by revoking it.
    """
    require(permissions.can_manage_course(actor, course))
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status not in CLOSABLE:
        raise TrainingError(_("Only a running or finished course can be closed."))
    today = today or timezone.localdate()
    results = completion.evaluate_course(course)
    enrolments = (
        course.enrolments.approved()
        .select_related("person", "course", "certificate")
        .order_by("person__name")
    )
    modules = _snapshot_modules(course, today)
    closing = Closing()
    for enrolment in enrolments:
        certificate = getattr(enrolment, "certificate", None)
        result = results[enrolment.pk]
        if result.complete or certificate is not None:
            _set_outcome(actor, enrolment, Outcome.COMPLETED, today)
            closing.completed.append(enrolment)
            if certificate is None:
                closing.issued.append(_issue(actor, enrolment, modules, today))
        else:
            _set_outcome(actor, enrolment, Outcome.NOT_COMPLETED, today, result.reasons)
            closing.not_completed.append(enrolment)
    changes = {}
    if course.status != CourseStatus.FINISHED:
        changes["status"] = [course.status, CourseStatus.FINISHED]
        course.status = CourseStatus.FINISHED
        course.save(update_fields=["status", "updated"])
    audit.record(
        actor,
        "training.course.closed",
        course,
        {
            **changes,
            "completed": len(closing.completed),
            "not_completed": len(closing.not_completed),
            "certificates_issued": len(closing.issued),
        },
    )
    return closing


def _certify_one(actor, enrolment: Enrolment, today) -> Certificate:
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("person", "course")
        .get(pk=enrolment.pk)
    )
    if Certificate.objects.filter(enrolment=enrolment).exists():
        raise TrainingError(_("This trainee already holds a certificate for this course."))
    result = completion.evaluate(enrolment)
    if not result.complete:
        raise TrainingError(
            _("The course is not completed yet: %(reasons)s")
            % {"reasons": " ".join(result.reasons)}
        )
    _set_outcome(actor, enrolment, Outcome.COMPLETED, today)
    return _issue(actor, enrolment, _snapshot_modules(enrolment.course, today), today)


@transaction.atomic
def issue_certificate(
    actor, enrolment: Enrolment, *, today: datetime.date | None = None
) -> Certificate:
    """Certify one trainee who completed, without closing the whole course."""
    require(permissions.can_manage_course(actor, enrolment.course))
    return _certify_one(actor, enrolment, today or timezone.localdate())


@transaction.atomic
def claim_certificate(
    actor, enrolment: Enrolment, *, today: datetime.date | None = None
) -> Certificate:
    """A trainee's own certificate for a self-paced online course they completed; for other
    courses the centre certifies everyone when it closes the course. Claiming again returns
    the certificate already issued."""
    if not (getattr(actor, "is_authenticated", False) and enrolment.person.user_id == actor.pk):
        raise PermissionDenied(_("Only the trainee claims their own certificate."))
    if enrolment.course.type != CourseType.ONLINE_SELF_PACED:
        raise TrainingError(
            _("The centre issues the certificates of this course when it closes the course.")
        )
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    return _certify_one(actor, enrolment, today or timezone.localdate())


@transaction.atomic
def revoke_certificate(actor, certificate: Certificate, reason: str, *, now=None) -> Certificate:
    """Withdraw a certificate, for instance one issued in error. The verification page then
    says it was revoked and when; the reason stays with the centre."""
    course = certificate.enrolment.course
    require(permissions.can_manage_course(actor, course))
    reason = (reason or "").strip()
    if not reason:
        raise TrainingError(_("Say why the certificate is revoked."))
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise TrainingError(_("This certificate was already revoked."))
    certificate.revoked_at = now or timezone.now()
    certificate.revoked_reason = reason
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    audit.record(
        actor,
        "training.certificate.revoked",
        certificate,
        {"revoked_at": [None, certificate.revoked_at.isoformat()]},
        reason=reason,
    )
    return certificate


# Reading -------------------------------------------------------------------------------------


def normalise_code(code: str) -> str | None:
    """A certificate code as printed (``K7QM-2XVD-9HTA``) from what someone typed: any case,
    with spaces or without dashes. None when it cannot be a code at all."""
    raw = re.sub(r"[\s\-–—_.]", "", code or "").upper()
    if len(raw) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in raw):
        return None
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def find_certificate(typed: str) -> Certificate | None:
    """The certificate whose code was typed, however it was written, or None."""
    code = normalise_code(typed)
    return Certificate.objects.filter(code=code).first() if code else None


def certificate_status(certificate: Certificate, today: datetime.date | None = None) -> str:
    """``valid``, ``expired`` or ``revoked``."""
    if certificate.revoked_at is not None:
        return "revoked"
    if certificate.is_valid_on(today or timezone.localdate()):
        return "valid"
    return "expired"


def completion_context(user, course: Course) -> dict:
    """What ``training/certificates/_course_completion.html`` needs on the course page.

    ``completion`` and ``certificate`` are the signed-in trainee's own (None when they are not
    approved on the course); ``can_claim`` offers the self-service certificate; ``can_close``
    shows the centre's button to close the course and issue certificates.
    """
    enrolment = permissions.enrolment_of(user, course)
    result = completion.evaluate(enrolment) if enrolment else None
    certificate = Certificate.objects.filter(enrolment=enrolment).first() if enrolment else None
    return {
        "course": course,
        "enrolment": enrolment,
        "completion": result,
        "certificate": certificate,
        "can_claim": bool(
            result
            and result.complete
            and certificate is None
            and course.type == CourseType.ONLINE_SELF_PACED
        ),
        # A finished course may be closed again (nothing is issued twice), but the button is
        # offered while the course runs.
        "can_close": permissions.can_manage_course(user, course)[0]
        and course.status == CourseStatus.RUNNING,
    }
