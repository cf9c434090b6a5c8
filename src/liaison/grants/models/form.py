"""A call's own application form: sections of questions, versioned, and the answers to them.

Every call has the standard parts of an application (summary, objectives, work plan, budget:
``applications.py``); a call adds its own questions here. The form is versioned: once an
application was submitted on a version, that version never changes again (the secretariat's
next change makes a new version, see ``grants.form_builder``), so what an applicant answered
is always read against the questions they saw. A question keeps its ``key`` from version to
version, which is how a draft's answers follow it to the new version.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Organisation

from .calls import Call

# Numbers answered: up to twelve digits before the point and four after.
NUMBER = {"max_digits": 16, "decimal_places": 4}


class FormVersion(models.Model):
    """One state of a call's form; the latest is the one new applications are written on."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="form_versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("application form version")
        verbose_name_plural = _("application form versions")
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="one_form_version_number"),
        ]

    def __str__(self):
        return f"{self.call.reference} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        """Whether an application was ever submitted on this version: then it never changes."""
        return self.applications.filter(submitted_at__isnull=False).exists()


class FormSection(models.Model):
    version = models.ForeignKey(
        FormVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    guidance = models.TextField(_("guidance for applicants"), blank=True)

    class Meta:
        verbose_name = _("form section")
        verbose_name_plural = _("form sections")
        ordering = ["version", "order", "pk"]

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text (with a word limit)")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    CHOICE = "choice", _("One choice of a list")
    COUNTRY = "country", _("Country")
    ORGANISATION = "organisation", _("Organisation of the directory")
    FILE = "file", _("File upload")


def new_key() -> str:
    return secrets.token_hex(6)


class FormQuestion(models.Model):
    section = models.ForeignKey(
        FormSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions"
    )
    # The same question in every version of the form (see the module's docstring).
    key = models.CharField(_("key"), max_length=12, default=new_key, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    label = models.CharField(_("question"), max_length=500)
    help_text = models.TextField(_("help for applicants"), blank=True)
    kind = models.CharField(_("kind of answer"), max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(_("an answer is required to submit"), default=True)
    word_limit = models.PositiveIntegerField(
        _("word limit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20000)],
        help_text=_("Text questions only; empty for no limit."),
    )
    min_value = models.DecimalField(_("smallest number"), **NUMBER, null=True, blank=True)
    max_value = models.DecimalField(_("largest number"), **NUMBER, null=True, blank=True)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("Choice questions only: one choice per line.")
    )
    file_types = models.CharField(
        _("file types accepted"),
        max_length=100,
        blank=True,
        help_text=_("File questions only: pdf, docx, xlsx, odt or txt, separated by commas."),
    )
    max_file_mb = models.PositiveSmallIntegerField(
        _("largest file (MB)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
    )

    class Meta:
        verbose_name = _("form question")
        verbose_name_plural = _("form questions")
        ordering = ["section__order", "section", "order", "pk"]
        indexes = [models.Index(fields=["key"], name="grants_question_key")]

    def __str__(self):
        return self.label

    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def file_type_list(self) -> list[str]:
        return [t.strip().lower().lstrip(".") for t in self.file_types.split(",") if t.strip()]


def answer_file_path(answer, filename: str) -> str:
    return f"grants/answers/{answer.application_id}/{secrets.token_hex(8)}-{filename}"


class Answer(models.Model):
    """An application's answer to one question of its form version; one field is used,
    according to the question's kind."""

    application = models.ForeignKey(
        "grants.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    question = models.ForeignKey(
        FormQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers"
    )
    # Text, the choice made, or a country's two-letter code.
    text = models.TextField(_("text"), blank=True)
    number = models.DecimalField(_("number"), **NUMBER, null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=answer_file_path, max_length=300, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    file_sha256 = models.CharField(_("file fingerprint (SHA-256)"), max_length=64, blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="one_answer"),
        ]

    def __str__(self):
        return f"{self.question}: {self.shown()}"

    def shown(self, country_names: dict | None = None) -> str:
        """The answer as a person reads it: the organisation's name, the country's name when
        ``country_names`` (code -> name, read once for a whole form) is given."""
        kind = self.question.kind
        if kind == QuestionKind.NUMBER:
            return "" if self.number is None else f"{self.number.normalize():f}"
        if kind == QuestionKind.DATE:
            return self.date.isoformat() if self.date else ""
        if kind == QuestionKind.ORGANISATION:
            return self.organisation.name if self.organisation_id else ""
        if kind == QuestionKind.FILE:
            return self.file_name
        if kind == QuestionKind.COUNTRY and country_names:
            return country_names.get(self.text, self.text)
        return self.text

    @property
    def is_empty(self) -> bool:
        return (
            not (self.text.strip() or self.number is not None or self.date or self.organisation_id)
            and not self.file
        )
