"""Pages of assessment templates: staff read them, the secretariat writes them.

A draft is edited on its page (areas, questions, their order); publishing freezes it, and a
change after that is a new version.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions
from ..forms import AreaForm, ChangesForm, QuestionForm, TemplateForm
from ..models import Area, Question, Template
from ..services import AssessmentError, require
from ..services import templates as services
from . import posted, refused


def _template(request, pk, manage=False) -> Template:
    require(permissions.can_see_templates(request.user))
    if manage:
        require(permissions.can_manage_templates(request.user))
    return get_object_or_404(Template, pk=pk)


@login_required
def template_list(request):
    require(permissions.can_see_templates(request.user))
    templates = Template.objects.annotate(
        area_count=Count("areas", distinct=True), used=Count("assessments", distinct=True)
    ).order_by("family", "-version")
    return render(
        request,
        "assessments/template_list.html",
        {
            "templates": templates,
            "can_manage": permissions.can_manage_templates(request.user)[0],
        },
    )


@login_required
def template_detail(request, pk):
    template = _template(request, pk)
    areas = template.areas.select_related("competency_area").prefetch_related("questions")
    return render(
        request,
        "assessments/template_detail.html",
        {
            "template": template,
            "areas": areas,
            "versions": Template.objects.filter(family=template.family).order_by("-version"),
            "can_manage": permissions.can_manage_templates(request.user)[0],
            "changes_form": ChangesForm(),
        },
    )


def _save(request, form, save, done, page, context):
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except (AssessmentError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(done(saved))
    return render(request, page, {"form": form, **context})


@login_required
def template_edit(request, pk=None):
    require(permissions.can_manage_templates(request.user))
    template = get_object_or_404(Template, pk=pk) if pk else None
    form = TemplateForm(posted(request), instance=template)
    return _save(
        request,
        form,
        lambda f: services.save_template(request.user, f.instance, f.cleaned_data),
        lambda saved: saved,
        "assessments/template_form.html",
        {"template": template},
    )


@login_required
def area_edit(request, pk, area_pk=None):
    template = _template(request, pk, manage=True)
    area = get_object_or_404(Area, pk=area_pk, template=template) if area_pk else None
    form = AreaForm(posted(request), instance=area, template=template)
    return _save(
        request,
        form,
        lambda f: services.save_area(request.user, f.instance, f.cleaned_data),
        lambda saved: template,
        "assessments/part_form.html",
        {"template": template, "title": _("Capability area"), "instance": area},
    )


@login_required
def question_edit(request, pk, area_pk, question_pk=None):
    template = _template(request, pk, manage=True)
    area = get_object_or_404(Area.objects.select_related("template"), pk=area_pk, template=template)
    question = get_object_or_404(Question, pk=question_pk, area=area) if question_pk else None
    form = QuestionForm(posted(request), instance=question, area=area)
    return _save(
        request,
        form,
        lambda f: services.save_question(request.user, f.instance, f.values()),
        lambda saved: template,
        "assessments/part_form.html",
        {
            "template": template,
            "area": area,
            "title": _("Question"),
            "instance": question,
        },
    )


def _part(template, kind, part_pk):
    if kind == "areas":
        return get_object_or_404(Area, pk=part_pk, template=template)
    if kind == "questions":
        return get_object_or_404(
            Question.objects.select_related("area__template"), pk=part_pk, area__template=template
        )
    raise Http404


def _act(request, action, success):
    try:
        action()
    except AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)


@login_required
@require_POST
def part_move(request, pk, kind, part_pk):
    template = _template(request, pk, manage=True)
    part = _part(template, kind, part_pk)
    up = request.POST.get("direction") == "up"
    _act(request, lambda: services.move(request.user, part, up), _("Moved."))
    return redirect(template)


@login_required
@require_POST
def part_delete(request, pk, kind, part_pk):
    template = _template(request, pk, manage=True)
    part = _part(template, kind, part_pk)
    _act(request, lambda: services.delete(request.user, part), _("Removed."))
    return redirect(template)


@login_required
@require_POST
def template_publish(request, pk):
    template = _template(request, pk, manage=True)
    _act(
        request,
        lambda: services.publish(request.user, template),
        _("Published: the template is now frozen and ready for assessments."),
    )
    return redirect(template)


@login_required
@require_POST
def template_retire(request, pk):
    template = _template(request, pk, manage=True)
    _act(
        request,
        lambda: services.retire(request.user, template),
        _("Retired: no new assessment will use it."),
    )
    return redirect(template)


@login_required
@require_POST
def template_new_version(request, pk):
    template = _template(request, pk, manage=True)
    form = ChangesForm(request.POST)
    if form.is_valid():
        try:
            copy = services.new_version(request.user, template, form.cleaned_data["changes"])
        except AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Version %(v)s is a draft: change it, then publish it.") % {"v": copy.version},
            )
            return redirect(copy)
    else:
        messages.error(request, _("Say what changes in the new version."))
    return redirect(template)
