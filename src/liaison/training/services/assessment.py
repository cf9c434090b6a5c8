"""Writes and reads of assessment: quizzes and their attempts, practical results, the course
evaluation, and the figures the course pages and the completion rules ask for.

An attempt keeps the order it was shown in (``layout``: ``[{"question": id, "choices": [ids]}]``)
so a reload shows the same page, and its answers with the points each earned
(``answers``: ``{"<question id>": {"given": [choice ids] or "text", "points": "1.00",
"max": "1"}}``) so a
result reads the same after the quiz is edited.
"""

import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from liaison.core import audit
from liaison.directory.models import Person

from .. import permissions, scoring, xapi
from ..models import (
    Choice,
    Course,
    Enrolment,
    EnrolmentStatus,
    Evaluation,
    PracticalAssessment,
    PracticalResult,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
    QuizKind,
)
from . import PermissionDenied, TrainingError, require

CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE)
RATINGS = ["relevance", "trainers", "materials", "organisation", "overall"]


class InvalidAnswers(TrainingError):
    """The posted answers name a question or a choice the attempt did not show: a forged post,
    refused whole."""


# Authoring ------------------------------------------------------------------------------------

QUIZ_FIELDS = ["title", "kind", "instructions", "pass_mark", "max_attempts", "randomise"]


@transaction.atomic
def save_quiz(actor, module, quiz: Quiz | None, fields: dict) -> Quiz:
    """Create a quiz on ``module`` or change one. The pass mark and the attempts decide who
    passes, so each change is in the audit trail."""
    require(permissions.can_edit_module(actor, module))
    created = quiz is None or quiz.pk is None
    quiz = quiz or Quiz(module=module)
    if quiz.module_id != module.pk:
        raise TrainingError(_("This quiz belongs to another module."))
    before = {name: getattr(quiz, name) for name in QUIZ_FIELDS}
    for name in QUIZ_FIELDS:
        if name in fields:
            setattr(quiz, name, fields[name])
    if not 0 <= int(quiz.pass_mark) <= 100:
        raise TrainingError(_("The pass mark is a share between 0 and 100%."))
    quiz.save()
    after = {name: getattr(quiz, name) for name in QUIZ_FIELDS}
    changes = audit.diff({} if created else before, after)
    if created or changes:
        audit.record(actor, "quiz.created" if created else "quiz.updated", quiz, changes)
    return quiz


@dataclass
class ChoiceInput:
    text: str
    is_correct: bool = False
    order: int = 0
    pk: int | None = None


def question_problem(kind: str, choices: list[ChoiceInput], accepted: list[str]) -> str:
    """Why a question cannot be saved as given, or an empty string. Forms show it; the
    service refuses with it."""
    if kind == QuestionKind.SHORT:
        if not [a for a in accepted if a.strip()]:
            return _("Give at least one accepted answer, one a line.")
        return ""
    if kind == QuestionKind.TRUE_FALSE:
        if len(choices) != 2 or sum(c.is_correct for c in choices) != 1:
            return _("Say whether the statement is true or false.")
        return ""
    if kind not in QuestionKind.values:
        return _("Choose the kind of question.")
    if len(choices) < 2:
        return _("Give at least two choices.")
    correct = sum(c.is_correct for c in choices)
    if kind == QuestionKind.SINGLE and correct != 1:
        return _("Mark exactly one choice as correct.")
    if kind == QuestionKind.MULTIPLE and correct < 1:
        return _("Mark at least one choice as correct.")
    return ""


def true_false_choices(statement_is_true: bool) -> list[ChoiceInput]:
    return [
        ChoiceInput(_("True"), statement_is_true, 0),
        ChoiceInput(_("False"), not statement_is_true, 1),
    ]


QUESTION_FIELDS = ["kind", "text", "points", "order", "explanation"]


@transaction.atomic
def save_question(
    actor,
    quiz: Quiz,
    question: Question | None,
    fields: dict,
    *,
    choices: list[ChoiceInput] = (),
    accepted: list[str] = (),
    true_answer: bool | None = None,
) -> Question:
    """Create or change a question with its choices, all or nothing.

    ``choices`` is the full list wanted for a single or multiple choice question (a choice with
    a ``pk`` is kept and changed, those left out are removed); a true/false question makes its
    own two choices from ``true_answer``; a short answer keeps ``accepted`` and no choices.
    """
    require(permissions.can_edit_module(actor, quiz.module))
    question = question or Question(quiz=quiz)
    if question.quiz_id != quiz.pk:
        raise TrainingError(_("This question belongs to another quiz."))
    kind = fields.get("kind", question.kind)
    choices = list(choices)
    accepted = [a.strip() for a in accepted if a and a.strip()]
    if kind == QuestionKind.TRUE_FALSE:
        choices = [] if true_answer is None else true_false_choices(bool(true_answer))
    problem = question_problem(kind, choices, accepted)
    if problem:
        raise TrainingError(problem)
    was_true_false = question.pk and question.kind == QuestionKind.TRUE_FALSE
    for name in QUESTION_FIELDS:
        if name in fields:
            setattr(question, name, fields[name])
    question.accepted_answers = accepted if kind == QuestionKind.SHORT else []
    question.save()
    existing = {c.pk: c for c in question.choices.all()}
    if kind == QuestionKind.SHORT:
        question.choices.all().delete()
        return question
    if kind == QuestionKind.TRUE_FALSE:
        if was_true_false and len(existing) == 2:
            # Keep the choice ids, so attempts under way still find their choices.
            for choice, wanted in zip(existing.values(), choices, strict=True):
                choice.is_correct, choice.order = wanted.is_correct, wanted.order
                choice.save(update_fields=["is_correct", "order"])
            return question
        question.choices.all().delete()
        Choice.objects.bulk_create(
            Choice(question=question, text=c.text, is_correct=c.is_correct, order=c.order)
            for c in choices
        )
        return question
    if was_true_false:
        question.choices.all().delete()
        existing = {}
    kept = set()
    for wanted in choices:
        if wanted.pk is not None:
            choice = existing.get(wanted.pk)
            if choice is None:
                raise TrainingError(_("A choice does not belong to this question."))
            kept.add(choice.pk)
        else:
            choice = Choice(question=question)
        choice.text, choice.is_correct, choice.order = wanted.text, wanted.is_correct, wanted.order
        choice.save()
    question.choices.exclude(pk__in=kept).filter(pk__in=list(existing)).delete()
    return question


@transaction.atomic
def delete_question(actor, question: Question):
    require(permissions.can_edit_module(actor, question.quiz.module))
    audit.record(actor, "question.deleted", question, {"quiz": question.quiz_id})
    question.delete()


# Attempts -------------------------------------------------------------------------------------


def attempts_allowed(quiz: Quiz) -> int | None:
    """How many attempts a learner has, or None for no limit. A pre-test and a post-test allow
    one unless the quiz says otherwise: a second go would measure the test, not the learning."""
    if quiz.max_attempts is not None:
        return quiz.max_attempts
    if quiz.kind in (QuizKind.PRE_TEST, QuizKind.POST_TEST):
        return 1
    return None


def attempts_left(quiz: Quiz, used: int) -> int | None:
    allowed = attempts_allowed(quiz)
    return None if allowed is None else max(0, allowed - used)


def make_layout(questions, randomise: bool, rng: random.Random) -> list[dict]:
    """The order of one attempt. True and false stay in that order, as people expect."""
    layout = []
    for question in questions:
        ids = [choice.pk for choice in question.choices.all()]
        if randomise and question.kind != QuestionKind.TRUE_FALSE:
            rng.shuffle(ids)
        layout.append({"question": question.pk, "choices": ids})
    if randomise:
        rng.shuffle(layout)
    return layout


def _course_for(user, module):
    """The course a learner takes a module in, for results per course: the latest one on
    which they are approved."""
    return (
        Course.objects.filter(
            modules=module,
            enrolments__person__user=user,
            enrolments__status=EnrolmentStatus.APPROVED,
        )
        .order_by("-starts_on", "-pk")
        .first()
    )


def course_of_attempts(user, quiz: Quiz, course=None):
    """The course in which ``user``'s attempts at ``quiz`` count: ``course`` when they are
    approved on it, else the latest course they are approved on that runs the module, else
    None (a trainer or centre staff trying the quiz)."""
    if course is not None and permissions.enrolment_of(user, course) is not None:
        return course
    return _course_for(user, quiz.module)


def attempts_of(user, quiz: Quiz, course):
    """The attempts that use up ``user``'s allowance at ``quiz`` in ``course``.

    Attempts are counted per enrolment (learner, quiz and course), not per learner and quiz:
    a trainee who tried the quiz in the spring cohort starts afresh in the autumn one, and
    the quiz page, the attempt page and the course's results all count the same rows.
    """
    return QuizAttempt.objects.filter(quiz=quiz, user=user, course=course)


def quiz_path(quiz: Quiz) -> str:
    return reverse("training:quiz", args=[quiz.pk])


@transaction.atomic
def start_attempt(user, quiz: Quiz, course=None, *, rng: random.Random | None = None):
    """The learner's unfinished attempt, or a new one in a fresh order.

    Refused when the attempts are used up. ``course`` is where the result counts, if the
    learner is approved on it; otherwise the latest course they are approved on that runs the
    module, or none. ``rng`` is for tests.
    """
    require(permissions.can_learn(user, quiz.module))
    # Lock the learner's row so two clicks on "Start" make one attempt.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if course is not None and not course.modules.filter(pk=quiz.module_id).exists():
        raise TrainingError(_("This quiz is not part of that course."))
    # Only a trainee's attempts count in a course; a trainer trying the quiz stays outside.
    course = course_of_attempts(user, quiz, course)
    attempts = attempts_of(user, quiz, course)
    unfinished = attempts.filter(submitted__isnull=True).order_by("started").first()
    if unfinished is not None:
        return unfinished
    allowed = attempts_allowed(quiz)
    if allowed is not None and attempts.count() >= allowed:
        raise TrainingError(
            ngettext(
                "You have used the %(count)d attempt allowed at this quiz.",
                "You have used all %(count)d attempts allowed at this quiz.",
                allowed,
            )
            % {"count": allowed}
        )
    questions = list(quiz.questions.prefetch_related("choices"))
    if not questions:
        raise TrainingError(_("This quiz has no questions yet."))
    attempt = QuizAttempt.objects.create(
        quiz=quiz,
        user=user,
        course=course,
        layout=make_layout(questions, quiz.randomise, rng or random.Random()),
    )
    xapi.record(
        user,
        "attempted",
        object_path=quiz_path(quiz),
        name=quiz.title,
        activity_type="assessment",
        module=quiz.module,
        course=course,
    )
    return attempt


@dataclass
class ShownQuestion:
    """A question as one attempt showed it, with what was answered and earned."""

    number: int
    question: Question
    choices: list
    given: list | str | None = None
    points: Decimal | None = None
    max_points: Decimal | None = None

    @property
    def is_short(self) -> bool:
        return self.question.kind == QuestionKind.SHORT

    @property
    def is_multiple(self) -> bool:
        return self.question.kind == QuestionKind.MULTIPLE

    @property
    def right(self) -> bool | None:
        if self.points is None:
            return None
        return self.points > 0 and self.points >= (self.max_points or 0)

    @property
    def chosen(self) -> set:
        return set(self.given) if isinstance(self.given, list) else set()

    @property
    def correct_choices(self) -> list:
        return [c for c in self.choices if c.is_correct]


def attempt_questions(attempt: QuizAttempt) -> list[ShownQuestion]:
    """The questions in the attempt's order. A question or choice deleted since is left out;
    one added since is not part of this attempt."""
    ids = [entry["question"] for entry in attempt.layout]
    questions = {
        q.pk: q
        for q in Question.objects.filter(quiz=attempt.quiz_id, pk__in=ids).prefetch_related(
            "choices"
        )
    }
    shown = []
    for entry in attempt.layout:
        question = questions.get(entry["question"])
        if question is None:
            continue
        by_id = {c.pk: c for c in question.choices.all()}
        answer = attempt.answers.get(str(question.pk)) or {}
        shown.append(
            ShownQuestion(
                number=len(shown) + 1,
                question=question,
                choices=[by_id[pk] for pk in entry["choices"] if pk in by_id],
                given=answer.get("given"),
                points=Decimal(answer["points"]) if "points" in answer else None,
                max_points=Decimal(answer.get("max", question.points)),
            )
        )
    return shown


def score_question(item: ShownQuestion, given) -> Decimal:
    question = item.question
    if question.kind == QuestionKind.SHORT:
        return scoring.score_short(question.accepted_answers, given, question.points)
    correct = [c.pk for c in item.choices if c.is_correct]
    if question.kind == QuestionKind.MULTIPLE:
        return scoring.score_multiple(correct, given, question.points)
    return scoring.score_single(correct, given, question.points)


def _clean_answers(items: list[ShownQuestion], answers: dict) -> dict:
    shown = {item.question.pk: item for item in items}
    cleaned = {}
    for key, value in answers.items():
        try:
            item = shown[int(key)]
        except (KeyError, TypeError, ValueError):
            raise InvalidAnswers(
                _("An answer was given to a question this attempt did not show.")
            ) from None
        if item.is_short:
            if not isinstance(value, str):
                raise InvalidAnswers(_("A short answer is text."))
            cleaned[item.question.pk] = value.strip()[:500]
            continue
        values = value if isinstance(value, list | tuple | set) else [value]
        try:
            ids = {int(v) for v in values}
        except (TypeError, ValueError):
            raise InvalidAnswers(
                _("An answer names a choice that is not in its question.")
            ) from None
        if not ids <= {c.pk for c in item.choices}:
            raise InvalidAnswers(_("An answer names a choice that is not in its question."))
        if len(ids) > 1 and not item.is_multiple:
            raise InvalidAnswers(_("Only one choice may be given to this question."))
        cleaned[item.question.pk] = sorted(ids)
    return cleaned


@transaction.atomic
def submit_attempt(user, attempt: QuizAttempt, answers: dict) -> QuizAttempt:
    """Score and close an attempt, once.

    ``answers`` maps a question id to a list of choice ids (a single id is accepted too) or to
    the text of a short answer; a question left out scores nothing. Anything that names a
    question or choice the attempt did not show refuses the whole submission.
    """
    attempt = (
        # Only the attempt's row is locked: PostgreSQL cannot lock the empty side of the outer
        # join to an attempt made outside a course.
        QuizAttempt.objects.select_for_update(of=("self",))
        .select_related("quiz__module", "course")
        .get(pk=attempt.pk)
    )
    if attempt.user_id != user.pk:
        raise PermissionDenied(_("This is another learner's attempt."))
    if attempt.submitted is not None:
        raise TrainingError(_("This attempt has already been submitted."))
    items = attempt_questions(attempt)
    cleaned = _clean_answers(items, answers)
    score, max_score, stored = Decimal(0), Decimal(0), {}
    for item in items:
        given = cleaned.get(item.question.pk, "" if item.is_short else [])
        points = score_question(item, given)
        stored[str(item.question.pk)] = {
            "given": given,
            "points": str(points),
            "max": str(item.question.points),
        }
        score += points
        max_score += item.question.points
    quiz = attempt.quiz
    attempt.answers = stored
    attempt.score = score
    attempt.max_score = max_score
    attempt.percent = scoring.percent(score, max_score)
    attempt.passed = scoring.passed(score, max_score, quiz.pass_mark)
    attempt.submitted = timezone.now()
    attempt.save()
    xapi.record(
        user,
        "passed" if attempt.passed else "failed",
        object_path=quiz_path(quiz),
        name=quiz.title,
        activity_type="assessment",
        module=quiz.module,
        course=attempt.course,
        result={
            "score": {
                "scaled": float(score / max_score) if max_score else 0.0,
                "raw": float(score),
                "min": 0.0,
                "max": float(max_score),
            },
            "success": attempt.passed,
            "completion": True,
        },
    )
    return attempt


def can_see_attempt(user, attempt: QuizAttempt) -> tuple[bool, str]:
    """An attempt is the learner's own; the trainers and centre of its course see it, and so do
    the staff of the centre that owns the quiz's module."""
    if getattr(user, "is_authenticated", False) and attempt.user_id == user.pk:
        return True, ""
    if attempt.course is not None and permissions.can_train(user, attempt.course)[0]:
        return True, ""
    if permissions.can_edit_module(user, attempt.quiz.module)[0]:
        return True, ""
    return False, _("Results are shown to the learner, the trainers and the centre only.")


def reveals_answers(attempt: QuizAttempt, used: int) -> bool:
    """Whether the learner may see the right answers: only once no attempt is left, so they
    cannot be copied into the next one, and never after a pre-test, whose questions come back
    in the post-test."""
    quiz = attempt.quiz
    if quiz.kind == QuizKind.PRE_TEST:
        return False
    return attempts_left(quiz, used) == 0


# Results --------------------------------------------------------------------------------------


def _user_id(person_or_user):
    if isinstance(person_or_user, Person):
        return person_or_user.user_id
    return person_or_user.pk


def _submitted():
    return QuizAttempt.objects.filter(submitted__isnull=False)


def best_attempt(user, quiz: Quiz) -> QuizAttempt | None:
    """The learner's best submitted attempt; the earliest of equal ones."""
    return _submitted().filter(quiz=quiz, user=user).order_by("-percent", "submitted", "pk").first()


def quiz_passed(person_or_user, quiz: Quiz) -> bool:
    user_id = _user_id(person_or_user)
    if user_id is None:
        return False
    return _submitted().filter(quiz=quiz, user_id=user_id, passed=True).exists()


def passed_quizzes(enrolment: Enrolment) -> bool:
    """Whether the trainee passed every graded quiz of the course's modules (in any course:
    a module passed is passed). Pre- and post-tests never count. One query."""
    passed = _submitted().filter(quiz=OuterRef("pk"), user__person=enrolment.person_id, passed=True)
    return (
        not Quiz.objects.filter(module__courses=enrolment.course_id, kind=QuizKind.QUIZ)
        .exclude(Exists(passed))
        .exists()
    )


KIND_ORDER = {QuizKind.PRE_TEST: 0, QuizKind.QUIZ: 1, QuizKind.POST_TEST: 2}


def course_quizzes(course) -> list[Quiz]:
    """The quizzes of a course's modules, module by module in the order they are taken: the
    pre-test, the graded quizzes, the post-test."""
    quizzes = Quiz.objects.filter(module__courses=course).select_related("module").distinct()
    return sorted(
        quizzes,
        key=lambda q: (q.module.code, q.module.title, q.module_id, KIND_ORDER[q.kind], q.title),
    )


@dataclass
class QuizRow:
    """One quiz of a course, seen by one learner."""

    quiz: Quiz
    url: str
    used: int = 0
    best: Decimal | None = None
    passed: bool = False
    unfinished: bool = False
    allowed: int | None = None

    @property
    def left(self) -> int | None:
        return None if self.allowed is None else max(0, self.allowed - self.used)

    @property
    def can_take(self) -> bool:
        return self.unfinished or self.left is None or self.left > 0


def quiz_rows(user, course) -> list[QuizRow]:
    """The quizzes of a course for its trainee's course page, with their best result. Three
    queries (one more per module for a visitor not approved on the course).

    The attempts used are those that count against the quiz's limit in the course where the
    learner's attempts count (``course_of_attempts``), as the quiz page counts them; the best
    result and the pass are this course's (or made outside any course), as the completion rule
    counts them."""
    quizzes = course_quizzes(course)
    groups = {}
    counted = {}
    if getattr(user, "is_authenticated", False) and quizzes:
        enrolled = permissions.enrolment_of(user, course) is not None
        for quiz in quizzes:
            if quiz.module_id not in counted:
                counted[quiz.module_id] = (
                    course if enrolled else course_of_attempts(user, quiz, None)
                )
        done = Q(submitted__isnull=False)
        groups = {
            (row["quiz"], row["course"]): row
            for row in QuizAttempt.objects.filter(user=user, quiz__in=quizzes)
            .values("quiz", "course")
            .annotate(
                used=Count("pk"),
                best=Max("percent", filter=done),
                passes=Count("pk", filter=done & Q(passed=True)),
                unfinished=Count("pk", filter=Q(submitted__isnull=True)),
            )
            .order_by()
        }
    rows = []
    for quiz in quizzes:
        in_course = counted.get(quiz.module_id)
        own = groups.get((quiz.pk, in_course.pk if in_course else None), {})
        here = [groups[key] for key in ((quiz.pk, course.pk), (quiz.pk, None)) if key in groups]
        bests = [g["best"] for g in here if g["best"] is not None]
        rows.append(
            QuizRow(
                quiz=quiz,
                url=f"{quiz_path(quiz)}?course={course.pk}",
                used=own.get("used", 0),
                best=max(bests) if bests else None,
                passed=any(g["passes"] for g in here),
                unfinished=bool(own.get("unfinished")),
                allowed=attempts_allowed(quiz),
            )
        )
    return rows


def _best_in_course(course, quizzes) -> dict:
    """``{(user id, quiz id): (best percent, passed)}`` for the submitted attempts made in the
    course. One query."""
    rows = (
        _submitted()
        .filter(course=course, quiz__in=quizzes)
        .values("user", "quiz")
        .annotate(best=Max("percent"), passes=Count("pk", filter=Q(passed=True)))
        .order_by()
    )
    return {(r["user"], r["quiz"]): (r["best"], r["passes"] > 0) for r in rows}


def _trainees(course) -> list[Enrolment]:
    return list(
        Enrolment.objects.approved()
        .filter(course=course)
        .select_related("person", "organisation")
        .order_by("person__name", "pk")
    )


@dataclass
class Gain:
    enrolment: Enrolment
    module: object
    pre: Decimal | None
    post: Decimal | None

    @property
    def gain(self) -> Decimal | None:
        if self.pre is None or self.post is None:
            return None
        return self.post - self.pre


@dataclass
class PrePost:
    rows: list = field(default_factory=list)

    @property
    def measured(self) -> list:
        return [row.gain for row in self.rows if row.gain is not None]

    @property
    def average_gain(self) -> Decimal | None:
        gains = self.measured
        if not gains:
            return None
        return (sum(gains) / len(gains)).quantize(Decimal("0.1"))


def _prepost(trainees, quizzes, best) -> PrePost:
    tests = {}
    for quiz in quizzes:
        if quiz.kind in (QuizKind.PRE_TEST, QuizKind.POST_TEST):
            # The first pre-test and post-test of a module make its pair.
            tests.setdefault(quiz.module_id, {}).setdefault(quiz.kind, quiz)
    pairs = [
        (kinds[QuizKind.PRE_TEST], kinds[QuizKind.POST_TEST])
        for kinds in tests.values()
        if len(kinds) == 2
    ]
    result = PrePost()
    for enrolment in trainees:
        user_id = enrolment.person.user_id
        for pre, post in pairs:
            result.rows.append(
                Gain(
                    enrolment=enrolment,
                    module=pre.module,
                    pre=best.get((user_id, pre.pk), (None, False))[0],
                    post=best.get((user_id, post.pk), (None, False))[0],
                )
            )
    return result


def prepost_gain(course) -> PrePost:
    """Per trainee and module, the best pre-test and post-test results in the course and the
    gain in points of percentage; ``average_gain`` over the trainees who took both. Three
    queries, whatever the number of trainees."""
    quizzes = course_quizzes(course)
    return _prepost(_trainees(course), quizzes, _best_in_course(course, quizzes))


def evaluation_summary(course) -> dict:
    """Averages and the count, and the comments without names, in alphabetical order so their
    order does not tell who wrote which. Two queries."""
    evaluations = Evaluation.objects.filter(enrolment__course=course)
    figures = evaluations.aggregate(count=Count("pk"), **{n: Avg(n) for n in RATINGS})
    labels = {n: Evaluation._meta.get_field(n).verbose_name for n in RATINGS}
    return {
        "count": figures["count"],
        "averages": [
            (labels[n], round(figures[n], 1) if figures[n] is not None else None) for n in RATINGS
        ],
        "comments": list(
            evaluations.exclude(comment="").order_by("comment").values_list("comment", flat=True)
        ),
    }


def course_results(course) -> dict:
    """Everything the course results page shows, in a fixed number of queries."""
    quizzes = course_quizzes(course)
    trainees = _trainees(course)
    best = _best_in_course(course, quizzes)
    practicals = list(course.practicals.order_by("title", "pk"))
    results = {
        (r.assessment_id, r.enrolment_id): r
        for r in PracticalResult.objects.filter(assessment__course=course)
    }
    rows = []
    for enrolment in trainees:
        user_id = enrolment.person.user_id
        rows.append(
            {
                "enrolment": enrolment,
                "quizzes": [
                    {"quiz": q, "best": best.get((user_id, q.pk), (None, False))} for q in quizzes
                ],
                "practicals": [results.get((p.pk, enrolment.pk)) for p in practicals],
            }
        )
    return {
        "quizzes": quizzes,
        "practicals": practicals,
        "rows": rows,
        "prepost": _prepost(trainees, quizzes, best),
        "evaluation": evaluation_summary(course),
    }


# Practical assessments ------------------------------------------------------------------------

PRACTICAL_FIELDS = ["title", "criteria", "max_score", "pass_score"]


@transaction.atomic
def save_practical(actor, course, practical: PracticalAssessment | None, fields: dict):
    require(permissions.can_manage_course(actor, course))
    created = practical is None or practical.pk is None
    practical = practical or PracticalAssessment(course=course)
    if practical.course_id != course.pk:
        raise TrainingError(_("This assessment belongs to another course."))
    before = {name: getattr(practical, name) for name in PRACTICAL_FIELDS}
    for name in PRACTICAL_FIELDS:
        if name in fields:
            setattr(practical, name, fields[name])
    if practical.pass_score > practical.max_score:
        raise TrainingError(_("The pass score cannot be above the maximum score."))
    practical.save()
    after = {name: getattr(practical, name) for name in PRACTICAL_FIELDS}
    changes = audit.diff({} if created else before, after)
    if created or changes:
        action = "practical.created" if created else "practical.updated"
        audit.record(actor, action, practical, changes)
    return practical


@transaction.atomic
def record_practical_results(actor, practical: PracticalAssessment, entries: dict) -> int:
    """Record scores for approved trainees of the course, all or nothing, with an audit entry
    for each new or changed result. ``entries`` maps an enrolment id to ``(score, comment)``.
    Returns how many results changed."""
    require(permissions.can_train(actor, practical.course))
    trainees = {e.pk: e for e in Enrolment.objects.approved().filter(course=practical.course_id)}
    existing = {r.enrolment_id: r for r in practical.results.all()}
    changed = 0
    for enrolment_id, (score, comment) in entries.items():
        enrolment = trainees.get(enrolment_id)
        if enrolment is None:
            raise TrainingError(
                _("Results are recorded for approved trainees of this course only.")
            )
        score, comment = int(score), (comment or "").strip()
        if not 0 <= score <= practical.max_score:
            raise TrainingError(
                _("A score is between 0 and %(max)d.") % {"max": practical.max_score}
            )
        result = existing.get(enrolment_id)
        before = (
            {"score": result.score, "passed": result.passed, "comment": result.comment}
            if result
            else {}
        )
        after = {"score": score, "passed": score >= practical.pass_score, "comment": comment}
        changes = audit.diff(before, after)
        if result is not None and not changes:
            continue
        if result is None:
            result = PracticalResult(assessment=practical, enrolment=enrolment)
        result.score, result.passed, result.comment = after["score"], after["passed"], comment
        result.recorded_by = actor
        result.save()
        action = "practical_result.recorded" if not before else "practical_result.changed"
        audit.record(actor, action, result, changes)
        changed += 1
    return changed


# Evaluation -----------------------------------------------------------------------------------


def evaluation_of(user, course) -> Evaluation | None:
    return Evaluation.objects.filter(enrolment__course=course, enrolment__person__user=user).first()


@transaction.atomic
def submit_evaluation(user, course, ratings: dict, comment: str = "") -> Evaluation:
    """A trainee's evaluation of the course, once. ``ratings`` gives 1 to 5 for each of
    ``RATINGS``."""
    enrolment = permissions.enrolment_of(user, course)
    if enrolment is None:
        raise PermissionDenied(_("Only the course's approved trainees fill in its evaluation."))
    already = _("You have already sent your evaluation of this course.")
    if Evaluation.objects.filter(enrolment=enrolment).exists():
        raise TrainingError(already)
    values = {}
    for name in RATINGS:
        try:
            value = int(ratings[name])
        except (KeyError, TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise TrainingError(_("Give each rating from 1 to 5."))
        values[name] = value
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                enrolment=enrolment, comment=(comment or "").strip(), **values
            )
    except IntegrityError:
        raise TrainingError(already) from None
