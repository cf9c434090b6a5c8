"""A person's learning as one transcript, and a trainer's record, for the people pages.

The transcript is personal data, read by the person, the staff of the centres they enrolled
at, and Liaison's staff. It is gathered in a fixed number of queries, however long it is, so
the person page (``web:person``) can show it beside the events the person attended.
"""

from django.db.models import Case, Count, Exists, IntegerField, Max, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce

from liaison.events.models import Attendance, Registration

from . import permissions
from .models import (
    Certificate,
    Course,
    CourseSession,
    Enrolment,
    EnrolmentStatus,
    QuizAttempt,
    Trainer,
)


def _session_count():
    return Coalesce(
        Subquery(
            CourseSession.objects.filter(course=OuterRef("course"))
            .order_by()
            .values("course")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def enrolments_of(person):
    """The person's courses, newest first, with attendance counted in the database."""
    return (
        Enrolment.objects.filter(person=person)
        .select_related("course__centre")
        .prefetch_related("course__modules")
        .annotate(
            attended=Count(
                "attendance",
                filter=Q(attendance__present=True),
                distinct=True,
            ),
            session_total=_session_count(),
        )
        .order_by("-course__starts_on", "course__title")
    )


def quiz_results_of(person):
    """The best result and number of attempts per quiz the person submitted."""
    if not person.user_id:
        return []
    return list(
        QuizAttempt.objects.filter(user_id=person.user_id, submitted__isnull=False)
        .values("quiz_id", "quiz__title", "quiz__kind", "quiz__module__code", "course__title")
        .annotate(
            best=Max("percent"),
            attempts=Count("pk"),
            # Max over a boolean is not portable (PostgreSQL has no max(boolean)).
            passed=Max(Case(When(passed=True, then=1), default=0)),
        )
        .order_by("quiz__module__code", "quiz__title", "course__title")
    )


def events_attended(person):
    """The events the person was checked in at, from the events app's registrations."""
    return (
        Registration.objects.filter(person=person)
        .filter(Exists(Attendance.objects.filter(registration=OuterRef("pk"))))
        .select_related("event")
        .order_by("-event__start")
    )


def gather(person) -> dict:
    """Everything the transcript shows; the caller has checked ``can_see_transcript``."""
    enrolments = list(enrolments_of(person))
    for enrolment in enrolments:
        enrolment.attendance_percent = (
            round(100 * enrolment.attended / enrolment.session_total)
            if enrolment.session_total
            else None
        )
    certificates = list(
        Certificate.objects.filter(enrolment__person=person)
        .select_related("enrolment__course")
        .order_by("-issued_on", "-pk")
    )
    return {
        "transcript_enrolments": enrolments,
        "transcript_quizzes": quiz_results_of(person),
        "transcript_certificates": certificates,
        "transcript_hours": sum(
            (c.hours for c in certificates if c.revoked_at is None),
            0,
        ),
    }


def trainer_record(trainer: Trainer, user) -> dict:
    """A trainer's courses with trainee counts, who they trained, and who trained them.
    ``trainees`` is a queryset for the caller to paginate."""
    courses = (
        Course.objects.visible_to(user)
        .filter(trainers=trainer)
        .select_related("centre")
        .annotate(
            trainee_count=Count(
                "enrolments",
                filter=Q(enrolments__status=EnrolmentStatus.APPROVED),
                distinct=True,
            )
        )
        .order_by("-starts_on", "title")
    )
    show_names = permissions.can_see_trainees(user, trainer)
    trainees = (
        Enrolment.objects.filter(course__trainers=trainer, status=EnrolmentStatus.APPROVED)
        .select_related("person", "course")
        .order_by("person__name", "course__starts_on")
        if show_names
        else Enrolment.objects.none()
    )
    trained = (
        Trainer.objects.filter(trained_in__trainers=trainer)
        .select_related("person", "trained_in")
        .order_by("person__name")
        .distinct()
    )
    trained_by = (
        Trainer.objects.filter(courses=trainer.trained_in)
        .select_related("person")
        .order_by("person__name")
        if trainer.trained_in_id
        else Trainer.objects.none()
    )
    return {
        "courses": courses,
        "show_names": show_names,
        "trainees": trainees,
        "trainee_total": Enrolment.objects.filter(
            course__trainers=trainer, status=EnrolmentStatus.APPROVED
        )
        .values("person")
        .distinct()
        .count(),
        "trained": trained,
        "trained_by": trained_by,
    }
