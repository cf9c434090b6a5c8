"""The completion rule: attendance share, graded quizzes, practicals, the evaluation."""

import datetime

import pytest
from django.utils import timezone

from liaison.training.completion import evaluate, evaluate_course
from liaison.training.models import (
    CourseSession,
    Enrolment,
    EnrolmentStatus,
    Evaluation,
    PracticalAssessment,
    PracticalResult,
    Quiz,
    QuizAttempt,
    QuizKind,
    SessionAttendance,
)


def attend(enrolment, count, present=True):
    for session in enrolment.course.sessions.order_by("starts_at")[:count]:
        SessionAttendance.objects.create(session=session, enrolment=enrolment, present=present)


def add_sessions(course, total):
    """Bring the course to ``total`` sessions."""
    for day in range(course.sessions.count(), total):
        start = timezone.make_aware(datetime.datetime(2026, 3, 10 + day, 9))
        CourseSession.objects.create(
            course=course,
            title=f"Extra {day}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
        )


def attempt(quiz, user, passed, course=None, submitted=True):
    return QuizAttempt.objects.create(
        quiz=quiz,
        user=user,
        course=course,
        submitted=timezone.now() if submitted else None,
        percent=90 if passed else 40,
        passed=passed,
    )


@pytest.fixture
def no_quiz(course):
    course.requires_quiz = False
    course.save()
    return course


@pytest.fixture
def quiz(module):
    return Quiz.objects.create(module=module, title="Asylum procedure test", kind=QuizKind.QUIZ)


def test_four_of_five_sessions_is_exactly_eighty_per_cent_and_completes(no_quiz, enrolment):
    add_sessions(no_quiz, 5)
    attend(enrolment, 4)
    result = evaluate(enrolment)
    assert result.complete
    assert (result.sessions_attended, result.sessions_total) == (4, 5)
    assert result.attendance_percent == 80
    assert result.reasons == []


def test_below_the_share_fails_and_says_by_how_much(no_quiz, enrolment):
    attend(enrolment, 2)
    result = evaluate(enrolment)
    assert not result.complete
    assert result.reasons == ["Attended 2 of 3 sessions (67%); 80% needed."]


def test_absences_recorded_do_not_count_as_attendance(no_quiz, enrolment):
    attend(enrolment, 3, present=False)
    result = evaluate(enrolment)
    assert result.sessions_attended == 0
    assert not result.complete


def test_a_course_without_sessions_has_no_attendance_rule(no_quiz, enrolment):
    no_quiz.sessions.all().delete()
    result = evaluate(enrolment)
    assert result.complete
    assert result.attendance_percent is None


def test_no_quiz_attempt_fails_when_a_quiz_is_required(course, enrolment, quiz):
    attend(enrolment, 3)
    result = evaluate(enrolment)
    assert not result.complete
    assert result.reasons == ["Graded quiz not passed yet: Asylum procedure test."]


def test_a_failed_attempt_then_a_passed_one_completes(course, enrolment, quiz, trainee):
    attend(enrolment, 3)
    attempt(quiz, trainee, passed=False, course=course)
    assert not evaluate(enrolment).complete
    attempt(quiz, trainee, passed=True, course=course)
    assert evaluate(enrolment).complete


def test_unsubmitted_others_and_other_runs_attempts_do_not_count(
    course, enrolment, quiz, trainee, other_trainee, centre
):
    attend(enrolment, 3)
    attempt(quiz, trainee, passed=True, submitted=False)
    attempt(quiz, other_trainee, passed=True, course=course)
    other_run = type(course).objects.create(
        centre=centre,
        title="Another run",
        starts_on=course.starts_on,
        ends_on=course.ends_on,
    )
    attempt(quiz, trainee, passed=True, course=other_run)
    assert not evaluate(enrolment).quiz_passed
    attempt(quiz, trainee, passed=True)  # the module's quiz taken outside any course run
    assert evaluate(enrolment).complete


def test_pre_and_post_tests_never_block(course, enrolment, module):
    Quiz.objects.create(module=module, title="Before", kind=QuizKind.PRE_TEST)
    Quiz.objects.create(module=module, title="After", kind=QuizKind.POST_TEST)
    attend(enrolment, 3)
    assert evaluate(enrolment).complete


def test_a_required_practical_must_be_passed(no_quiz, enrolment, centre_staff):
    no_quiz.requires_practical = True
    no_quiz.save()
    drill = PracticalAssessment.objects.create(course=no_quiz, title="Document check drill")
    attend(enrolment, 3)
    assert evaluate(enrolment).reasons == [
        "Practical assessment not passed yet: Document check drill."
    ]
    result = PracticalResult.objects.create(
        assessment=drill, enrolment=enrolment, score=40, passed=False, recorded_by=centre_staff
    )
    assert not evaluate(enrolment).complete
    result.score, result.passed = 75, True
    result.save()
    assert evaluate(enrolment).complete


def test_a_practical_not_required_is_reported_but_does_not_block(no_quiz, enrolment):
    PracticalAssessment.objects.create(course=no_quiz, title="Optional drill")
    attend(enrolment, 3)
    result = evaluate(enrolment)
    assert result.complete
    assert not result.practical_passed


def test_a_required_evaluation_must_be_filled_in(no_quiz, enrolment):
    no_quiz.requires_evaluation = True
    no_quiz.save()
    attend(enrolment, 3)
    assert evaluate(enrolment).reasons == ["The course evaluation is not filled in yet."]
    Evaluation.objects.create(
        enrolment=enrolment, relevance=5, trainers=4, materials=4, organisation=5, overall=5
    )
    result = evaluate(enrolment)
    assert result.complete and result.evaluation_done


@pytest.mark.parametrize(
    "status", [EnrolmentStatus.NOMINATED, EnrolmentStatus.REJECTED, EnrolmentStatus.WITHDRAWN]
)
def test_an_enrolment_not_approved_never_completes(no_quiz, enrolment, status):
    attend(enrolment, 3)
    enrolment.status = status
    enrolment.save()
    result = evaluate(enrolment)
    assert not result.complete
    assert "Only a trainee approved on the course can complete it." in result.reasons


def test_every_missing_condition_is_listed(course, enrolment, quiz):
    course.requires_evaluation = True
    course.save()
    reasons = evaluate(enrolment).reasons
    assert len(reasons) == 3
    assert reasons[0].startswith("Attended 0 of 3 sessions")


def test_a_course_is_judged_in_the_same_number_of_queries_for_any_cohort(
    course, enrolment, quiz, organisation, django_assert_max_num_queries
):
    from liaison.directory.models import Person

    course.requires_practical = course.requires_evaluation = True
    course.save()
    drill = PracticalAssessment.objects.create(course=course, title="Drill")

    def add_trainees(count, start):
        for n in range(start, start + count):
            person = Person.objects.create(name=f"Trainee {n}", organisation=organisation)
            enrolment = Enrolment.objects.create(
                course=course, person=person, status=EnrolmentStatus.APPROVED
            )
            attend(enrolment, n % 4)
            PracticalResult.objects.create(
                assessment=drill, enrolment=enrolment, score=80, passed=n % 2 == 0
            )

    add_trainees(2, 0)
    with django_assert_max_num_queries(6) as few:
        small = evaluate_course(course)
    add_trainees(20, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        large = evaluate_course(course)
    assert len(small) == 3 and len(large) == 23
    assert large[Enrolment.objects.get(person__name="Trainee 3").pk].sessions_attended == 3
