"""The secretariat builds a call's own application form: sections and questions, versioned.

A version on which an application was submitted is frozen: the applicant's receipt and the
reviewers read the answers against the very questions answered. So a change to a frozen form
first copies it into a new version (``version_for_change``); the drafts that were never
submitted move to the new version and their answers follow by each question's ``key``. The
secretariat only sees "version 2 is being edited; version 1 stays with the applications
submitted on it".
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core.permissions import require

from . import documents, permissions
from .models import Answer, Application, Call, FormQuestion, FormSection, FormVersion, QuestionKind

SECTION_FIELDS = ["title", "guidance"]
QUESTION_FIELDS = [
    "label",
    "help_text",
    "kind",
    "required",
    "word_limit",
    "min_value",
    "max_value",
    "choices",
    "file_types",
    "max_file_mb",
]


def current_version(call: Call) -> FormVersion | None:
    """The version new applications are written on: the latest."""
    return call.form_versions.order_by("-number").first()


def _copy(version: FormVersion, actor) -> tuple[FormVersion, dict, dict]:
    """A new version with the same sections and questions (questions keep their keys);
    returns it with the maps old section id -> new section and old question id -> new."""
    copy = FormVersion.objects.create(
        call=version.call, number=version.number + 1, created_by=actor
    )
    sections, questions = {}, {}
    for section in version.sections.prefetch_related("questions"):
        old_pk = section.pk
        new_section = FormSection.objects.create(
            version=copy, order=section.order, title=section.title, guidance=section.guidance
        )
        sections[old_pk] = new_section
        for question in section.questions.all():
            old_question = question.pk
            question.pk = None
            question.section = new_section
            question.save()
            questions[old_question] = question
    return copy, sections, questions


def forget_answers(answers):
    """Delete ``answers`` (a queryset) and, once the change is committed, their files: an
    application only keeps answers to the questions of its own version."""
    storage = Answer._meta.get_field("file").storage
    files = list(answers.exclude(file="").values_list("file", flat=True))
    answers.delete()
    if files:
        transaction.on_commit(lambda: [storage.delete(name) for name in files])


def _move_drafts(call: Call, to: FormVersion, questions: dict | None = None):
    """Drafts never submitted follow the form to its new version, their answers too."""
    drafts = Application.objects.filter(call=call, submitted_at__isnull=True).exclude(
        form_version=to
    )
    if questions:
        by_old = {old: new.pk for old, new in questions.items()}
        for answer in Answer.objects.filter(application__in=drafts, question_id__in=by_old):
            answer.question_id = by_old[answer.question_id]
            answer.save(update_fields=["question"])
    forget_answers(
        Answer.objects.filter(application__in=drafts).exclude(question__section__version=to)
    )
    drafts.update(form_version=to)


@transaction.atomic
def version_for_change(actor, call: Call) -> tuple[FormVersion, dict, dict]:
    """The version a change goes into: the current one while nothing was submitted on it,
    else a copy (see the module's docstring). The maps say where each section and question
    of the current version is in the returned one (empty when it is the same version)."""
    require(permissions.can_build_form(actor, call))
    call = Call.objects.select_for_update().get(pk=call.pk)
    version = current_version(call)
    if version is None:
        version = FormVersion.objects.create(call=call, number=1, created_by=actor)
        _move_drafts(call, version)
        audit.record(actor, "grants.form_version_created", call, {"version": [None, 1]})
        return version, {}, {}
    if not version.is_frozen:
        return version, {}, {}
    copy, sections, questions = _copy(version, actor)
    _move_drafts(call, copy, questions)
    audit.record(
        actor, "grants.form_version_created", call, {"version": [version.number, copy.number]}
    )
    return copy, sections, questions


def _in_version(actor, obj):
    """``obj`` (a section or question of the call's form) as it is in the version a change
    goes into."""
    section = obj if isinstance(obj, FormSection) else obj.section
    version, sections, questions = version_for_change(actor, section.version.call)
    if isinstance(obj, FormSection):
        return sections.get(obj.pk, obj) if sections else obj
    found = questions.get(obj.pk, obj) if questions else obj
    if found.section.version_id != version.pk:
        raise ValidationError(_("This question belongs to an older version of the form."))
    return found


def _check_current(obj):
    section = obj if isinstance(obj, FormSection) else obj.section
    current = current_version(section.version.call)
    if current is None or section.version_id != current.pk:
        raise ValidationError(
            _("This is an older version of the form; change the current one instead.")
        )


# Sections ------------------------------------------------------------------------------------


@transaction.atomic
def add_section(actor, call: Call, values: dict) -> FormSection:
    version, _sections, _questions = version_for_change(actor, call)
    order = (version.sections.aggregate(top=Max("order"))["top"] or 0) + 1
    section = FormSection(version=version, order=order)
    for name in SECTION_FIELDS:
        setattr(section, name, values.get(name, ""))
    section.full_clean()
    section.save()
    audit.record(actor, "grants.form_section_added", call, {"section": [None, section.title]})
    return section


@transaction.atomic
def update_section(actor, section: FormSection, values: dict) -> FormSection:
    _check_current(section)
    section = _in_version(actor, section)
    before = audit.snapshot(section)
    for name in SECTION_FIELDS:
        if name in values:
            setattr(section, name, values[name])
    section.full_clean()
    section.save()
    changes = audit.diff(before, audit.snapshot(section))
    if changes:
        audit.record(actor, "grants.form_section_changed", section.version.call, changes)
    return section


@transaction.atomic
def remove_section(actor, section: FormSection):
    _check_current(section)
    section = _in_version(actor, section)
    call = section.version.call
    title = section.title
    forget_answers(Answer.objects.filter(question__section=section))
    section.delete()
    audit.record(actor, "grants.form_section_removed", call, {"section": [title, None]})


# Questions -----------------------------------------------------------------------------------


def check_question(values: dict) -> dict:
    """The rules of a question's settings, as errors by field (empty when all is well)."""
    errors = {}
    kind = values.get("kind")
    if kind == QuestionKind.CHOICE:
        choices = [c.strip() for c in (values.get("choices") or "").splitlines() if c.strip()]
        if len(choices) < 2:
            errors["choices"] = _("Give at least two choices, one per line.")
        elif len(set(choices)) != len(choices):
            errors["choices"] = _("Each choice may appear only once.")
    if kind == QuestionKind.FILE:
        kinds = [t.strip().lower().lstrip(".") for t in (values.get("file_types") or "").split(",")]
        unknown = [t for t in kinds if t and t not in documents.CONTENT_TYPES]
        if unknown:
            errors["file_types"] = _("Liaison accepts %(known)s, not %(unknown)s.") % {
                "known": ", ".join(documents.CONTENT_TYPES),
                "unknown": ", ".join(unknown),
            }
    low, high = values.get("min_value"), values.get("max_value")
    numbers = kind == QuestionKind.NUMBER and low is not None and high is not None
    if numbers and Decimal(low) > Decimal(high):
        errors["max_value"] = _("The largest number must not be smaller than the smallest.")
    return errors


def _set_question(question: FormQuestion, values: dict):
    errors = check_question({**{n: getattr(question, n) for n in QUESTION_FIELDS}, **values})
    if errors:
        raise ValidationError(errors)
    for name in QUESTION_FIELDS:
        if name in values:
            setattr(question, name, values[name])
    # Settings of another kind of question mean nothing here: keep them empty.
    kind = question.kind
    if kind != QuestionKind.TEXT:
        question.word_limit = None
    if kind != QuestionKind.NUMBER:
        question.min_value = question.max_value = None
    if kind != QuestionKind.CHOICE:
        question.choices = ""
    if kind != QuestionKind.FILE:
        question.file_types, question.max_file_mb = "", None
    else:
        question.file_types = ",".join(question.file_type_list())
    question.full_clean(exclude=["section"])


@transaction.atomic
def add_question(actor, section: FormSection, values: dict) -> FormQuestion:
    _check_current(section)
    section = _in_version(actor, section)
    order = (section.questions.aggregate(top=Max("order"))["top"] or 0) + 1
    question = FormQuestion(section=section, order=order)
    _set_question(question, values)
    question.save()
    audit.record(
        actor,
        "grants.form_question_added",
        section.version.call,
        {"question": [None, question.label]},
    )
    return question


@transaction.atomic
def update_question(actor, question: FormQuestion, values: dict) -> FormQuestion:
    _check_current(question)
    # Check before copying, so a refused change makes no new version.
    errors = check_question({**{n: getattr(question, n) for n in QUESTION_FIELDS}, **values})
    if errors:
        raise ValidationError(errors)
    question = _in_version(actor, question)
    before = audit.snapshot(question)
    _set_question(question, values)
    question.save()
    changes = audit.diff(before, audit.snapshot(question))
    if changes:
        audit.record(actor, "grants.form_question_changed", question.section.version.call, changes)
    return question


@transaction.atomic
def remove_question(actor, question: FormQuestion):
    _check_current(question)
    question = _in_version(actor, question)
    call = question.section.version.call
    label = question.label
    forget_answers(Answer.objects.filter(question=question))
    question.delete()
    audit.record(actor, "grants.form_question_removed", call, {"question": [label, None]})


@transaction.atomic
def move(actor, obj, up: bool):
    """Swap a section or question with the one before (``up``) or after it."""
    _check_current(obj)
    obj = _in_version(actor, obj)
    siblings = list(
        obj.version.sections.all() if isinstance(obj, FormSection) else obj.section.questions.all()
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == obj.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for order, item in enumerate(siblings, start=1):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])
