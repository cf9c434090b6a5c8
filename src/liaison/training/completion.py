"""Whether a trainee has completed a course, and if not, what is still missing.

The rule is the course's own: a share of its sessions attended (when it has sessions), every
graded quiz of its modules passed, every practical assessment passed, the evaluation filled
in, as the course asks. Only an approved trainee completes. The reasons are written for the
trainee to read, so the course page can say exactly what is left to do.

A quiz attempt counts when it was submitted and passed by the trainee's account, either on this
course or with no course recorded (a module's quiz taken outside a course run); an attempt made
on another run of the same module does not count here.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from .models import (
    Course,
    Enrolment,
    EnrolmentStatus,
    Evaluation,
    PracticalAssessment,
    PracticalResult,
    Quiz,
    QuizAttempt,
    QuizKind,
)


@dataclass
class Completion:
    """Where one trainee stands against the course's completion rule.

    ``attendance_percent`` is None when the course has no sessions (the rule does not apply).
    ``quiz_passed``, ``practical_passed`` and ``evaluation_done`` say how things stand even when
    the course does not ask for them; ``reasons`` lists only what the rule still needs.
    """

    complete: bool
    approved: bool
    sessions_attended: int
    sessions_total: int
    attendance_percent: int | None
    min_attendance: int
    quiz_passed: bool
    practical_passed: bool
    evaluation_done: bool
    quizzes_missing: list[str] = field(default_factory=list)
    practicals_missing: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def evaluate(enrolment: Enrolment) -> Completion:
    """The completion of one enrolment."""
    return evaluate_enrolments(enrolment.course, Enrolment.objects.filter(pk=enrolment.pk))[
        enrolment.pk
    ]


def evaluate_course(course: Course) -> dict[int, Completion]:
    """The completion of every enrolment on ``course``, keyed by enrolment id, in a fixed
    number of queries however many trainees there are."""
    return evaluate_enrolments(course, course.enrolments.all())


def evaluate_enrolments(course: Course, enrolments) -> dict[int, Completion]:
    """The completion of some of ``course``'s enrolments (a page of them, say)."""
    sessions_total = course.sessions.count()
    rows = list(
        enrolments.annotate(
            attended=Count(
                "attendance",
                filter=Q(attendance__present=True, attendance__session__course=course),
                distinct=True,
            ),
            evaluated=Exists(Evaluation.objects.filter(enrolment=OuterRef("pk"))),
        ).values("pk", "status", "person__user_id", "attended", "evaluated")
    )
    quizzes = list(
        Quiz.objects.filter(module__courses=course, kind=QuizKind.QUIZ)
        .order_by("module__code", "title")
        .values_list("pk", "title")
        .distinct()
    )
    users = [row["person__user_id"] for row in rows if row["person__user_id"]]
    passed_quizzes = set()
    if quizzes and users:
        passed_quizzes = set(
            QuizAttempt.objects.filter(
                Q(course=course) | Q(course__isnull=True),
                quiz__in=[pk for pk, _title in quizzes],
                user__in=users,
                passed=True,
                submitted__isnull=False,
            )
            .values_list("user_id", "quiz_id")
            .distinct()
        )
    practicals = list(
        PracticalAssessment.objects.filter(course=course).order_by("pk").values_list("pk", "title")
    )
    passed_practicals = set()
    if practicals:
        passed_practicals = set(
            PracticalResult.objects.filter(
                enrolment__in=[row["pk"] for row in rows],
                assessment__course=course,
                passed=True,
            ).values_list("enrolment_id", "assessment_id")
        )
    return {
        row["pk"]: _judge(
            course,
            row,
            sessions_total,
            [title for pk, title in quizzes if (row["person__user_id"], pk) not in passed_quizzes],
            [title for pk, title in practicals if (row["pk"], pk) not in passed_practicals],
        )
        for row in rows
    }


def _judge(course, row, sessions_total, quizzes_missing, practicals_missing) -> Completion:
    approved = row["status"] == EnrolmentStatus.APPROVED
    attended = row["attended"]
    reasons = []
    if not approved:
        reasons.append(_("Only a trainee approved on the course can complete it."))
    percent = None
    if sessions_total:
        percent = round(100 * attended / sessions_total)
        # Compared in whole numbers so that 4 of 5 is exactly 80%.
        if attended * 100 < course.min_attendance * sessions_total:
            message = _(
                "Attended %(attended)d of %(total)d sessions (%(percent)d%%); %(needed)d%% needed."
            )
            reasons.append(
                message
                % {
                    "attended": attended,
                    "total": sessions_total,
                    "percent": percent,
                    "needed": course.min_attendance,
                }
            )
    if course.requires_quiz and quizzes_missing:
        reasons.append(
            _("Graded quiz not passed yet: %(titles)s.") % {"titles": ", ".join(quizzes_missing)}
        )
    if course.requires_practical and practicals_missing:
        reasons.append(
            _("Practical assessment not passed yet: %(titles)s.")
            % {"titles": ", ".join(practicals_missing)}
        )
    if course.requires_evaluation and not row["evaluated"]:
        reasons.append(_("The course evaluation is not filled in yet."))
    return Completion(
        complete=not reasons,
        approved=approved,
        sessions_attended=attended,
        sessions_total=sessions_total,
        attendance_percent=percent,
        min_attendance=course.min_attendance,
        quiz_passed=not quizzes_missing,
        practical_passed=not practicals_missing,
        evaluation_done=bool(row["evaluated"]),
        quizzes_missing=quizzes_missing,
        practicals_missing=practicals_missing,
        reasons=reasons,
    )
