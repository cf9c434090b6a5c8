"""Pages of the training centre's online content: lessons and their parts, the files and
videos they hold, and SCORM packages played in the browser (the xAPI export is in ``xapi``).

Every file is served through a view that asks ``permissions`` first; nothing here is reachable
through a public media address. A refusal is a 403, a forged or broken request a 400 or 404.
"""

import mimetypes
import re
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from .. import permissions, player
from ..forms.content import LessonForm, MoveForm, PartForm
from ..models import (
    Lesson,
    LessonPart,
    Module,
    PartKind,
    ScormAttempt,
)
from ..services import TrainingError, require
from ..services import content as services
from ..services import player as player_services
from . import refused

# What SCORM runtimes report, in words a learner reads.
SCORM_STATUS = {
    "completed": gettext_lazy("completed"),
    "incomplete": gettext_lazy("not finished"),
    "not attempted": gettext_lazy("not started"),
    "browsed": gettext_lazy("browsed"),
    "passed": gettext_lazy("passed"),
    "failed": gettext_lazy("failed"),
}
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _check(user, module, check):
    require(check(user, module))


def _lesson_if(request, pk, check) -> Lesson:
    lesson = get_object_or_404(Lesson.objects.select_related("module__centre"), pk=pk)
    _check(request.user, lesson.module, check)
    return lesson


def _part_if(request, pk, check) -> LessonPart:
    part = get_object_or_404(
        LessonPart.objects.select_related("lesson__module__centre", "scorm"), pk=pk
    )
    _check(request.user, part.lesson.module, check)
    return part


def quiz_url(part) -> str:
    return reverse("training:quiz", args=[part.quiz_id])


# The lesson page -----------------------------------------------------------------------------


@login_required
def lesson_detail(request, pk):
    lesson = _lesson_if(request, pk, permissions.can_learn)
    module = lesson.module
    parts = list(lesson.parts.select_related("scorm", "quiz"))
    done = services.done_parts(request.user, parts)
    tracking = {}
    for row in ScormAttempt.objects.filter(
        user=request.user, package__in=[p.scorm_id for p in parts if p.scorm_id]
    ).order_by("number"):
        tracking[row.package_id] = row  # the last attempt
    for part in parts:
        part.done = part.pk in done
        part.tracking = tracking.get(part.scorm_id)
        if part.tracking:
            part.status_words = [
                SCORM_STATUS[word]
                for word in (part.tracking.completion_status, part.tracking.success_status)
                if word in SCORM_STATUS
            ]
        part.quiz_url = quiz_url(part) if part.kind == PartKind.QUIZ else ""
        part.file_name = PurePath(part.file.name).name if part.file else ""
    siblings = list(Lesson.objects.filter(module=module).only("pk", "title", "order"))
    index = next(i for i, other in enumerate(siblings) if other.pk == lesson.pk)
    return render(
        request,
        "training/content/lesson_detail.html",
        {
            "lesson": lesson,
            "module": module,
            "parts": parts,
            "done_count": len(done),
            "can_edit": permissions.can_edit_module(request.user, module)[0],
            "previous": siblings[index - 1] if index > 0 else None,
            "next": siblings[index + 1] if index + 1 < len(siblings) else None,
            "kinds": PartKind.choices,
        },
    )


@login_required
def module_lessons(request, pk):
    """The lessons of a module with the learner's progress, and the editing tools for its
    centre's staff."""
    module = get_object_or_404(Module.objects.select_related("centre"), pk=pk)
    _check(request.user, module, permissions.can_learn)
    return render(
        request,
        "training/content/module_lessons.html",
        {
            "module": module,
            "lessons": services.lessons_for(request.user, module),
            "can_edit": permissions.can_edit_module(request.user, module)[0],
        },
    )


# Editing lessons -----------------------------------------------------------------------------


@login_required
def lesson_form(request, module_pk=None, pk=None):
    if pk is not None:
        lesson = _lesson_if(request, pk, permissions.can_edit_module)
        module = lesson.module
    else:
        lesson = None
        module = get_object_or_404(Module.objects.select_related("centre"), pk=module_pk)
        _check(request.user, module, permissions.can_edit_module)
    form = LessonForm(request.POST or None, instance=lesson)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_lesson(request.user, module, lesson, form.cleaned_data)
        except (TrainingError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("The lesson is saved."))
            return redirect(saved)
    back = lesson.get_absolute_url() if lesson else reverse("training:lessons", args=[module.pk])
    return render(
        request,
        "training/content/lesson_form.html",
        {
            "form": form,
            "module": module,
            "lesson": lesson,
            "back": back,
            "delete_url": reverse("training:lesson_delete", args=[lesson.pk]) if lesson else "",
        },
    )


@login_required
@require_POST
def lesson_delete(request, pk):
    lesson = _lesson_if(request, pk, permissions.can_edit_module)
    module = lesson.module
    services.delete_lesson(request.user, lesson)
    messages.success(request, _("The lesson is removed."))
    return redirect("training:lessons", module.pk)


@login_required
@require_POST
def lesson_move(request, pk):
    lesson = _lesson_if(request, pk, permissions.can_edit_module)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Say whether to move the lesson up or down."))
    services.move_lesson(request.user, lesson, form.step)
    return redirect("training:lessons", lesson.module_id)


# Editing parts -------------------------------------------------------------------------------


@login_required
def part_form(request, lesson_pk=None, kind=None, pk=None):
    if pk is not None:
        part = _part_if(request, pk, permissions.can_edit_module)
        lesson, kind = part.lesson, part.kind
    else:
        part = None
        lesson = _lesson_if(request, lesson_pk, permissions.can_edit_module)
        if kind not in PartKind.values:
            raise Http404(_("No such kind of part."))
    module = lesson.module
    form = PartForm(
        request.POST or None,
        request.FILES or None,
        instance=part,
        kind=kind,
        module=module,
    )
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name]
            for name in ("title", "body", "quiz")
            if name in form.cleaned_data
        }
        fields["kind"] = kind
        try:
            saved = services.save_part(
                request.user,
                lesson,
                part,
                fields,
                upload=form.cleaned_data.get("upload"),
                package_upload=form.cleaned_data.get("package"),
            )
        except (TrainingError, ValidationError) as error:
            refused(form, error)
        else:
            if form.cleaned_data.get("package"):
                messages.success(
                    request,
                    _("The package is saved. Check what it holds before learners open it."),
                )
                return redirect("training:scorm_package", saved.pk)
            messages.success(request, _("The part is saved."))
            return redirect(lesson)
    return render(
        request,
        "training/content/part_form.html",
        {
            "form": form,
            "lesson": lesson,
            "module": module,
            "part": part,
            "kind_label": PartKind(kind).label,
            "back": lesson.get_absolute_url(),
            "delete_url": reverse("training:part_delete", args=[part.pk]) if part else "",
        },
    )


@login_required
@require_POST
def part_delete(request, pk):
    part = _part_if(request, pk, permissions.can_edit_module)
    lesson = part.lesson
    services.delete_part(request.user, part)
    messages.success(request, _("The part is removed."))
    return redirect(lesson)


@login_required
@require_POST
def part_move(request, pk):
    part = _part_if(request, pk, permissions.can_edit_module)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Say whether to move the part up or down."))
    services.move_part(request.user, part, form.step)
    return redirect(part.lesson)


# Learning ------------------------------------------------------------------------------------


@login_required
@require_POST
def part_done(request, pk):
    part = _part_if(request, pk, permissions.can_learn)
    try:
        services.mark_done(request.user, part)
    except TrainingError as error:
        return HttpResponseBadRequest(str(error))
    return redirect(reverse("training:lesson", args=[part.lesson_id]) + f"#part-{part.pk}")


def _ranged(response_file, size, request, content_type):
    """A response for one byte range when the browser asks (a video seeking), else the whole
    file. Anything other than a single plain range gets the whole file."""
    match = RANGE.match(request.headers.get("Range", ""))
    if not match or not any(match.groups()):
        response = FileResponse(response_file, content_type=content_type)
        response["Accept-Ranges"] = "bytes"
        return response
    first, last = match.groups()
    if first == "":
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    if start >= size or start > end:
        response_file.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    response_file.seek(start)
    length = end - start + 1
    data = response_file.read(length)
    response_file.close()
    response = HttpResponse(data, status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    return response


@login_required
@require_GET
def part_file(request, pk):
    """A lesson's file as a download (the learner's progress recorded), or its video for the
    page's player. Never from the media address: the learner's right is checked first."""
    part = _part_if(request, pk, permissions.can_learn)
    if part.kind not in (PartKind.FILE, PartKind.VIDEO) or not part.file:
        raise Http404(_("This part has no file."))
    name = PurePath(part.file.name).name
    try:
        handle = part.file.open("rb")
        size = part.file.size
    except OSError as error:
        raise Http404(_("The file is missing.")) from error
    if part.kind == PartKind.VIDEO:
        content_type = "video/webm" if name.lower().endswith(".webm") else "video/mp4"
        response = _ranged(handle, size, request, content_type)
        response["Content-Disposition"] = content_disposition_header(False, name)
    else:
        if not request.headers.get("Range"):
            services.mark_done(request.user, part)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = FileResponse(handle, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


# SCORM ---------------------------------------------------------------------------------------


@login_required
def scorm_package(request, pk):
    """What a part's package holds, for the centre: version, SCOs and their launch pages, size,
    the problems found at upload, and the earlier versions with the attempts kept on them."""
    part = _part_if(request, pk, permissions.can_edit_module)
    if part.scorm_id is None:
        raise Http404(_("This part is not a SCORM package."))
    versions = []
    package = part.scorm
    while package is not None and len(versions) < 50:
        versions.append(package)
        package = package.replaces
    counts = dict(
        ScormAttempt.objects.filter(package__in=versions)
        .values_list("package")
        .annotate(n=Count("pk"))
    )
    for version in versions:
        version.attempt_count = counts.get(version.pk, 0)
    return render(
        request,
        "training/content/scorm_package.html",
        {
            "part": part,
            "lesson": part.lesson,
            "package": part.scorm,
            "versions": versions,
        },
    )


@login_required
def scorm_launch(request, pk):
    """The package's page: the player, from the content origin, in a frame. A POST starts a
    new attempt once the last one is finished."""
    part = _part_if(request, pk, permissions.can_learn)
    origin = player.content_origin(request)
    if origin is None:
        context = {"part": part, "lesson": part.lesson, "package": part.scorm, "no_origin": True}
        return render(request, "training/content/scorm_launch.html", context, status=503)
    try:
        attempt, token = player_services.launch(
            request.user, part, new_attempt=request.method == "POST"
        )
    except TrainingError as error:
        raise Http404(str(error)) from error
    if request.method == "POST":
        return redirect("training:scorm_launch", part.pk)
    response = render(
        request,
        "training/content/scorm_launch.html",
        {
            "part": part,
            "lesson": part.lesson,
            "module": part.lesson.module,
            "package": part.scorm,
            "attempt": attempt,
            "player_url": f"{origin}{reverse('play:player', args=[token])}",
        },
    )
    response._csp_update = {"frame-src": [origin]}
    return response
