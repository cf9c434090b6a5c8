"""Writes of the training centre: courses, their sessions and trainers, nominations and
attendance.

Each function takes the acting user and plain values, runs in one transaction, asks the named
checks of ``permissions``, writes the audit trail for decisions about people and sends e-mails
only after the transaction commits. The rules of nomination live here, not in views.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.directory.models import Person
from liaison.events.models import Sex
from liaison.invitations import services as invitations

from .. import permissions
from ..models import (
    Course,
    CourseSession,
    CourseStatus,
    CourseType,
    Enrolment,
    EnrolmentStatus,
    Module,
    SessionAttendance,
    Trainer,
)
from . import PermissionDenied, TrainingError, require

logger = logging.getLogger(__name__)

COURSE_FIELDS = [
    "code",
    "title",
    "type",
    "description",
    "language",
    "starts_on",
    "ends_on",
    "venue",
    "online_url",
    "capacity",
    "nominations_close",
    "project",
    "plan",
    "min_attendance",
    "requires_quiz",
    "requires_practical",
    "requires_evaluation",
    "certificate_valid_years",
]

# Where a course may go from each status. A finished course is a record: it does not reopen.
TRANSITIONS = {
    CourseStatus.PLANNED: {CourseStatus.NOMINATIONS, CourseStatus.RUNNING, CourseStatus.CANCELLED},
    CourseStatus.NOMINATIONS: {CourseStatus.PLANNED, CourseStatus.RUNNING, CourseStatus.CANCELLED},
    CourseStatus.RUNNING: {CourseStatus.FINISHED, CourseStatus.CANCELLED},
    CourseStatus.FINISHED: set(),
    CourseStatus.CANCELLED: {CourseStatus.PLANNED},
}

ACTIVE = [EnrolmentStatus.NOMINATED, EnrolmentStatus.APPROVED]


def _local_day(moment):
    return timezone.localtime(moment).date()


# Courses -------------------------------------------------------------------------------------


def _course_snapshot(course: Course) -> dict:
    values = {name: getattr(course, name) for name in COURSE_FIELDS}
    values["status"] = course.status
    if course.pk:
        values["modules"] = [m.code for m in course.modules.all()]
        values["trainers"] = [str(t) for t in course.trainers.all()]
    return values


def check_modules(centre, modules):
    """Refuse modules the centre may not run: another centre's, unless shared in its network."""
    modules = list(modules)
    allowed = set(
        Module.objects.available_to(centre)
        .filter(pk__in=[m.pk for m in modules])
        .values_list("pk", flat=True)
    )
    refused = [m for m in modules if m.pk not in allowed]
    if refused:
        raise TrainingError(
            _("%(centre)s may not run these modules: %(modules)s.")
            % {"centre": centre, "modules": ", ".join(str(m) for m in refused)}
        )


def _check_trainers(centre, trainers, kept=()):
    """Trainers come from the centre's own active pool; one already on the course may stay."""
    kept = {t.pk for t in kept}
    refused = [
        t for t in trainers if t.pk not in kept and (t.centre_id != centre.pk or not t.active)
    ]
    if refused:
        raise TrainingError(
            _("Choose trainers from the active pool of %(centre)s: %(trainers)s.")
            % {"centre": centre, "trainers": ", ".join(str(t) for t in refused)}
        )


@transaction.atomic
def save_course(
    actor, course: Course, fields: dict, *, modules=None, trainers=None, reason=""
) -> Course:
    """Create a course (``course.pk`` is None, its ``centre`` set) or change one.

    Modules must be ones the centre may run and trainers come from its pool; a change of dates
    that would leave sessions outside the course is refused.
    """
    created = course.pk is None
    require(permissions.can_manage_centre(actor, course.centre))
    before = {} if created else _course_snapshot(Course.objects.get(pk=course.pk))
    for name, value in fields.items():
        setattr(course, name, value)
    if course.plan_id and course.plan.centre_id != course.centre_id:
        raise TrainingError(_("A course may only belong to a plan of its own centre."))
    if modules is not None:
        modules = list(modules)
        if not modules:
            raise TrainingError(_("A course runs at least one module."))
        kept = set() if created else set(course.modules.all())
        check_modules(course.centre, [m for m in modules if m not in kept])
    if trainers is not None:
        trainers = list(trainers)
        _check_trainers(course.centre, trainers, () if created else course.trainers.all())
    course.full_clean()
    if not created:
        _check_sessions_within(course)
    course.save()
    if modules is not None:
        course.modules.set(modules)
    if trainers is not None:
        course.trainers.set(trainers)
    changes = audit.diff(before, _course_snapshot(course))
    if changes:
        audit.record(
            actor, "course.created" if created else "course.updated", course, changes, reason
        )
    return course


def _check_sessions_within(course: Course):
    outside = [
        s
        for s in course.sessions.all()
        if _local_day(s.starts_at) < course.starts_on or _local_day(s.ends_at) > course.ends_on
    ]
    if outside:
        raise TrainingError(
            _("These sessions would fall outside the course's dates: %(sessions)s.")
            % {"sessions": ", ".join(str(s) for s in outside)}
        )


@transaction.atomic
def set_status(actor, course: Course, status: str, reason: str = "") -> Course:
    """Move a course along planned → open for nominations → running → finished (or cancelled)."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    require(permissions.can_manage_course(actor, course))
    if status not in CourseStatus.values:
        raise TrainingError(_("Unknown course status."))
    if status == course.status:
        return course
    if status not in TRANSITIONS[course.status]:
        raise TrainingError(
            _("A course that is “%(old)s” cannot become “%(new)s”.")
            % {"old": course.get_status_display(), "new": CourseStatus(status).label}
        )
    old = course.status
    course.status = status
    course.save(update_fields=["status", "updated"])
    audit.record(actor, "course.status", course, {"status": [old, status]}, reason)
    return course


# Sessions ------------------------------------------------------------------------------------


@transaction.atomic
def save_session(actor, course: Course, session: CourseSession) -> CourseSession:
    """Add or change a session; it must take place within the course's dates."""
    require(permissions.can_manage_course(actor, course))
    if session.pk and session.course_id != course.pk:
        raise PermissionDenied(_("That session belongs to another course."))
    session.course = course
    session.full_clean()
    if (
        _local_day(session.starts_at) < course.starts_on
        or _local_day(session.ends_at) > course.ends_on
    ):
        raise TrainingError(
            _("A session takes place within the course's dates (%(start)s to %(end)s).")
            % {"start": course.starts_on.isoformat(), "end": course.ends_on.isoformat()}
        )
    if session.module_id and not course.modules.filter(pk=session.module_id).exists():
        raise TrainingError(_("A session teaches one of the course's modules."))
    if session.trainer_id and not course.trainers.filter(pk=session.trainer_id).exists():
        raise TrainingError(_("A session is given by one of the course's trainers."))
    created = session.pk is None
    session.save()
    audit.record(
        actor,
        "course_session.created" if created else "course_session.updated",
        session,
        {"course": course.pk},
    )
    return session


@transaction.atomic
def delete_session(actor, session: CourseSession):
    """Remove a session; the attendance taken at it goes with it, so the trail keeps the fact."""
    require(permissions.can_manage_course(actor, session.course))
    audit.record(
        actor,
        "course_session.deleted",
        session,
        {"course": session.course_id, "attendance": session.attendance.count()},
    )
    session.delete()


# Trainer pool --------------------------------------------------------------------------------


@transaction.atomic
def add_trainer(
    actor, centre, person: Person, *, modules=(), trained_in: Course | None = None, expertise=""
) -> Trainer:
    """Put a person in a centre's trainer pool.

    ``trained_in`` is the training-of-trainers course that qualified them; its trainers are then
    the ones who trained this trainer.
    """
    require(permissions.can_manage_centre(actor, centre))
    existing = Trainer.objects.filter(person=person).select_related("centre").first()
    if existing is not None:
        raise TrainingError(
            _("%(person)s is already in the trainer pool of %(centre)s.")
            % {"person": person, "centre": existing.centre}
        )
    modules = list(modules)
    check_modules(centre, modules)
    if trained_in is not None and trained_in.type != CourseType.TRAINING_OF_TRAINERS:
        raise TrainingError(_("“Trained in” names a training-of-trainers course."))
    trainer = Trainer.objects.create(
        person=person, centre=centre, trained_in=trained_in, expertise=expertise
    )
    trainer.modules.set(modules)
    audit.record(
        actor,
        "trainer.added",
        trainer,
        {
            "centre": str(centre),
            "modules": [m.code for m in modules],
            "trained_in": str(trained_in or ""),
        },
    )
    return trainer


@transaction.atomic
def set_trainer_active(actor, trainer: Trainer, active: bool) -> Trainer:
    """Take a trainer out of the pool for new courses (or back in); past courses keep them."""
    require(permissions.can_manage_centre(actor, trainer.centre))
    if trainer.active != active:
        trainer.active = active
        trainer.save(update_fields=["active"])
        audit.record(actor, "trainer.updated", trainer, {"active": [not active, active]})
    return trainer


# Nominations ---------------------------------------------------------------------------------


def status_counts(course: Course) -> dict:
    """Enrolments of the course by status, in one query."""
    return dict(
        Enrolment.objects.filter(course=course)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )


def places_left(course: Course, approved: int | None = None) -> int | None:
    if course.capacity is None:
        return None
    if approved is None:
        approved = Enrolment.objects.filter(course=course).approved().count()
    return max(course.capacity - approved, 0)


def nominations_refusal(course: Course, today=None) -> str:
    """Why nominations are not taken now, or an empty string when they are."""
    today = today or timezone.localdate()
    if course.status != CourseStatus.NOMINATIONS:
        return _("This course is not open for nominations.")
    if course.nominations_close and today > course.nominations_close:
        return _("Nominations for this course closed on %(day)s.") % {
            "day": course.nominations_close.isoformat()
        }
    return ""


@transaction.atomic
def nominate(
    actor, course: Course, person: Person, *, sex: str = "", motivation: str = "", today=None
) -> Enrolment:
    """A focal point nominates an officer of their own institution; the centre decides later.

    Nominations may exceed the places; approvals may not.
    """
    course = Course.objects.select_for_update().select_related("centre").get(pk=course.pk)
    organisation = person.organisation
    if organisation is None:
        raise TrainingError(_("Only an officer of an institution can be nominated."))
    require(permissions.can_nominate(actor, course, organisation))
    refusal = nominations_refusal(course, today)
    if refusal:
        raise TrainingError(refusal)
    if sex and sex not in Sex.values:
        raise TrainingError(_("Choose one of the options offered for sex."))
    existing = Enrolment.objects.filter(course=course, person=person).first()
    if existing is not None:
        raise TrainingError(
            _("%(person)s is already nominated for this course (%(status)s).")
            % {"person": person, "status": existing.get_status_display()}
        )
    enrolment = Enrolment.objects.create(
        course=course,
        person=person,
        organisation=organisation,
        sex=sex,
        motivation=motivation,
        nominated_by=actor,
    )
    audit.record(
        actor,
        "enrolment.nominated",
        enrolment,
        {"course": course.pk, "organisation": str(organisation)},
    )
    _email_after_commit(enrolment, "nominated")
    return enrolment


@transaction.atomic
def nominate_new_officer(
    actor,
    course: Course,
    organisation,
    *,
    name: str,
    email: str = "",
    position: str = "",
    sex: str = "",
    motivation: str = "",
    today=None,
) -> Enrolment:
    """Nominate an officer who is not in the directory yet: the person is created in the
    nominating institution, or found there by e-mail."""
    require(permissions.can_nominate(actor, course, organisation))
    name, email = (name or "").strip(), (email or "").strip()
    if not name:
        raise TrainingError(_("Give the officer's name."))
    person = None
    if email:
        person = (
            Person.objects.filter(organisation=organisation, email__iexact=email)
            .order_by("pk")
            .first()
        )
    if person is None:
        person = Person.objects.create(
            name=name,
            email=email,
            position=(position or "").strip(),
            organisation=organisation,
            is_contact_point=False,
        )
    return nominate(actor, course, person, sex=sex, motivation=motivation, today=today)


def _locked(enrolment: Enrolment) -> Enrolment:
    return (
        Enrolment.objects.select_for_update()
        .select_related("course__centre", "person")
        .get(pk=enrolment.pk)
    )


def _decide(actor, enrolment, allowed_from, new_status, action, note):
    old = enrolment.status
    if old not in allowed_from:
        raise TrainingError(
            _("A nomination that is “%(status)s” cannot be changed this way.")
            % {"status": enrolment.get_status_display()}
        )
    enrolment.status = new_status
    fields = ["status"]
    if action != "enrolment.withdrawn":
        # A withdrawal is not the centre's decision; the reason stays in the audit trail.
        enrolment.decided_by = actor
        enrolment.decision_note = note
        fields += ["decided_by", "decision_note"]
    enrolment.save(update_fields=fields)
    audit.record(actor, action, enrolment, {"status": [old, new_status]}, note)
    _email_after_commit(enrolment, new_status)
    return enrolment


@transaction.atomic
def approve(actor, enrolment: Enrolment, note: str = "") -> Enrolment:
    """Give a nominee a place; refused when every place is taken."""
    # Locking the course serialises approvals, so the capacity holds.
    course = Course.objects.select_for_update().get(pk=enrolment.course_id)
    enrolment = _locked(enrolment)
    require(permissions.can_decide_nomination(actor, enrolment))
    if course.status in (CourseStatus.FINISHED, CourseStatus.CANCELLED):
        raise TrainingError(
            _("The course is “%(status)s”: no more places are given.")
            % {"status": course.get_status_display()}
        )
    if course.capacity is not None and enrolment.status != EnrolmentStatus.APPROVED:
        taken = Enrolment.objects.filter(course=course).approved().count()
        if taken >= course.capacity:
            raise TrainingError(
                _("The course is full: all %(capacity)d places are taken.")
                % {"capacity": course.capacity}
            )
    enrolment = _decide(
        actor,
        enrolment,
        [EnrolmentStatus.NOMINATED],
        EnrolmentStatus.APPROVED,
        "enrolment.approved",
        (note or "").strip(),
    )
    person = enrolment.person
    if person.user_id is None and person.email:
        # A nominee without an account could never open the lessons of the place just given.
        invitations.invite(
            actor,
            person,
            organisation=enrolment.organisation,
            next_url=course.get_absolute_url(),
            reason=_("You have a place on “%(course)s”.") % {"course": course.title[:150]},
            checked=True,
        )
    return enrolment


@transaction.atomic
def reject(actor, enrolment: Enrolment, note: str) -> Enrolment:
    """Turn a nomination down (or take back a place); the nominee is told why."""
    enrolment = _locked(enrolment)
    require(permissions.can_decide_nomination(actor, enrolment))
    note = (note or "").strip()
    if not note:
        raise TrainingError(_("Say why the nomination is not accepted; the nominee is told."))
    return _decide(actor, enrolment, ACTIVE, EnrolmentStatus.REJECTED, "enrolment.rejected", note)


@transaction.atomic
def withdraw(actor, enrolment: Enrolment, reason: str = "") -> Enrolment:
    """A nominee leaves the course, freeing their place."""
    enrolment = _locked(enrolment)
    require(permissions.can_withdraw(actor, enrolment))
    return _decide(
        actor,
        enrolment,
        ACTIVE,
        EnrolmentStatus.WITHDRAWN,
        "enrolment.withdrawn",
        (reason or "").strip(),
    )


# Attendance ----------------------------------------------------------------------------------


@transaction.atomic
def attendance_refusal(session: CourseSession, today=None) -> str:
    """Why attendance cannot be taken for ``session`` now, or an empty string.

    A closed course's outcomes and certificates rest on its register, so it no longer changes;
    a session is registered from its own day on, not in advance."""
    if session.course.status in (CourseStatus.FINISHED, CourseStatus.CANCELLED):
        return _("The course is closed; its attendance no longer changes.")
    today = today or timezone.localdate()
    if timezone.localdate(session.starts_at) > today:
        return _("Attendance is taken from the day of the session.")
    return ""


def set_attendance(
    actor, session: CourseSession, enrolment: Enrolment, present: bool
) -> SessionAttendance:
    """Record whether an approved trainee attended a session; the trail keeps each change."""
    require(permissions.can_train(actor, session.course))
    refusal = attendance_refusal(session)
    if refusal:
        raise TrainingError(refusal)
    if enrolment.course_id != session.course_id:
        raise TrainingError(_("That trainee is on another course."))
    if enrolment.status != EnrolmentStatus.APPROVED:
        raise TrainingError(_("Attendance is taken for approved trainees only."))
    present = bool(present)
    record = SessionAttendance.objects.filter(session=session, enrolment=enrolment).first()
    if record is not None and record.present == present:
        return record
    old = None if record is None else record.present
    if record is None:
        record = SessionAttendance(session=session, enrolment=enrolment)
    record.present = present
    record.recorded_by = actor
    record.save()
    audit.record(
        actor,
        "attendance.recorded",
        record,
        {"session": session.pk, "present": [old, present]},
    )
    return record


@transaction.atomic
def record_session(actor, session: CourseSession, present: set[int]) -> int:
    """Take the register of a session at once: the approved trainees whose enrolment ids are in
    ``present`` attended, the others did not. Returns how many attended."""
    require(permissions.can_train(actor, session.course))
    enrolments = Enrolment.objects.filter(course_id=session.course_id).approved()
    count = 0
    for enrolment in enrolments:
        attended = enrolment.pk in present
        set_attendance(actor, session, enrolment, attended)
        count += attended
    return count


def attendance_summary(course: Course) -> dict:
    """Trainees × sessions with each trainee's share of sessions attended, in three queries."""
    sessions = list(course.sessions.order_by("starts_at", "pk"))
    enrolments = list(
        Enrolment.objects.filter(course=course)
        .approved()
        .select_related("person", "organisation")
        .order_by("person__name", "pk")
    )
    marks = {
        (row["enrolment"], row["session"]): row["present"]
        for row in SessionAttendance.objects.filter(
            session__course=course, enrolment__status=EnrolmentStatus.APPROVED
        ).values("enrolment", "session", "present")
    }
    rows = []
    for enrolment in enrolments:
        cells = [marks.get((enrolment.pk, s.pk)) for s in sessions]
        attended = sum(1 for c in cells if c)
        rate = round(100 * attended / len(sessions)) if sessions else 0
        rows.append(
            {
                "enrolment": enrolment,
                "cells": cells,
                "attended": attended,
                "rate": rate,
                "meets_rule": rate >= course.min_attendance,
            }
        )
    per_session = [sum(1 for row in rows if row["cells"][index]) for index in range(len(sessions))]
    return {"sessions": sessions, "rows": rows, "per_session": per_session}


# E-mail --------------------------------------------------------------------------------------


def _email_after_commit(enrolment: Enrolment, kind: str):
    pk = enrolment.pk
    transaction.on_commit(lambda: send_enrolment_email(pk, kind))


def send_enrolment_email(enrolment_pk: int, kind: str):
    """Tell the nominee where their nomination stands."""
    enrolment = (
        Enrolment.objects.select_related("course__centre", "person__user")
        .filter(pk=enrolment_pk)
        .first()
    )
    if enrolment is None:
        return
    person = enrolment.person
    address = person.email or (person.user.email if person.user_id else "")
    if not address:
        return
    context = {
        "enrolment": enrolment,
        "course": enrolment.course,
        "kind": kind,
        "link": settings.SITE_URL + enrolment.course.get_absolute_url(),
    }
    subject = _("%(course)s: %(status)s") % {
        "course": enrolment.course.title[:120],
        "status": enrolment.get_status_display(),
    }
    body = render_to_string("training/courses/email/enrolment.txt", context)
    try:
        send_mail(subject, body, None, [address])
    except (OSError, ValidationError):
        # The decision stands; a lost e-mail must not undo it.
        logger.exception("Could not send the enrolment e-mail %s", enrolment_pk)
