"""A call's own application form: the secretariat's builder, the applicant's answers page,
and the download of a file attached to an answer.

The builder changes the current version of the form, or (once an application was submitted
on it) a new version: ``grants.form_builder`` decides, the page says which. The answers page
and the file download find the application through ``Application.objects.visible_to``, so
another consortium, a reviewer with a declared conflict or the public get a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core.permissions import require

from .. import answers, documents, form_builder, permissions
from ..form_forms import AnswersForm, QuestionForm, SectionForm
from ..models import Answer, Application, Call, FormQuestion, FormSection
from . import attempt
from .applications import _application


def _call(request, reference) -> Call:
    call = get_object_or_404(Call, reference=reference)
    require(permissions.can_build_form(request.user, call))
    return call


def _builder(call) -> str:
    return f"{call.get_absolute_url()}form/"


@login_required
def builder(request, reference):
    call = _call(request, reference)
    version = form_builder.current_version(call)
    section_form = SectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and section_form.is_valid():
        try:
            form_builder.add_section(request.user, call, section_form.cleaned_data)
        except ValidationError as error:
            section_form.add_error(None, error)
        else:
            messages.success(request, _("The section is added."))
            return redirect(_builder(call))
    sections = []
    if version is not None:
        sections = version.sections.prefetch_related(
            Prefetch("questions", queryset=FormQuestion.objects.order_by("order", "pk"))
        )
    versions = call.form_versions.annotate(
        submitted=Count("applications", filter=Q(applications__submitted_at__isnull=False)),
        drafts=Count("applications", filter=Q(applications__submitted_at__isnull=True)),
    ).order_by("-number")
    return render(
        request,
        "grants/form_builder.html",
        {
            "call": call,
            "version": version,
            "versions": versions,
            "frozen": version is not None and version.is_frozen,
            "sections": sections,
            "section_form": section_form,
        },
    )


def _section(request, pk) -> FormSection:
    section = get_object_or_404(FormSection.objects.select_related("version__call"), pk=pk)
    require(permissions.can_build_form(request.user, section.version.call))
    return section


def _question(request, pk) -> FormQuestion:
    question = get_object_or_404(
        FormQuestion.objects.select_related("section__version__call"), pk=pk
    )
    require(permissions.can_build_form(request.user, question.section.version.call))
    return question


@login_required
def section_edit(request, pk):
    section = _section(request, pk)
    call = section.version.call
    form = SectionForm(request.POST if request.method == "POST" else None, instance=section)
    if request.method == "POST" and form.is_valid():
        try:
            form_builder.update_section(request.user, section, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The section is saved."))
            return redirect(_builder(call))
    return render(
        request,
        "grants/form_part.html",
        {"call": call, "form": form, "title": _("Edit the section “%s”") % section.title},
    )


@login_required
def question_add(request, pk):
    section = _section(request, pk)
    return _question_page(request, section.version.call, section, None)


@login_required
def question_edit(request, pk):
    question = _question(request, pk)
    return _question_page(request, question.section.version.call, question.section, question)


def _question_page(request, call, section, question):
    form = QuestionForm(request.POST if request.method == "POST" else None, instance=question)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form_builder.QUESTION_FIELDS}
        try:
            if question is None:
                form_builder.add_question(request.user, section, values)
            else:
                form_builder.update_question(request.user, question, values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect(_builder(call))
    title = (
        _("A new question in “%s”") % section.title
        if question is None
        else _("Edit the question “%s”") % question.label
    )
    return render(request, "grants/form_part.html", {"call": call, "form": form, "title": title})


@login_required
@require_POST
def section_remove(request, pk):
    section = _section(request, pk)
    attempt(
        request,
        form_builder.remove_section,
        request.user,
        section,
        done=_("The section and its questions are removed."),
    )
    return redirect(_builder(section.version.call))


@login_required
@require_POST
def question_remove(request, pk):
    question = _question(request, pk)
    attempt(
        request,
        form_builder.remove_question,
        request.user,
        question,
        done=_("The question is removed."),
    )
    return redirect(_builder(question.section.version.call))


@login_required
@require_POST
def section_move(request, pk, direction):
    section = _section(request, pk)
    attempt(request, form_builder.move, request.user, section, direction == "up")
    return redirect(_builder(section.version.call))


@login_required
@require_POST
def question_move(request, pk, direction):
    question = _question(request, pk)
    attempt(request, form_builder.move, request.user, question, direction == "up")
    return redirect(_builder(question.section.version.call))


# The applicant's answers ---------------------------------------------------------------------


@login_required
def answers_edit(request, pk):
    application = _application(request, pk)
    require(permissions.can_edit_answers(request.user, application))
    sections = answers.form_of(application)
    posted = request.method == "POST"
    form = AnswersForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        form=sections,
        user=request.user,
    )
    if posted and form.is_valid():
        values, remove = form.values()
        try:
            answers.save_answers(request.user, application, values, remove)
        except ValidationError as error:
            for key, problems in getattr(error, "message_dict", {"": error.messages}).items():
                name = f"q_{key}" if f"q_{key}" in form.fields else None
                for problem in problems:
                    form.add_error(name, problem)
        else:
            messages.success(request, _("Your answers are saved."))
            return redirect(application)
    return render(
        request,
        "grants/answers_form.html",
        {"application": application, "form": form, "sections": sections},
    )


@login_required
def answer_file(request, pk):
    answer = get_object_or_404(
        Answer.objects.select_related("application"),
        pk=pk,
        application__in=Application.objects.visible_to(request.user),
    )
    if not answer.file:
        raise Http404(_("No file is attached to this answer."))
    return documents.download(answer.file, answer.file_name)
