"""Writes of the training centre: lessons and their parts, SCORM packages and their tracking,
and the learning activity they leave as xAPI statements.

Each write checks the actor's right through ``permissions``, runs in a transaction and writes
the audit trail for the centre's own changes. Files are removed only once the database change
that drops them has committed, and files written for a change that fails are removed at once,
so the media folder never holds orphans nor loses a file still in use.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from liaison.core import audit

from .. import permissions, scorm, xapi
from ..models import (
    Course,
    EnrolmentStatus,
    Lesson,
    LessonPart,
    LessonProgress,
    Module,
    PartKind,
    ScormPackage,
)
from . import TrainingError, require

LESSON_FIELDS = ["title", "summary"]
PART_FIELDS = ["kind", "title", "body", "quiz"]


def _delete_file_on_commit(field_file):
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


def package_folder(package: ScormPackage) -> Path:
    return Path(settings.MEDIA_ROOT) / package.folder


# Reading -----------------------------------------------------------------------------------


def lessons_for(user, module: Module) -> list[Lesson]:
    """A module's lessons with their parts, each lesson counting its parts and how many of
    them ``user`` has done, in two queries whatever the number of lessons."""
    signed_in = getattr(user, "is_authenticated", False)
    done = Q(parts__progress__user=user) if signed_in else Q(pk__in=[])
    return list(
        Lesson.objects.filter(module=module)
        .annotate(
            part_count=Count("parts", distinct=True),
            done_count=Count("parts__progress", filter=done, distinct=True),
        )
        .prefetch_related("parts")
    )


def done_parts(user, parts) -> set[int]:
    """The ids among ``parts`` that ``user`` has done."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        LessonProgress.objects.filter(user=user, part__in=parts).values_list("part_id", flat=True)
    )


def course_of(user, module: Module) -> Course | None:
    """The course through which ``user`` learns ``module``, to file statements under it."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Course.objects.filter(
            modules=module,
            enrolments__person__user=user,
            enrolments__status=EnrolmentStatus.APPROVED,
        )
        .order_by("-starts_on")
        .first()
    )


# Lessons and parts -------------------------------------------------------------------------


def _next_order(queryset) -> int:
    last = queryset.order_by("-order").values_list("order", flat=True).first()
    return 0 if last is None else last + 1


@transaction.atomic
def save_lesson(actor, module: Module, lesson: Lesson | None, fields: dict) -> Lesson:
    """Create a lesson at the end of the module (``lesson=None``) or change one."""
    require(permissions.can_edit_module(actor, module))
    created = lesson is None or lesson.pk is None
    lesson = lesson or Lesson(module=module)
    if lesson.module_id != module.pk:
        raise TrainingError(_("The lesson belongs to another module."))
    before = {} if created else {name: getattr(lesson, name) for name in LESSON_FIELDS}
    for name in LESSON_FIELDS:
        if name in fields:
            setattr(lesson, name, fields[name])
    if created:
        lesson.order = _next_order(module.lessons.all())
    lesson.full_clean()
    lesson.save()
    changes = audit.diff(before, {name: getattr(lesson, name) for name in LESSON_FIELDS})
    audit.record(actor, "lesson.created" if created else "lesson.updated", lesson, changes)
    return lesson


@transaction.atomic
def delete_lesson(actor, lesson: Lesson):
    require(permissions.can_edit_module(actor, lesson.module))
    for part in list(lesson.parts.all()):
        _delete_part(part)
    audit.record(actor, "lesson.deleted", lesson, {"module": lesson.module_id})
    lesson.delete()


def _move(items: list, item, step: int) -> bool:
    """Swap ``item`` with its neighbour ``step`` (-1 or +1) away and renumber the list."""
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + (1 if step > 0 else -1)
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for order, other in enumerate(items):
        other.order = order
    type(item).objects.bulk_update(items, ["order"])
    return True


@transaction.atomic
def move_lesson(actor, lesson: Lesson, step: int) -> bool:
    require(permissions.can_edit_module(actor, lesson.module))
    lessons = list(Lesson.objects.select_for_update().filter(module=lesson.module_id))
    return _move(lessons, lesson, step)


@transaction.atomic
def move_part(actor, part: LessonPart, step: int) -> bool:
    require(permissions.can_edit_module(actor, part.lesson.module))
    parts = list(LessonPart.objects.select_for_update().filter(lesson=part.lesson_id))
    return _move(parts, part, step)


def save_part(
    actor,
    lesson: Lesson,
    part: LessonPart | None,
    fields: dict,
    *,
    upload=None,
    package_upload=None,
) -> LessonPart:
    """Create a part at the end of the lesson (``part=None``) or change one.

    ``upload`` is the file or video to keep; ``package_upload`` a SCORM zip, read and unpacked
    here. When the database write fails the new files are removed; the ones they replace are
    removed only once it has committed.
    """
    module = lesson.module
    require(permissions.can_edit_module(actor, module))
    new_package = None
    try:
        with transaction.atomic():
            if package_upload is not None:
                replaces = part.scorm if part is not None and part.pk else None
                new_package = upload_package(
                    actor, module, package_upload, fields.get("title") or "", replaces
                )
            part = _save_part(actor, lesson, part, fields, upload, new_package)
    except BaseException:
        if new_package is not None:
            scorm.remove_folder(package_folder(new_package))
        raise
    return part


def _save_part(actor, lesson, part, fields, upload, new_package):
    created = part is None or part.pk is None
    part = part or LessonPart(lesson=lesson)
    if part.lesson_id != lesson.pk:
        raise TrainingError(_("The part belongs to another lesson."))
    before = {} if created else {name: getattr(part, name) for name in PART_FIELDS}
    old_file = part.file if not created else None
    old_package = part.scorm if not created else None
    for name in PART_FIELDS:
        if name in fields:
            setattr(part, name, fields[name])
    kind = part.kind
    if kind in (PartKind.FILE, PartKind.VIDEO):
        if upload is not None:
            part.file = upload
        elif not part.file:
            raise TrainingError(_("Choose the file to upload."))
    elif part.file:
        part.file = None
    if kind == PartKind.SCORM:
        if new_package is not None:
            part.scorm = new_package
        elif part.scorm_id is None:
            raise TrainingError(_("Choose the SCORM package (a zip file) to upload."))
    else:
        part.scorm = None
    if kind == PartKind.QUIZ:
        if part.quiz_id is None:
            raise TrainingError(_("Choose the quiz."))
        if part.quiz.module_id != lesson.module_id:
            raise TrainingError(_("The quiz belongs to another module."))
    else:
        part.quiz = None
    if kind == PartKind.PAGE and not part.body.strip():
        raise TrainingError(_("Write the page's text."))
    if created:
        part.order = _next_order(lesson.parts.all())
    part.full_clean()
    part.save()
    if old_file and old_file.name != (part.file.name if part.file else None):
        _delete_file_on_commit(old_file)
    if old_package is not None and old_package.pk != part.scorm_id:
        _drop_package_if_unused(old_package)
    changes = audit.diff(before, {name: getattr(part, name) for name in PART_FIELDS})
    if upload is not None or new_package is not None:
        changes["file"] = [None, part.file.name if part.file else str(part.scorm)]
    audit.record(actor, "lesson_part.created" if created else "lesson_part.updated", part, changes)
    return part


def _drop_package_if_unused(package: ScormPackage):
    """A package no part plays any more goes, with its files, unless learners made attempts
    on it: those stay readable with the package they were made on."""
    if not package.parts.exists() and not package.attempts.exists():
        folder = package_folder(package)
        package.delete()
        transaction.on_commit(lambda: scorm.remove_folder(folder))


def _delete_part(part: LessonPart):
    _delete_file_on_commit(part.file)
    package = part.scorm
    part.delete()
    if package is not None:
        _drop_package_if_unused(package)


@transaction.atomic
def delete_part(actor, part: LessonPart):
    require(permissions.can_edit_module(actor, part.lesson.module))
    audit.record(actor, "lesson_part.deleted", part, {"lesson": part.lesson_id})
    _delete_part(part)


# SCORM packages ----------------------------------------------------------------------------


def upload_package(user, module: Module, file, title: str = "", replaces=None) -> ScormPackage:
    """Check an uploaded zip, unpack it to its own folder under the media root and record what
    the manifest says (version, items, sequencing, problems found).

    Nothing is written before the whole package has been checked; when the database write
    fails the unpacked folder is removed. ``replaces`` is the package this one is the next
    version of: attempts made on the old one stay with it.
    """
    require(permissions.can_edit_module(user, module))
    archive, members, manifest = scorm.open_package(file)
    relative = f"training/scorm/{uuid.uuid4().hex}"
    folder = Path(settings.MEDIA_ROOT) / relative
    folder.mkdir(parents=True, exist_ok=False)
    try:
        scorm.unpack(archive, members, folder)
        with transaction.atomic():
            sequencing = {}
            if manifest.activity_tree is not None:
                sequencing = {"activityTree": manifest.activity_tree}
                if manifest.collections:
                    sequencing["collections"] = manifest.collections
            package = ScormPackage.objects.create(
                module=module,
                title=(title or manifest.title or getattr(file, "name", "") or "SCORM")[:300],
                version=manifest.version,
                edition=manifest.edition,
                identifier=manifest.identifier,
                launch=manifest.launch,
                folder=relative,
                mastery_score=manifest.mastery_score,
                items=manifest.items,
                sequencing=sequencing,
                problems=manifest.problems,
                size=manifest.size,
                file_count=manifest.file_count,
                number=(replaces.number + 1) if replaces is not None else 1,
                replaces=replaces,
                uploaded_by=user,
            )
            audit.record(
                user,
                "scorm_package.uploaded",
                package,
                {
                    "version": package.version,
                    "launch": package.launch,
                    "files": len(members),
                    "items": len(package.scos),
                    "replaces": replaces.pk if replaces is not None else None,
                },
            )
    except BaseException:
        scorm.remove_folder(folder)
        raise
    finally:
        archive.close()
    return package


# Pages, files and videos -------------------------------------------------------------------


@transaction.atomic
def mark_done(user, part: LessonPart) -> LessonProgress:
    """A learner has read a page, watched a video or taken a file: their progress, and an
    "experienced" statement the first time."""
    module = part.lesson.module
    require(permissions.can_learn(user, module))
    if part.kind not in (PartKind.PAGE, PartKind.FILE, PartKind.VIDEO):
        raise TrainingError(_("This part is done by finishing it, not by opening it."))
    progress, created = LessonProgress.objects.get_or_create(part=part, user=user)
    if created:
        xapi.record(
            user,
            "experienced",
            object_path=reverse("training:lesson", args=[part.lesson_id]) + f"#part-{part.pk}",
            name=part.title,
            activity_type="media" if part.kind == PartKind.VIDEO else "lesson",
            module=module,
            course=course_of(user, module),
        )
    return progress
