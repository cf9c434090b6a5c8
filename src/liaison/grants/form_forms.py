"""Forms of a call's own application form: the secretariat's section and question forms, and
the applicant's answers form built from the questions of the application's form version.

The answers form types each value (a number, a date, a file); ``grants.answers`` checks what it
may be. Nothing is required here: a draft saves whatever is given, and the application's page
says what is still missing.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.widgets import PickerSelect
from liaison.directory.models import Country, Organisation

from . import answers, documents
from .models import FormQuestion, FormSection, QuestionKind


class SectionForm(forms.ModelForm):
    class Meta:
        model = FormSection
        fields = ["title", "guidance"]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 3})}


class QuestionForm(forms.ModelForm):
    class Meta:
        model = FormQuestion
        fields = [
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
        widgets = {
            "help_text": forms.Textarea(attrs={"rows": 2}),
            "choices": forms.Textarea(attrs={"rows": 4}),
        }


def field_name(question: FormQuestion) -> str:
    return f"q_{question.key}"


def remove_name(question: FormQuestion) -> str:
    return f"q_{question.key}_remove"


def _field(question: FormQuestion, countries, organisations):
    label = question.label
    limits = answers.describe_limits(question)
    help_text = " ".join(t for t in [question.help_text, limits] if t)
    common = {"label": label, "help_text": help_text, "required": False}
    kind = question.kind
    if kind == QuestionKind.TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), **common)
    if kind == QuestionKind.NUMBER:
        return forms.DecimalField(max_digits=16, decimal_places=4, **common)
    if kind == QuestionKind.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == QuestionKind.CHOICE:
        choices = [(c, c) for c in question.choice_list()]
        return forms.ChoiceField(choices=[("", _("Choose…")), *choices], **common)
    if kind == QuestionKind.COUNTRY:
        return forms.ChoiceField(choices=[("", _("Choose…")), *countries], **common)
    if kind == QuestionKind.ORGANISATION:
        field = forms.ModelChoiceField(queryset=organisations, empty_label=_("Choose…"), **common)
        field.widget = PickerSelect(choices=field.choices)
        return field
    accept = ",".join(f".{k}" for k in question.file_type_list()) or documents.ACCEPT
    return forms.FileField(widget=forms.FileInput(attrs={"accept": accept}), **common)


class AnswersForm(forms.Form):
    """One field per question of ``form`` (``answers.form_of``), with the answers as initial
    values; a file question has a "remove the file" box when a file is stored."""

    def __init__(self, *args, form, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.visible_to(user).order_by("name")
        self.sections = form
        countries = None
        for section in form:
            for row in section.rows:
                question, answer = row.question, row.answer
                if question.kind == QuestionKind.COUNTRY and countries is None:
                    countries = list(Country.objects.order_by("name").values_list("code", "name"))
                name = field_name(question)
                self.fields[name] = _field(question, countries or [], organisations)
                if answer is not None and question.kind != QuestionKind.FILE:
                    self.initial[name] = {
                        # 120, as it was typed, rather than the stored 120.0000.
                        QuestionKind.NUMBER: answer.number
                        if answer.number is None
                        else Decimal(f"{answer.number.normalize():f}"),
                        QuestionKind.DATE: answer.date,
                        QuestionKind.ORGANISATION: answer.organisation_id,
                    }.get(question.kind, answer.text)
                if question.kind == QuestionKind.FILE and answer is not None and answer.file:
                    self.fields[remove_name(question)] = forms.BooleanField(
                        label=_("Remove the file %(name)s") % {"name": answer.file_name},
                        required=False,
                    )
                row.field = self[name]
                row.remove = (
                    self[remove_name(question)] if remove_name(question) in self.fields else None
                )

    def values(self) -> tuple[dict, frozenset]:
        """Question key -> typed value, and the keys of the files to remove."""
        values, remove = {}, set()
        for section in self.sections:
            for row in section.rows:
                question = row.question
                values[question.key] = self.cleaned_data.get(field_name(question))
                if self.cleaned_data.get(remove_name(question)):
                    remove.add(question.key)
        return values, frozenset(remove)
