"""How answers are scored: each kind of question, the multiple-choice rule, short answers
compared without case, accents or spaces, and the pass mark reached exactly."""

from decimal import Decimal

import pytest

from liaison.training import scoring
from liaison.training.models import QuestionKind
from liaison.training.services import assessment as services

from .test_assessment import answers_for, make_quiz, taken

# Attempts about a course name its page; see test_assessment.

# Pure rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Dublin III", "dublin iii"),
        ("  dublin\t  III \n", "dublin iii"),
        ("ČAKOVEC", "cakovec"),
        ("Straße", "strasse"),
        ("İstanbul", "istanbul"),
        ("", ""),
    ],
)
def test_short_answers_are_compared_without_case_accents_or_spaces(typed, expected):
    assert scoring.normalise(typed) == expected


def test_a_short_answer_scores_when_it_matches_one_accepted_answer():
    accepted = ["Dublin III", "Dublin Regulation"]
    assert scoring.score_short(accepted, "  dublin   regulation ", 2) == 2
    assert scoring.score_short(accepted, "DUBLIN iii", 2) == 2
    assert scoring.score_short(accepted, "Dublin", 2) == 0
    assert scoring.score_short(accepted, "", 2) == 0
    assert scoring.score_short(["Niš"], "nis", 1) == 1
    assert scoring.score_short([], "anything", 1) == 0


def test_single_choice_and_true_false_score_one_right_choice():
    assert scoring.score_single({1}, [1], 3) == 3
    assert scoring.score_single({1}, [2], 3) == 0
    assert scoring.score_single({1}, [], 3) == 0
    assert scoring.score_single({1}, [1, 2], 3) == 0


def test_multiple_choice_is_all_or_nothing():
    correct = {1, 2, 3}
    assert scoring.score_multiple(correct, [3, 2, 1], 2) == 2
    assert scoring.score_multiple(correct, [1, 2], 2) == 0  # one right choice missed
    assert scoring.score_multiple(correct, [1, 2, 3, 4], 2) == 0  # one wrong choice added
    assert scoring.score_multiple(correct, [], 2) == 0
    assert scoring.score_multiple(set(), [1], 2) == 0


def test_multiple_choice_partial_credit_when_asked():
    correct = {1, 2, 3}
    assert scoring.score_multiple(correct, [1, 2, 3], 3, partial=True) == 3
    assert scoring.score_multiple(correct, [1, 2], 3, partial=True) == 2
    assert scoring.score_multiple(correct, [1, 2, 4], 3, partial=True) == 1
    assert scoring.score_multiple(correct, [1, 4, 5], 3, partial=True) == 0  # never below zero
    assert scoring.score_multiple(correct, [1, 2, 3, 4, 5], 3, partial=True) == 1
    assert scoring.score_multiple(correct, [1], 1, partial=True) == Decimal("0.33")


def test_the_pass_mark_reached_exactly_passes():
    assert scoring.passed(7, 10, 70) is True
    assert scoring.passed(Decimal("6.99"), 10, 70) is False
    assert scoring.passed(10, 10, 100) is True
    assert scoring.passed(0, 10, 0) is True
    assert scoring.passed(0, 0, 0) is False  # nothing to score never passes


def test_the_percentage_is_rounded_down_so_it_never_shows_a_false_pass():
    assert scoring.percent(2, 3) == Decimal("66.6")
    assert scoring.percent(Decimal("6.996"), 10) == Decimal("69.9")
    assert scoring.passed(Decimal("6.996"), 10, 70) is False
    assert scoring.percent(3, 4) == 75
    assert scoring.percent(1, 0) == 0


# Scored through an attempt -------------------------------------------------------------------


def test_each_kind_of_question_scores_in_an_attempt(enrolment, trainee, module):
    quiz = make_quiz(module)
    attempt = taken(trainee, quiz, right=4)
    assert (attempt.score, attempt.max_score, attempt.percent) == (4, 4, 100)
    points = {q.kind: attempt.answers[str(q.pk)]["points"] for q in quiz.questions.all()}
    assert points == dict.fromkeys(QuestionKind.values, "1")


def test_half_a_multiple_choice_answer_earns_nothing(enrolment, trainee, module):
    quiz = make_quiz(module)
    multiple = quiz.questions.get(kind=QuestionKind.MULTIPLE)
    answers = answers_for(quiz, right=4)
    answers[multiple.pk] = answers[multiple.pk][:1]  # the passport only
    attempt = services.submit_attempt(trainee, services.start_attempt(trainee, quiz), answers)
    assert attempt.answers[str(multiple.pk)]["points"] == "0"
    assert attempt.score == 3 and attempt.percent == 75


def test_an_unanswered_question_scores_nothing(enrolment, trainee, module):
    quiz = make_quiz(module)
    attempt = services.submit_attempt(trainee, services.start_attempt(trainee, quiz), {})
    assert (attempt.score, attempt.max_score, attempt.passed) == (0, 4, False)


@pytest.mark.parametrize(("pass_mark", "passes"), [(75, True), (76, False), (0, True)])
def test_the_pass_mark_boundary_in_an_attempt(enrolment, trainee, module, pass_mark, passes):
    quiz = make_quiz(module, pass_mark=pass_mark)
    attempt = taken(trainee, quiz, right=3)
    assert attempt.percent == 75
    assert attempt.passed is passes


def test_points_weigh_questions(enrolment, trainee, module):
    quiz = make_quiz(module, pass_mark=50)
    short = quiz.questions.get(kind=QuestionKind.SHORT)
    short.points = 4
    short.save()
    answers = answers_for(quiz, right=0)
    answers[short.pk] = "  DUBLIN   regulation"
    attempt = services.submit_attempt(trainee, services.start_attempt(trainee, quiz), answers)
    assert (attempt.score, attempt.max_score, attempt.percent) == (4, 7, Decimal("57.1"))
    assert attempt.passed
