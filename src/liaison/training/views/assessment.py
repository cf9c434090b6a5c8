"""Pages of assessment: writing quizzes, taking them, the course's results, practical results
and the course evaluation.

Views stay thin: forms validate, ``services.assessment`` decides and writes. A refused user gets
403; another learner's attempt is a 404; a forged answer a 400, and nothing is saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from liaison.directory.readlog import ReadKind, record_reads

from .. import permissions
from ..forms.assessment import (
    ChoiceFormSet,
    EvaluationForm,
    PracticalForm,
    PracticalResultsForm,
    QuestionForm,
    QuizForm,
    choice_inputs,
)
from ..models import (
    Course,
    Enrolment,
    Module,
    PracticalAssessment,
    Question,
    QuestionKind,
    Quiz,
    QuizAttempt,
)
from ..services import TrainingError, require
from ..services import assessment as services
from . import refused

ATTEMPTS_PER_PAGE = 50


def _posted(request):
    return request.POST if request.method == "POST" else None


def _quiz(pk) -> Quiz:
    return get_object_or_404(Quiz.objects.select_related("module__centre"), pk=pk)


def _edited_quiz(request, pk) -> Quiz:
    quiz = _quiz(pk)
    require(permissions.can_edit_module(request.user, quiz.module))
    return quiz


def _course(pk) -> Course:
    return get_object_or_404(Course.objects.select_related("centre"), pk=pk)


# Authoring ------------------------------------------------------------------------------------


@login_required
def quiz_list(request, pk):
    """The quizzes of a module, where the centre writes them."""
    module = get_object_or_404(Module.objects.select_related("centre"), pk=pk)
    require(permissions.can_edit_module(request.user, module))
    quizzes = module.quizzes.all()
    return render(
        request, "training/assessment/quiz_list.html", {"module": module, "quizzes": quizzes}
    )


@login_required
def quiz_new(request, pk):
    module = get_object_or_404(Module.objects.select_related("centre"), pk=pk)
    require(permissions.can_edit_module(request.user, module))
    return _quiz_form(request, module, None)


@login_required
def quiz_edit(request, pk):
    quiz = _edited_quiz(request, pk)
    return _quiz_form(request, quiz.module, quiz)


def _quiz_form(request, module, quiz):
    form = QuizForm(_posted(request), instance=quiz)
    if request.method == "POST" and form.is_valid():
        try:
            quiz = services.save_quiz(request.user, module, quiz, form.cleaned_data)
        except TrainingError as error:
            refused(form, error)
        else:
            messages.success(request, _("The quiz is saved."))
            return redirect("training:quiz_edit", pk=quiz.pk)
    questions = quiz.questions.prefetch_related("choices") if quiz else []
    return render(
        request,
        "training/assessment/quiz_form.html",
        {"module": module, "quiz": quiz, "form": form, "questions": questions},
    )


@login_required
def question_new(request, pk):
    quiz = _edited_quiz(request, pk)
    return _question_form(request, quiz, None)


@login_required
def question_edit(request, pk):
    question = get_object_or_404(Question.objects.select_related("quiz__module__centre"), pk=pk)
    require(permissions.can_edit_module(request.user, question.quiz.module))
    return _question_form(request, question.quiz, question)


def _question_form(request, quiz, question):
    initial = {}
    if question is None:
        kind = request.GET.get("kind", "")
        initial = {
            "kind": kind if kind in QuestionKind.values else QuestionKind.SINGLE,
            "order": quiz.questions.count() + 1,
        }
    form = QuestionForm(_posted(request), instance=question, initial=initial)
    formset = ChoiceFormSet(_posted(request), instance=question or Question(quiz=quiz))
    valid = request.method == "POST" and form.is_valid() and formset.is_valid()
    if valid and form.check_choices(formset):
        try:
            services.save_question(
                request.user,
                quiz,
                question,
                form.cleaned_data,
                choices=choice_inputs(formset),
                accepted=form.accepted_list(),
                true_answer=form.true_value(),
            )
        except TrainingError as error:
            refused(form, error)
        else:
            messages.success(request, _("The question is saved."))
            if "another" in request.POST:
                return redirect("training:question_new", pk=quiz.pk)
            return redirect("training:quiz_edit", pk=quiz.pk)
    return render(
        request,
        "training/assessment/question_form.html",
        {"quiz": quiz, "question": question, "form": form, "choices": formset},
    )


@login_required
@require_POST
def question_delete(request, pk):
    question = get_object_or_404(Question.objects.select_related("quiz__module__centre"), pk=pk)
    quiz = question.quiz
    services.delete_question(request.user, question)
    messages.success(request, _("The question is removed."))
    return redirect("training:quiz_edit", pk=quiz.pk)


# Taking a quiz --------------------------------------------------------------------------------


def _course_of_quiz(request, quiz):
    """The course named by ``?course=``, if it runs the quiz's module."""
    value = request.POST.get("course") or request.GET.get("course") or ""
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return get_object_or_404(Course.objects.filter(modules=quiz.module_id), pk=value)


@login_required
def quiz(request, pk):
    """A quiz's page for a learner: what it asks, their attempts so far, and the way in."""
    quiz = _quiz(pk)
    require(permissions.can_learn(request.user, quiz.module))
    course = _course_of_quiz(request, quiz)
    counted_in = services.course_of_attempts(request.user, quiz, course)
    attempts = list(services.attempts_of(request.user, quiz, counted_in).order_by("started"))
    used = len(attempts)
    unfinished = next((a for a in attempts if a.submitted is None), None)
    left = services.attempts_left(quiz, used)
    return render(
        request,
        "training/assessment/quiz.html",
        {
            "quiz": quiz,
            "course": course,
            "counted_in": counted_in,
            "attempts": attempts,
            "allowed": services.attempts_allowed(quiz),
            "left": left,
            "unfinished": unfinished,
            "can_start": unfinished is not None or left is None or left > 0,
            "question_count": quiz.questions.count(),
            "can_edit": permissions.can_edit_module(request.user, quiz.module)[0],
        },
    )


@login_required
@require_POST
def quiz_start(request, pk):
    quiz = _quiz(pk)
    require(permissions.can_learn(request.user, quiz.module))
    course = _course_of_quiz(request, quiz)
    try:
        attempt = services.start_attempt(request.user, quiz, course)
    except TrainingError as error:
        messages.error(request, str(error))
        url = reverse("training:quiz", args=[quiz.pk])
        return redirect(f"{url}?course={course.pk}" if course else url)
    return redirect("training:attempt", pk=attempt.pk)


def _posted_answers(request, items) -> dict:
    """The answers as the service takes them, from fields named ``q<question id>``: a list of
    choice ids, or the text of a short answer. The service refuses what the page did not show."""
    short = {str(item.question.pk) for item in items if item.is_short}
    answers = {}
    for key in request.POST:
        if key.startswith("q") and key[1:].isdigit():
            values = request.POST.getlist(key)
            answers[key[1:]] = values[0] if key[1:] in short and len(values) == 1 else values
    return answers


@login_required
def attempt(request, pk):
    """One attempt: the questions to answer while it is open, the result once submitted."""
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("quiz__module__centre", "course", "user"), pk=pk
    )
    allowed, _why = services.can_see_attempt(request.user, attempt)
    if not allowed:
        raise Http404
    own = attempt.user_id == request.user.pk
    items = services.attempt_questions(attempt)
    if request.method == "POST":
        if not own:
            raise PermissionDenied(_("Only the learner answers their attempt."))
        try:
            attempt = services.submit_attempt(
                request.user, attempt, _posted_answers(request, items)
            )
        except services.InvalidAnswers as error:
            return HttpResponseBadRequest(str(error))
        except TrainingError as error:
            messages.error(request, str(error))
        else:
            message = _("Passed") if attempt.passed else _("Not passed")
            messages.success(request, _("Submitted. %(result)s.") % {"result": message})
        return redirect("training:attempt", pk=attempt.pk)
    if not own:
        record_reads(
            request.user,
            [attempt],
            ReadKind.RESULT,
            person="user__person",
            path=request.get_full_path(),
        )
    quiz = attempt.quiz
    used = services.attempts_of(attempt.user, quiz, attempt.course).count()
    left = services.attempts_left(quiz, used)
    return render(
        request,
        "training/assessment/attempt.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "items": items,
            "own": own,
            "left": left,
            "reveal": not own or services.reveals_answers(attempt, used),
        },
    )


# Results of a course --------------------------------------------------------------------------


@login_required
def course_results(request, pk):
    """Trainees by quiz (best result), practical results, pre/post-test gain and the
    evaluation's totals, for the course's trainers and centre."""
    course = _course(pk)
    require(permissions.can_train(request.user, course))
    results = services.course_results(course)
    record_reads(
        request.user,
        [row["enrolment"] for row in results["rows"]],
        ReadKind.RESULT,
        path=request.get_full_path(),
    )
    return render(
        request,
        "training/assessment/course_results.html",
        {
            "course": course,
            "can_manage": permissions.can_manage_course(request.user, course)[0],
            **results,
        },
    )


@login_required
def quiz_attempts(request, course_pk, pk):
    """Every attempt made at a quiz in a course, for its trainers and centre."""
    course = _course(course_pk)
    require(permissions.can_train(request.user, course))
    quiz = get_object_or_404(Quiz.objects.filter(module__courses=course).distinct(), pk=pk)
    attempts = (
        QuizAttempt.objects.filter(quiz=quiz, course=course)
        .select_related("user__person")
        .order_by("user__person__name", "user__username", "started")
    )
    page = Paginator(attempts, ATTEMPTS_PER_PAGE).get_page(request.GET.get("page"))
    record_reads(
        request.user, page, ReadKind.RESULT, person="user__person", path=request.get_full_path()
    )
    return render(
        request,
        "training/assessment/quiz_attempts.html",
        {"course": course, "quiz": quiz, "page": page},
    )


# Practical assessments ------------------------------------------------------------------------


@login_required
def practical_new(request, pk):
    course = _course(pk)
    require(permissions.can_manage_course(request.user, course))
    return _practical_form(request, course, None)


@login_required
def practical_edit(request, pk):
    practical = get_object_or_404(
        PracticalAssessment.objects.select_related("course__centre"), pk=pk
    )
    require(permissions.can_manage_course(request.user, practical.course))
    return _practical_form(request, practical.course, practical)


def _practical_form(request, course, practical):
    form = PracticalForm(_posted(request), instance=practical)
    if request.method == "POST" and form.is_valid():
        try:
            practical = services.save_practical(request.user, course, practical, form.cleaned_data)
        except TrainingError as error:
            refused(form, error)
        else:
            messages.success(request, _("The practical assessment is saved."))
            return redirect("training:practical", pk=practical.pk)
    return render(
        request,
        "training/assessment/practical_form.html",
        {"course": course, "practical": practical, "form": form},
    )


@login_required
def practical(request, pk):
    """One page where a trainer scores every approved trainee on a practical assessment."""
    practical = get_object_or_404(
        PracticalAssessment.objects.select_related("course__centre"), pk=pk
    )
    course = practical.course
    require(permissions.can_train(request.user, course))
    trainees = list(
        Enrolment.objects.approved()
        .filter(course=course)
        .select_related("person")
        .order_by("person__name", "pk")
    )
    results = {r.enrolment_id: r for r in practical.results.all()}
    form = PracticalResultsForm(
        _posted(request), practical=practical, trainees=trainees, results=results
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.record_practical_results(request.user, practical, form.entries())
        except TrainingError as error:
            refused(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)d result saved.", "%(count)d results saved.", changed)
                % {"count": changed},
            )
            return redirect("training:practical", pk=practical.pk)
    return render(
        request,
        "training/assessment/practical.html",
        {
            "practical": practical,
            "course": course,
            "form": form,
            "can_manage": permissions.can_manage_course(request.user, course)[0],
        },
    )


# Evaluation -----------------------------------------------------------------------------------


@login_required
def evaluation(request, pk):
    """The end-of-course evaluation, filled once by each approved trainee."""
    course = _course(pk)
    require(permissions.can_evaluate(request.user, course))
    sent = services.evaluation_of(request.user, course)
    form = EvaluationForm(_posted(request)) if sent is None else None
    if form is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.submit_evaluation(
                request.user, course, {n: data[n] for n in services.RATINGS}, data["comment"]
            )
        except TrainingError as error:
            refused(form, error)
        else:
            messages.success(request, _("Thank you: your evaluation is sent."))
            return redirect("training:evaluation", pk=course.pk)
    elif sent is not None and request.method == "POST":
        messages.error(request, _("You have already sent your evaluation of this course."))
    return render(
        request,
        "training/assessment/evaluation.html",
        {"course": course, "form": form, "sent": sent},
    )
