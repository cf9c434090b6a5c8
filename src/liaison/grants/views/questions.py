"""A call's documents and the questions asked about it.

A document is served by this view only, never from a media address: whoever reads the call
(``Call.objects.visible_to``) downloads it, anybody else gets a 404 as for the call itself.
Questions are asked on the call's page; the secretariat answers them on its own page and
publishes them for every applicant. Every change goes through ``grants.questions``, which asks
``permissions`` again.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from liaison.core.permissions import require

from .. import documents, permissions
from .. import questions as steps
from ..models import Call, CallDocument, CallQuestion


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=gettext_lazy("Your question"),
        max_length=steps.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "The secretariat publishes its answer on this page for every applicant, without "
            "your name; you are e-mailed when it is published."
        ),
    )


class AnswerForm(forms.Form):
    question = forms.CharField(
        label=gettext_lazy("Question, as it will be published"),
        max_length=steps.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Remove anything that says who asked."),
    )
    answer = forms.CharField(
        label=gettext_lazy("Answer"),
        max_length=steps.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


def _call(request, reference) -> Call:
    return get_object_or_404(Call.objects.visible_to(request.user), reference=reference)


# Documents -----------------------------------------------------------------------------------


@require_GET
def call_document(request, reference, pk):
    call = _call(request, reference)
    document = get_object_or_404(CallDocument, call=call, pk=pk)
    allowed, _why = permissions.can_download_call_document(request.user, document)
    if not allowed:
        raise Http404
    return documents.download(document.file, document.file.name.rsplit("/", 1)[-1])


def with_sizes(rows):
    """Each document with ``size`` in bytes (None when its file is missing)."""
    rows = list(rows)
    for document in rows:
        try:
            document.size = document.file.size
        except (OSError, ValueError):
            document.size = None
    return rows


# Questions -----------------------------------------------------------------------------------


@login_required
@require_POST
def call_ask(request, reference):
    call = _call(request, reference)
    require(permissions.can_ask_question(request.user, call))
    form = QuestionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(call.get_absolute_url() + "#questions")
    try:
        steps.ask(request.user, call, form.cleaned_data["question"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Your question is sent to the secretariat; its answer will be published here."),
        )
    return redirect(call.get_absolute_url() + "#questions")


@login_required
def call_questions(request, reference):
    """The secretariat's list: questions awaiting an answer first, then those answered."""
    require(permissions.can_answer_questions(request.user))
    call = _call(request, reference)
    rows = CallQuestion.objects.filter(call=call).select_related("asked_by")
    return render(
        request,
        "grants/call_questions.html",
        {
            "call": call,
            "waiting": rows.filter(Q(answered_at__isnull=True) | Q(published=False)),
            "published": rows.filter(published=True),
        },
    )


def _question(request, reference, pk) -> CallQuestion:
    require(permissions.can_answer_questions(request.user))
    call = _call(request, reference)
    return get_object_or_404(
        CallQuestion.objects.select_related("call", "asked_by"), call=call, pk=pk
    )


@login_required
def call_question_answer(request, reference, pk):
    question = _question(request, reference, pk)
    initial = {"question": question.question, "answer": question.answer}
    form = AnswerForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            steps.answer_and_publish(request.user, question, data["answer"], data["question"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The answer is published on the call's page."))
            return redirect("grants:call_questions", question.call.reference)
    return render(
        request,
        "grants/call_question_answer.html",
        {"call": question.call, "question": question, "form": form},
    )


@login_required
@require_POST
def call_question_unpublish(request, reference, pk):
    question = _question(request, reference, pk)
    try:
        steps.unpublish(request.user, question)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The answer is taken off the call's page."))
    return redirect("grants:call_questions", question.call.reference)
