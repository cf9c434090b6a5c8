"""The consortium's answers to the call's own questions (``models/form.py``).

The applicant writes them while the application is a draft (or while a clarification reopens
"answers"); a draft saves whatever is given, checking only what each answer may be (a word
limit, a number's range, a file's kind and size, read from its content), and says what is
still missing; submission refuses while a required question is unanswered (``problems``).
Files are stored under a random name and served only through the application's own
permission-checked view.
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core.permissions import require
from liaison.directory.models import Country, Organisation

from . import documents, permissions
from .models import Answer, Application, FormQuestion, FormSection, QuestionKind
from .rules import Problem

MB = documents.MB


@dataclass
class Row:
    question: FormQuestion
    answer: Answer | None
    shown: str = ""


@dataclass
class SectionRows:
    section: FormSection
    rows: list[Row] = field(default_factory=list)


def questions_of(application: Application) -> list[FormQuestion]:
    if application.form_version_id is None:
        return []
    return list(
        FormQuestion.objects.filter(section__version_id=application.form_version_id)
        .select_related("section")
        .order_by("section__order", "section_id", "order", "pk")
    )


def form_of(application: Application) -> list[SectionRows]:
    """The application's form, section by section, each question with its answer (in three
    queries however many questions there are)."""
    if application.form_version_id is None:
        return []
    sections = {
        s.pk: SectionRows(s)
        for s in FormSection.objects.filter(version_id=application.form_version_id)
    }
    answers = {
        a.question_id: a
        for a in Answer.objects.filter(application=application).select_related("organisation")
    }
    codes = {a.text for a in answers.values() if a.text and len(a.text) == 2}
    names = (
        dict(Country.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    )
    for question in questions_of(application):
        answer = answers.get(question.pk)
        if answer is not None:
            answer.question = question
        shown = answer.shown(names) if answer is not None else ""
        sections[question.section_id].rows.append(Row(question, answer, shown))
    return list(sections.values())


# Checking one answer -------------------------------------------------------------------------


def words(text: str) -> int:
    return len(text.split())


def limit_bytes(question: FormQuestion) -> int:
    return (question.max_file_mb or 0) * MB or documents.max_bytes()


def check(question: FormQuestion, value) -> dict:
    """The fields of an answer to ``question`` for ``value`` (as the form typed it), or a
    ``ValidationError`` that says what is wrong with it. An empty value gives empty fields."""
    kind = question.kind
    if value in (None, "") or (isinstance(value, str) and not value.strip()):
        return {}
    if kind == QuestionKind.TEXT:
        text = str(value).strip()
        if question.word_limit and words(text) > question.word_limit:
            raise ValidationError(
                _("%(count)s words; the limit is %(limit)s.")
                % {"count": words(text), "limit": question.word_limit}
            )
        return {"text": text}
    if kind == QuestionKind.NUMBER:
        number = Decimal(value)
        if not number.is_finite():
            raise ValidationError(_("Give a number."))
        if question.min_value is not None and number < question.min_value:
            raise ValidationError(
                _("Give at least %(low)s.") % {"low": f"{question.min_value.normalize():f}"}
            )
        if question.max_value is not None and number > question.max_value:
            raise ValidationError(
                _("Give at most %(high)s.") % {"high": f"{question.max_value.normalize():f}"}
            )
        return {"number": number}
    if kind == QuestionKind.DATE:
        return {"date": value}
    if kind == QuestionKind.CHOICE:
        if value not in question.choice_list():
            raise ValidationError(_("Choose one of the choices listed."))
        return {"text": value}
    if kind == QuestionKind.COUNTRY:
        if not Country.objects.filter(code=value).exists():
            raise ValidationError(_("Choose a country of the list."))
        return {"text": value}
    if kind == QuestionKind.ORGANISATION:
        if not isinstance(value, Organisation):
            raise ValidationError(_("Choose an organisation of the directory."))
        return {"organisation": value}
    if kind == QuestionKind.FILE:
        if not isinstance(value, UploadedFile):
            raise ValidationError(_("Choose a file to upload."))
        limit = limit_bytes(question)
        kind_found = documents.kind_of(value, limit=limit, allowed=question.file_type_list())
        value.seek(0)
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {
            "file": value,
            "file_name": documents.stored_name(value, kind_found),
            "file_size": value.size,
            "file_sha256": digest.hexdigest(),
        }
    raise ValidationError(_("This question cannot be answered."))


def describe_limits(question: FormQuestion) -> str:
    """What an answer may be, as the form says it under the question."""
    if question.kind == QuestionKind.TEXT and question.word_limit:
        return _("At most %(limit)s words.") % {"limit": question.word_limit}
    if question.kind == QuestionKind.FILE:
        kinds = question.file_type_list() or list(documents.CONTENT_TYPES)
        return _("%(kinds)s, at most %(size)s.") % {
            "kinds": ", ".join(k.upper() for k in kinds),
            "size": filesizeformat(limit_bytes(question)),
        }
    if question.kind == QuestionKind.NUMBER and (
        question.min_value is not None or question.max_value is not None
    ):
        low = "–" if question.min_value is None else f"{question.min_value.normalize():f}"
        high = "–" if question.max_value is None else f"{question.max_value.normalize():f}"
        return _("From %(low)s to %(high)s.") % {"low": low, "high": high}
    return ""


# Saving --------------------------------------------------------------------------------------

EMPTY = {
    "text": "",
    "number": None,
    "date": None,
    "organisation": None,
    "file_name": "",
    "file_size": None,
    "file_sha256": "",
}


@transaction.atomic
def save_answers(actor, application: Application, values: dict, remove: frozenset = frozenset()):
    """Save the answers in ``values`` (question key -> typed value; a question not named is
    left as it is) and remove the files of the questions whose keys are in ``remove``.

    Every answer is checked first: one that is wrong saves nothing, and the error names the
    question (by key), so the form shows it there."""
    from .services import locked

    application = locked(application)
    require(permissions.can_edit_answers(actor, application))
    questions = questions_of(application)
    existing = {a.question_id: a for a in application.answers.select_related("organisation")}
    errors, checked = {}, []
    for question in questions:
        if question.key not in values and question.key not in remove:
            continue
        value = values.get(question.key)
        if (
            question.kind == QuestionKind.FILE
            and value in (None, "")
            and question.key not in remove
        ):
            continue  # no new file chosen: keep the one stored
        try:
            checked.append((question, check(question, value)))
        except ValidationError as error:
            errors[question.key] = error.messages
    if errors:
        raise ValidationError(errors)
    changes, old_files = {}, []
    for question, fields in checked:
        answer = existing.get(question.pk)
        before = answer.shown() if answer else ""
        if not fields:
            if answer is not None:
                if answer.file:
                    old_files.append(answer.file.name)
                answer.delete()
                changes[question.label] = [before, ""]
            continue
        answer = answer or Answer(application=application, question=question)
        answer.question = question
        upload = fields.pop("file", None)
        for name, empty in EMPTY.items():
            setattr(answer, name, fields.get(name, empty))
        if upload is not None:
            if answer.file:
                old_files.append(answer.file.name)
            answer.file.save(fields["file_name"], upload, save=False)
        answer.updated_by = actor
        if upload is None and answer.pk and answer.shown() == before:
            continue
        answer.save()
        changes[question.label] = [before, answer.shown()]
    if changes:
        audit.record(actor, "grants.answers_updated", application, changes)
    if old_files:
        storage = Answer._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in old_files])
    return application


# Submission ----------------------------------------------------------------------------------


def problems(application: Application) -> list[Problem]:
    """What the call's own questions still lack: required answers, and answers a newer version
    of the form no longer accepts (a word limit lowered, a choice withdrawn)."""
    found = []
    answers = {a.question_id: a for a in application.answers.all()}
    for question in questions_of(application):
        answer = answers.get(question.pk)
        if answer is None or answer.is_empty:
            if question.required:
                found.append(
                    Problem("answers", _("Answer “%(question)s”.") % {"question": question.label})
                )
            continue
        answer.question = question
        if question.kind == QuestionKind.FILE:
            continue  # checked when it was uploaded, by the limits of this very question
        value = {
            QuestionKind.NUMBER: answer.number,
            QuestionKind.DATE: answer.date,
            QuestionKind.ORGANISATION: answer.organisation,
        }.get(question.kind, answer.text)
        try:
            check(question, value)
        except ValidationError as error:
            found.append(
                Problem(
                    "answers",
                    _("“%(question)s”: %(error)s")
                    % {"question": question.label, "error": " ".join(error.messages)},
                )
            )
    return found


def content(application: Application) -> list[dict]:
    """The answers as the receipt's hash covers them, in the form's order."""
    return [
        {
            "key": row.question.key,
            "section": section.section.title,
            "question": row.question.label,
            "kind": row.question.kind,
            "answer": row.shown,
            **({"file_sha256": row.answer.file_sha256} if row.answer and row.answer.file else {}),
        }
        for section in form_of(application)
        for row in section.rows
        if row.answer is not None
    ]
