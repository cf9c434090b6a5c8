"""Quizzes taken and seen, practical results, the evaluation and the course's results page.

The quiz has four questions of one point each, one of every kind, so a score reads as the number
of questions right.
"""

import datetime
import random
import re

import pytest
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.training.models import (
    Choice,
    Course,
    Enrolment,
    EnrolmentStatus,
    Evaluation,
    Module,
    PracticalAssessment,
    PracticalResult,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
    QuizKind,
    Statement,
)
from liaison.training.services import PermissionDenied, TrainingError
from liaison.training.services import assessment as services

from ..conftest import make_user
from .conftest import person_for

# Building quizzes ----------------------------------------------------------------------------


def make_quiz(
    module,
    *,
    kind=QuizKind.QUIZ,
    pass_mark=75,
    max_attempts=None,
    randomise=False,
    title="Asylum procedure check",
):
    quiz = Quiz.objects.create(
        module=module,
        title=title,
        kind=kind,
        pass_mark=pass_mark,
        max_attempts=max_attempts,
        randomise=randomise,
    )
    single = Question.objects.create(
        quiz=quiz,
        order=1,
        kind=QuestionKind.SINGLE,
        text="Who decides on an asylum claim at first instance?",
        explanation="The determining authority examines the claim; courts hear appeals.",
    )
    for n, (text, correct) in enumerate(
        [("The determining authority", True), ("The border police", False), ("A court", False)]
    ):
        Choice.objects.create(question=single, order=n, text=text, is_correct=correct)
    multiple = Question.objects.create(
        quiz=quiz,
        order=2,
        kind=QuestionKind.MULTIPLE,
        text="Which documents establish identity?",
    )
    for n, (text, correct) in enumerate(
        [("Passport", True), ("National identity card", True), ("Bus ticket", False)]
    ):
        Choice.objects.create(question=multiple, order=n, text=text, is_correct=correct)
    true_false = Question.objects.create(
        quiz=quiz,
        order=3,
        kind=QuestionKind.TRUE_FALSE,
        text="An unaccompanied minor may apply for asylum.",
    )
    Choice.objects.create(question=true_false, order=0, text="True", is_correct=True)
    Choice.objects.create(question=true_false, order=1, text="False", is_correct=False)
    Question.objects.create(
        quiz=quiz,
        order=4,
        kind=QuestionKind.SHORT,
        text="Which EU regulation decides which state examines a claim?",
        accepted_answers=["Dublin III", "Dublin Regulation"],
    )
    return quiz


def answers_for(quiz, right=4):
    """Answers with the first ``right`` questions (in authoring order) answered right and the
    rest wrong."""
    answers = {}
    for n, question in enumerate(quiz.questions.prefetch_related("choices")):
        good = n < right
        if question.kind == QuestionKind.SHORT:
            answers[question.pk] = "dublin iii" if good else "Schengen"
            continue
        choices = list(question.choices.all())
        wanted = [c.pk for c in choices if c.is_correct == good]
        answers[question.pk] = wanted if question.kind == QuestionKind.MULTIPLE else wanted[:1]
    return answers


def post_answers(quiz, right=4):
    """The same answers as a browser posts them."""
    return {
        f"q{pk}": value if isinstance(value, list) else [value]
        for pk, value in answers_for(quiz, right).items()
    }


@pytest.fixture
def quiz(module):
    return make_quiz(module)


def taken(user, quiz, right=4, course=None):
    attempt = services.start_attempt(user, quiz, course)
    return services.submit_attempt(user, attempt, answers_for(quiz, right))


# Attempts ------------------------------------------------------------------------------------


def test_an_unfinished_attempt_is_resumed_not_repeated(enrolment, trainee, quiz, course):
    first = services.start_attempt(trainee, quiz)
    again = services.start_attempt(trainee, quiz)
    assert again.pk == first.pk
    assert first.course == course  # the course the trainee is approved on
    assert QuizAttempt.objects.count() == 1


def test_only_a_trainee_attempt_counts_in_a_course(enrolment, trainee, centre_staff, quiz, course):
    assert services.start_attempt(centre_staff, quiz, course).course is None
    assert services.start_attempt(trainee, quiz, course).course == course


def test_attempts_are_limited(enrolment, trainee, module):
    quiz = make_quiz(module, max_attempts=2)
    taken(trainee, quiz, right=1)
    taken(trainee, quiz, right=2)
    with pytest.raises(TrainingError, match="all 2 attempts"):
        services.start_attempt(trainee, quiz)
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 2


def test_pre_and_post_tests_allow_one_attempt_unless_configured(enrolment, trainee, module):
    pre = make_quiz(module, kind=QuizKind.PRE_TEST, title="Before")
    taken(trainee, pre, right=1)
    with pytest.raises(TrainingError, match="the 1 attempt"):
        services.start_attempt(trainee, pre)
    post = make_quiz(module, kind=QuizKind.POST_TEST, title="After", max_attempts=2)
    taken(trainee, post, right=1)
    assert services.start_attempt(trainee, post).submitted is None


def test_a_graded_quiz_without_limit_can_be_retaken(enrolment, trainee, quiz):
    for _ in range(3):
        taken(trainee, quiz, right=1)
    assert services.start_attempt(trainee, quiz).submitted is None


def test_only_learners_of_the_module_start_a_quiz(quiz, outsider, other_trainee, client):
    with pytest.raises(PermissionDenied):
        services.start_attempt(outsider, quiz)
    client.force_login(other_trainee)  # not enrolled
    assert client.get(reverse("training:quiz", args=[quiz.pk])).status_code == 403
    assert client.post(reverse("training:quiz_start", args=[quiz.pk])).status_code == 403
    assert not QuizAttempt.objects.exists()


def test_the_quiz_page_shows_the_attempts_left(enrolment, trainee, quiz, client):
    quiz.max_attempts = 2
    quiz.save()
    taken(trainee, quiz, right=1)
    client.force_login(trainee)
    response = client.get(reverse("training:quiz", args=[quiz.pk]))
    assert response.status_code == 200
    assert response.context["allowed"] == 2 and response.context["left"] == 1
    assert "Try again" in response.text


def test_attempts_are_counted_per_enrolment_not_per_learner(
    enrolment, trainee, module, course, organisation, client
):
    """Regression (issue 13, item 8): an attempt in the spring cohort used up the trainee's
    only attempt in the autumn cohort, and the course and quiz pages disagreed."""
    quiz = make_quiz(module, max_attempts=1)
    taken(trainee, quiz, right=1, course=course)
    autumn = Course.objects.create(
        centre=course.centre,
        code="RMT-01/2026-2",
        title="Migration law basics, autumn cohort",
        type=course.type,
        status=course.status,
        starts_on=datetime.date(2026, 10, 5),
        ends_on=datetime.date(2026, 10, 7),
        capacity=20,
    )
    autumn.modules.add(module)
    Enrolment.objects.create(
        course=autumn,
        person=trainee.person,
        organisation=organisation,
        sex="female",
        status=EnrolmentStatus.APPROVED,
    )
    client.force_login(trainee)
    course_page = client.get(autumn.get_absolute_url())
    row = course_page.context["quiz_rows"][0]
    assert row.quiz == quiz and row.used == 0 and row.allowed == 1
    page = client.get(reverse("training:quiz", args=[quiz.pk]) + f"?course={autumn.pk}")
    assert page.context["left"] == 1 and page.context["attempts"] == []
    assert "0 of 1 used (in Migration law basics, autumn cohort)" in page.text
    second = taken(trainee, quiz, right=4, course=autumn)
    assert second.course == autumn and second.passed
    # Each cohort's allowance is spent now, and each page says so.
    with pytest.raises(TrainingError, match="the 1 attempt"):
        services.start_attempt(trainee, quiz, course)
    with pytest.raises(TrainingError, match="the 1 attempt"):
        services.start_attempt(trainee, quiz, autumn)
    spring = client.get(reverse("training:quiz", args=[quiz.pk]) + f"?course={course.pk}")
    assert spring.context["left"] == 0 and len(spring.context["attempts"]) == 1
    attempt_page = client.get(reverse("training:attempt", args=[second.pk]))
    assert attempt_page.context["left"] == 0
    assert services.quiz_rows(trainee, course)[0].used == 1
    assert services.quiz_rows(trainee, autumn)[0].used == 1


def test_a_quiz_without_questions_cannot_be_started(enrolment, trainee, module):
    empty = Quiz.objects.create(module=module, title="Empty")
    with pytest.raises(TrainingError, match="no questions"):
        services.start_attempt(trainee, empty)


def test_the_order_is_random_per_seed_and_kept_in_the_attempt(
    enrolment, other_enrolment, trainee, other_trainee, module
):
    quiz = make_quiz(module, randomise=True)
    first = services.start_attempt(trainee, quiz, rng=random.Random(1))
    second = services.start_attempt(other_trainee, quiz, rng=random.Random(4))
    assert first.layout != second.layout
    assert sorted(e["question"] for e in first.layout) == sorted(
        quiz.questions.values_list("pk", flat=True)
    )
    # The same seed gives the same order, and the true/false pair stays in its order.
    replay = services.make_layout(
        list(quiz.questions.prefetch_related("choices")), True, random.Random(1)
    )
    assert replay == first.layout
    true_false = quiz.questions.get(kind=QuestionKind.TRUE_FALSE)
    entry = next(e for e in first.layout if e["question"] == true_false.pk)
    assert entry["choices"] == list(true_false.choices.values_list("pk", flat=True))


def test_a_reload_shows_the_same_order(enrolment, trainee, module, client):
    quiz = make_quiz(module, randomise=True)
    client.force_login(trainee)
    response = client.post(reverse("training:quiz_start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get()
    assert response.url == reverse("training:attempt", args=[attempt.pk])
    shown = [
        re.findall(r'name="q\d+" value="(\d+)"', client.get(response.url).content.decode())
        for _ in range(2)
    ]
    assert shown[0] == shown[1]
    assert [int(pk) for pk in shown[0]] == [
        pk for entry in attempt.layout for pk in entry["choices"]
    ]
    # Starting again resumes the same attempt in the same order.
    assert client.post(reverse("training:quiz_start", args=[quiz.pk])).url == response.url


def test_submitting_records_the_score_and_xapi_statements(enrolment, trainee, quiz, course):
    attempt = taken(trainee, quiz, right=3)
    assert attempt.score == 3 and attempt.max_score == 4
    assert attempt.percent == 75 and attempt.passed is True
    verbs = list(Statement.objects.order_by("timestamp").values_list("data", flat=True))
    assert [s["verb"]["display"]["en-US"] for s in verbs] == ["attempted", "passed"]
    result = verbs[1]["result"]
    assert result["score"] == {"scaled": 0.75, "raw": 3.0, "min": 0.0, "max": 4.0}
    assert result["success"] is True and result["completion"] is True
    assert verbs[1]["object"]["definition"]["type"].endswith("/assessment")
    assert Statement.objects.filter(course=course, module=quiz.module).count() == 2
    failed = taken(trainee, quiz, right=1)
    assert failed.passed is False
    assert Statement.objects.order_by("-timestamp").first().data["verb"]["display"] == {
        "en-US": "failed"
    }


def test_a_forged_choice_is_refused_and_nothing_is_saved(enrolment, trainee, quiz, module, client):
    client.force_login(trainee)
    client.post(reverse("training:quiz_start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get()
    url = reverse("training:attempt", args=[attempt.pk])
    single = quiz.questions.get(kind=QuestionKind.SINGLE)
    multiple = quiz.questions.get(kind=QuestionKind.MULTIPLE)
    elsewhere = make_quiz(module, title="Another").questions.get(kind=QuestionKind.SINGLE)
    forged = [
        {f"q{single.pk}": [str(elsewhere.choices.first().pk)]},  # another quiz's choice
        {f"q{single.pk}": [str(multiple.choices.first().pk)]},  # another question's choice
        {f"q{single.pk}": [str(c.pk) for c in single.choices.all()]},  # two on single choice
        {f"q{elsewhere.pk}": [str(elsewhere.choices.first().pk)]},  # a question not shown
        {f"q{single.pk}": ["not-a-number"]},
    ]
    for data in forged:
        assert client.post(url, data).status_code == 400
    attempt.refresh_from_db()
    assert attempt.submitted is None and attempt.answers == {} and attempt.score is None
    assert not Statement.objects.filter(verb__endswith="passed").exists()


def test_a_submitted_attempt_cannot_be_resubmitted(enrolment, trainee, quiz, client):
    client.force_login(trainee)
    client.post(reverse("training:quiz_start", args=[quiz.pk]))
    attempt = QuizAttempt.objects.get()
    url = reverse("training:attempt", args=[attempt.pk])
    client.post(url, post_answers(quiz, right=1))
    response = client.post(url, post_answers(quiz, right=4), follow=True)
    assert "already been submitted" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.score == 1
    with pytest.raises(TrainingError):
        services.submit_attempt(trainee, attempt, answers_for(quiz))


def test_a_trainee_sees_only_their_own_attempts(
    enrolment, other_enrolment, trainee, other_trainee, quiz, client
):
    attempt = taken(trainee, quiz)
    open_attempt = services.start_attempt(other_trainee, quiz)
    client.force_login(other_trainee)
    url = reverse("training:attempt", args=[attempt.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, post_answers(quiz)).status_code == 404
    with pytest.raises(PermissionDenied):
        services.submit_attempt(trainee, open_attempt, answers_for(quiz))
    client.force_login(trainee)
    assert client.get(reverse("training:attempt", args=[open_attempt.pk])).status_code == 404
    assert client.get(url).status_code == 200


def test_the_result_hides_the_answers_while_attempts_remain(enrolment, trainee, module, client):
    quiz = make_quiz(module, max_attempts=2)
    client.force_login(trainee)
    first = taken(trainee, quiz, right=0)
    page = client.get(reverse("training:attempt", args=[first.pk])).content.decode()
    assert "Not passed" in page and "Score: 0 of 4 (0%)" in page
    assert "(right answer)" not in page and "Dublin III" not in page
    assert "courts hear appeals" not in page  # the explanation of a question got wrong
    second = taken(trainee, quiz, right=1)
    page = client.get(reverse("training:attempt", args=[second.pk])).content.decode()
    assert "(right answer)" in page and "Dublin III" in page
    assert "courts hear appeals" in page


def test_a_trainer_sees_the_attempts_of_their_course(
    enrolment, trainee, trainer, other_trainee, quiz, course, client
):
    attempt = taken(trainee, quiz, right=3)
    client.force_login(trainer)
    page = client.get(reverse("training:attempt", args=[attempt.pk]))
    assert page.status_code == 200 and "Tara Trainee" in page.content.decode()
    assert "(right answer)" in page.content.decode()
    listing = client.get(reverse("training:quiz_attempts", args=[course.pk, quiz.pk]))
    assert listing.status_code == 200 and "Tara Trainee" in listing.content.decode()
    client.force_login(other_trainee)
    assert (
        client.get(reverse("training:quiz_attempts", args=[course.pk, quiz.pk])).status_code == 403
    )


# Completion helpers --------------------------------------------------------------------------


def test_passed_quizzes_needs_every_graded_quiz(
    enrolment, trainee, quiz, module, django_assert_num_queries
):
    make_quiz(module, kind=QuizKind.PRE_TEST, title="Before")  # never counts
    second = make_quiz(module, title="Second check")
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    with django_assert_num_queries(1):
        assert services.passed_quizzes(enrolment) is False
    taken(trainee, quiz, right=4)
    taken(trainee, second, right=1)
    assert services.passed_quizzes(enrolment) is False
    assert services.quiz_passed(trainee.person, quiz) and not services.quiz_passed(trainee, second)
    taken(trainee, second, right=3)
    with django_assert_num_queries(1):
        assert services.passed_quizzes(enrolment) is True
    assert services.best_attempt(trainee, second).percent == 75


def test_quiz_rows_for_the_course_page(enrolment, trainee, quiz, module, course, client):
    pre = make_quiz(module, kind=QuizKind.PRE_TEST, title="Before")
    taken(trainee, quiz, right=2)
    taken(trainee, quiz, right=3)
    taken(trainee, pre, right=1)
    rows = {row.quiz.pk: row for row in services.quiz_rows(trainee, course)}
    assert rows[quiz.pk].best == 75 and rows[quiz.pk].passed and rows[quiz.pk].used == 2
    assert rows[quiz.pk].can_take and rows[quiz.pk].left is None
    assert rows[pre.pk].left == 0 and not rows[pre.pk].can_take
    assert rows[quiz.pk].url == f"/training/quizzes/{quiz.pk}/?course={course.pk}"
    from django.template.loader import render_to_string

    html = render_to_string(
        "training/assessment/_course_quizzes.html",
        {
            "course": course,
            "quiz_rows": services.quiz_rows(trainee, course),
            "can_evaluate": True,
        },
    )
    assert "Asylum procedure check" in html and "75%" in html
    assert reverse("training:evaluation", args=[course.pk]) in html


# Results of a course -------------------------------------------------------------------------


def test_prepost_gain(enrolment, other_enrolment, trainee, other_trainee, module, course):
    pre = make_quiz(module, kind=QuizKind.PRE_TEST, title="Before")
    post = make_quiz(module, kind=QuizKind.POST_TEST, title="After")
    taken(trainee, pre, right=1)  # 25%
    taken(trainee, post, right=4)  # 100%
    taken(other_trainee, pre, right=2)  # 50%
    taken(other_trainee, post, right=3)  # 75%
    result = services.prepost_gain(course)
    rows = {row.enrolment.person.name: (row.pre, row.post, row.gain) for row in result.rows}
    assert rows == {"Tara Trainee": (25, 100, 75), "Theo Other": (50, 75, 25)}
    assert result.average_gain == 50


def test_prepost_gain_leaves_out_who_took_one_test(enrolment, other_enrolment, trainee, module):
    pre = make_quiz(module, kind=QuizKind.PRE_TEST, title="Before")
    make_quiz(module, kind=QuizKind.POST_TEST, title="After")
    taken(trainee, pre, right=1)
    result = services.prepost_gain(enrolment.course)
    assert [row.gain for row in result.rows] == [None, None]
    assert result.average_gain is None


def _more_trainees(course, organisation, count):
    for n in range(count):
        user = make_user(f"extra{n}", "public")
        person_for(user, organisation, f"Extra Trainee {n}")
        Enrolment.objects.create(course=course, person=user.person, status=EnrolmentStatus.APPROVED)
        yield user


def test_course_results_page(
    enrolment,
    trainee,
    trainer,
    centre_staff,
    other_trainee,
    outsider,
    quiz,
    module,
    course,
    organisation,
    client,
    django_assert_max_num_queries,
):
    pre = make_quiz(module, kind=QuizKind.PRE_TEST, title="Before")
    post = make_quiz(module, kind=QuizKind.POST_TEST, title="After")
    practical = PracticalAssessment.objects.create(
        course=course, title="Interview role play", max_score=20, pass_score=12
    )
    taken(trainee, quiz, right=3)
    taken(trainee, pre, right=1)
    taken(trainee, post, right=3)
    services.record_practical_results(trainer, practical, {enrolment.pk: (15, "")})
    services.submit_evaluation(trainee, course, dict.fromkeys(services.RATINGS, 4), "More cases")
    url = reverse("training:course_results", args=[course.pk])
    client.force_login(trainer)
    with django_assert_max_num_queries(22):
        page = client.get(url).content.decode()
    assert "Tara Trainee" in page and "75%" in page and "Interview role play" in page
    assert "More cases" in page and "1 evaluation received" in page
    assert re.search(r'data-testid="average-gain">\+50<', page)
    # Ten more trainees who took everything cost no more queries.
    for user in _more_trainees(course, organisation, 10):
        taken(user, quiz, right=2)
        taken(user, pre, right=1)
        taken(user, post, right=2)
    with django_assert_max_num_queries(22):
        page = client.get(url).content.decode()
    assert page.count("Extra Trainee") == 20  # in the matrix and in the pre/post table
    client.force_login(centre_staff)
    assert client.get(url).status_code == 200
    for refused in (trainee, other_trainee, outsider):
        client.force_login(refused)
        assert client.get(url).status_code == 403


def test_course_results_query_count_is_fixed(
    enrolment, trainee, quiz, module, course, organisation, django_assert_num_queries
):
    make_quiz(module, kind=QuizKind.PRE_TEST, title="Before")
    make_quiz(module, kind=QuizKind.POST_TEST, title="After")
    taken(trainee, quiz)
    with django_assert_num_queries(7) as few:
        services.course_results(course)
    list(_more_trainees(course, organisation, 5))
    with django_assert_num_queries(len(few.captured_queries)):
        services.course_results(course)


# Practical assessments -----------------------------------------------------------------------


@pytest.fixture
def practical(course):
    return PracticalAssessment.objects.create(
        course=course, title="Document check at the counter", max_score=20, pass_score=12
    )


def test_a_trainer_records_practical_results_with_an_audit_trail(
    enrolment, other_enrolment, trainer, practical, client
):
    client.force_login(trainer)
    url = reverse("training:practical", args=[practical.pk])
    page = client.get(url).content.decode()
    assert "Tara Trainee" in page and "Theo Other" in page
    response = client.post(
        url,
        {
            f"score_{enrolment.pk}": "14",
            f"comment_{enrolment.pk}": "Spotted the forged visa",
            f"score_{other_enrolment.pk}": "",
        },
    )
    assert response.status_code == 302
    result = PracticalResult.objects.get()
    assert (result.enrolment, result.score, result.passed) == (enrolment, 14, True)
    assert result.recorded_by == trainer
    client.post(url, {f"score_{enrolment.pk}": "9", f"comment_{enrolment.pk}": "Redone"})
    result.refresh_from_db()
    assert (result.score, result.passed) == (9, False)
    entries = list(AuditEntry.objects.filter(object_type="training.practicalresult").order_by("pk"))
    assert [e.action for e in entries] == ["practical_result.recorded", "practical_result.changed"]
    assert entries[0].changes["score"] == [None, 14]
    assert entries[1].changes["score"] == [14, 9] and entries[1].changes["passed"] == [True, False]
    # Saving the same again changes nothing and writes no entry.
    client.post(url, {f"score_{enrolment.pk}": "9", f"comment_{enrolment.pk}": "Redone"})
    assert AuditEntry.objects.filter(object_type="training.practicalresult").count() == 2


def test_a_score_over_the_maximum_is_refused(
    enrolment, other_enrolment, trainer, practical, client
):
    client.force_login(trainer)
    response = client.post(
        reverse("training:practical", args=[practical.pk]),
        {f"score_{other_enrolment.pk}": "15", f"score_{enrolment.pk}": "21"},
    )
    assert response.status_code == 200
    assert "less than or equal to 20" in response.content.decode()
    assert not PracticalResult.objects.exists()
    with pytest.raises(TrainingError, match="between 0 and 20"):
        services.record_practical_results(
            trainer, practical, {other_enrolment.pk: (15, ""), enrolment.pk: (21, "")}
        )
    assert not PracticalResult.objects.exists()
    assert not AuditEntry.objects.filter(object_type="training.practicalresult").exists()


def test_practical_results_only_by_trainers_and_only_for_approved_trainees(
    enrolment, trainee, trainer, course, practical, other_trainee, organisation, client
):
    nominated = Enrolment.objects.create(course=course, person=other_trainee.person)
    with pytest.raises(TrainingError, match="approved trainees"):
        services.record_practical_results(trainer, practical, {nominated.pk: (15, "")})
    with pytest.raises(PermissionDenied):
        services.record_practical_results(trainee, practical, {enrolment.pk: (20, "")})
    client.force_login(trainee)
    url = reverse("training:practical", args=[practical.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {f"score_{enrolment.pk}": "20"}).status_code == 403
    assert not PracticalResult.objects.exists()


def test_the_centre_defines_practical_assessments(centre_staff, trainer, course, client):
    client.force_login(trainer)
    url = reverse("training:practical_new", args=[course.pk])
    assert client.get(url).status_code == 403
    client.force_login(centre_staff)
    bad = client.post(url, {"title": "Crisis drill", "max_score": "10", "pass_score": "11"})
    assert "cannot be above the maximum" in bad.content.decode()
    response = client.post(url, {"title": "Crisis drill", "max_score": "10", "pass_score": "6"})
    practical = PracticalAssessment.objects.get()
    assert response.url == reverse("training:practical", args=[practical.pk])
    assert AuditEntry.objects.filter(action="practical.created").exists()


# Evaluation ----------------------------------------------------------------------------------


def _ratings(value="4"):
    return dict.fromkeys(services.RATINGS, value)


def test_the_evaluation_is_filled_once(enrolment, trainee, course, client):
    client.force_login(trainee)
    url = reverse("training:evaluation", args=[course.pk])
    assert client.get(url).status_code == 200
    client.post(url, {**_ratings("5"), "comment": "More practice"})
    evaluation = Evaluation.objects.get()
    assert (evaluation.enrolment, evaluation.overall, evaluation.comment) == (
        enrolment,
        5,
        "More practice",
    )
    response = client.post(url, {**_ratings("1"), "comment": "Changed my mind"}, follow=True)
    assert "already sent" in response.content.decode()
    assert Evaluation.objects.get().overall == 5
    with pytest.raises(TrainingError):
        services.submit_evaluation(trainee, course, _ratings(), "")


def test_evaluate_the_course_is_offered_only_to_those_who_may(
    enrolment, trainee, course, secretariat, client
):
    """Regression (issue 13, item 20): the secretariat saw "Evaluate the course" on the course
    page and the link answered 403."""
    url = reverse("training:evaluation", args=[course.pk])
    client.force_login(secretariat)
    page = client.get(course.get_absolute_url())
    assert page.status_code == 200 and "Evaluate the course" not in page.text
    assert url not in page.text
    client.force_login(trainee)
    page = client.get(course.get_absolute_url())
    assert "Evaluate the course" in page.text and url in page.text
    assert client.get(url).status_code == 200


def test_an_evaluation_needs_every_rating_from_1_to_5(enrolment, trainee, course, client):
    client.force_login(trainee)
    url = reverse("training:evaluation", args=[course.pk])
    response = client.post(url, {**_ratings(), "overall": "6"})
    assert response.status_code == 200 and not Evaluation.objects.exists()
    with pytest.raises(TrainingError, match="from 1 to 5"):
        services.submit_evaluation(trainee, course, {**_ratings(), "trainers": "0"})
    assert not Evaluation.objects.exists()


def test_only_approved_trainees_evaluate(
    course, trainer, outsider, other_trainee, enrolment, client
):
    Enrolment.objects.create(course=course, person=other_trainee.person)  # nominated only
    url = reverse("training:evaluation", args=[course.pk])
    for user in (trainer, outsider, other_trainee):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, _ratings()).status_code == 403
    assert not Evaluation.objects.exists()


def test_evaluation_summary_shows_totals_without_names(
    enrolment, other_enrolment, trainee, other_trainee, course
):
    services.submit_evaluation(trainee, course, _ratings("5"), "Zebra crossing examples")
    services.submit_evaluation(other_trainee, course, _ratings("2"), "")
    summary = services.evaluation_summary(course)
    assert summary["count"] == 2
    assert [value for _label, value in summary["averages"]] == [3.5] * 5
    assert summary["comments"] == ["Zebra crossing examples"]


# Authoring -----------------------------------------------------------------------------------


def _question_data(kind, text="Which article?", choices=(), **extra):
    data = {
        "kind": kind,
        "text": text,
        "points": "1",
        "order": "1",
        "explanation": "",
        "choices-TOTAL_FORMS": str(len(choices)),
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "20",
        **extra,
    }
    for n, (choice_text, correct) in enumerate(choices):
        data[f"choices-{n}-text"] = choice_text
        data[f"choices-{n}-order"] = str(n)
        if correct:
            data[f"choices-{n}-is_correct"] = "on"
    return data


def test_the_centre_writes_a_quiz(centre_staff, module, client):
    client.force_login(centre_staff)
    response = client.post(
        reverse("training:quiz_new", args=[module.pk]),
        {"title": "Border checks", "kind": "quiz", "pass_mark": "80", "randomise": "on"},
    )
    quiz = Quiz.objects.get()
    assert response.url == reverse("training:quiz_edit", args=[quiz.pk])
    assert (quiz.module, quiz.pass_mark, quiz.randomise) == (module, 80, True)
    url = reverse("training:question_new", args=[quiz.pk])

    client.post(url, _question_data("single", choices=[("Art. 6", True), ("Art. 9", False)]))
    client.post(url, _question_data("true_false", text="Visas are free.", true_answer="false"))
    client.post(url, _question_data("short", text="Capital?", accepted="Belgrade\n Beograd \n"))
    single, true_false, short = quiz.questions.order_by("pk")
    assert [c.is_correct for c in single.choices.all()] == [True, False]
    assert [(c.text, c.is_correct) for c in true_false.choices.all()] == [
        ("True", False),
        ("False", True),
    ]
    assert short.accepted_answers == ["Belgrade", "Beograd"] and not short.choices.exists()
    page = client.get(reverse("training:quiz_edit", args=[quiz.pk])).content.decode()
    assert "Art. 6" in page and "Beograd" in page


@pytest.mark.parametrize(
    ("kind", "extra", "message"),
    [
        ("single", {"choices": [("A", True), ("B", True)]}, "exactly one choice"),
        ("single", {"choices": [("A", False), ("B", False)]}, "exactly one choice"),
        ("single", {"choices": [("A", True)]}, "at least two choices"),
        ("multiple", {"choices": [("A", False), ("B", False)]}, "at least one choice"),
        ("short", {"accepted": "  \n "}, "at least one accepted answer"),
        ("true_false", {}, "true or false"),
    ],
)
def test_a_question_that_cannot_be_scored_is_refused(
    centre_staff, quiz, client, kind, extra, message
):
    client.force_login(centre_staff)
    before = Question.objects.count()
    response = client.post(
        reverse("training:question_new", args=[quiz.pk]), _question_data(kind, **extra)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Question.objects.count() == before


def test_editing_a_question_keeps_changes_and_removes_choices(centre_staff, quiz, client):
    client.force_login(centre_staff)
    question = quiz.questions.get(kind=QuestionKind.SINGLE)
    first, second, third = question.choices.all()
    data = _question_data("multiple", text="Who may decide?")
    data.update(
        {
            "choices-TOTAL_FORMS": "3",
            "choices-INITIAL_FORMS": "3",
            "choices-0-id": str(first.pk),
            "choices-0-text": first.text,
            "choices-0-is_correct": "on",
            "choices-1-id": str(second.pk),
            "choices-1-text": "The border police, with a referral",
            "choices-1-is_correct": "on",
            "choices-2-id": str(third.pk),
            "choices-2-text": third.text,
            "choices-2-DELETE": "on",
        }
    )
    response = client.post(reverse("training:question_edit", args=[question.pk]), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.kind == QuestionKind.MULTIPLE
    assert [(c.pk, c.is_correct) for c in question.choices.all()] == [
        (first.pk, True),
        (second.pk, True),
    ]
    client.post(reverse("training:question_delete", args=[question.pk]))
    assert not Question.objects.filter(pk=question.pk).exists()


def test_only_the_centre_writes_quizzes(trainer, trainee, enrolment, quiz, module, client):
    question = quiz.questions.first()
    for user in (trainer, trainee):
        client.force_login(user)
        assert client.get(reverse("training:quiz_new", args=[module.pk])).status_code == 403
        assert client.get(reverse("training:quiz_edit", args=[quiz.pk])).status_code == 403
        assert client.get(reverse("training:quiz_list", args=[module.pk])).status_code == 403
        response = client.post(reverse("training:question_delete", args=[question.pk]))
        assert response.status_code == 403
    assert Question.objects.filter(pk=question.pk).exists()


def test_a_module_of_another_centre_is_not_edited(centre_staff, module, academy, client):
    from liaison.training.models import TrainingCentre

    other = TrainingCentre.objects.create(name="Coast Guard School", organisation=academy)
    foreign = Module.objects.create(centre=other, code="CG-1", title="Sea rescue")
    client.force_login(centre_staff)
    assert client.get(reverse("training:quiz_new", args=[foreign.pk])).status_code == 403
