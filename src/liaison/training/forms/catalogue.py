"""Forms of the catalogue: a module, its translations and a new version."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.concurrency import VersionedFormMixin
from liaison.events.forms import DateInput, ReasonMixin

from ..models import (
    INSTRUCTION_LANGUAGES,
    CompetencyArea,
    DeliveryMode,
    Module,
    ModuleTranslation,
)


class ModuleForm(ReasonMixin, VersionedFormMixin, forms.ModelForm):
    """A module's catalogue entry. The version is issued separately, with a note of what
    changed, so the history says why."""

    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=INSTRUCTION_LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    delivery_modes = forms.MultipleChoiceField(
        label=_("Delivery modes"),
        choices=DeliveryMode.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    competency_areas = forms.ModelMultipleChoiceField(
        label=_("Competency areas"),
        queryset=CompetencyArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Module
        fields = [
            "code",
            "title",
            "summary",
            "level_framework",
            "level",
            "languages",
            "entry_requirements",
            "learning_outcomes",
            "competency_areas",
            "duration_hours",
            "delivery_modes",
            "assessment_method",
            "accreditation",
            "accrediting_body",
            "submitted_on",
            "accredited_on",
            "accreditation_expires_on",
            "shared_with_network",
            "published",
        ]
        widgets = {
            "submitted_on": DateInput,
            "accredited_on": DateInput,
            "accreditation_expires_on": DateInput,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "entry_requirements": forms.Textarea(attrs={"rows": 3}),
            "learning_outcomes": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, centre=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The code is unique within a centre; the model's constraint names both fields, so
        # the form checks it against the centre the module belongs to.
        self.centre = centre or getattr(self.instance, "centre", None)
        if self.centre is not None:
            self.instance.centre = self.centre

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        clash = Module.objects.filter(centre=self.centre, code__iexact=code)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This centre already has a module with this code."))
        return code


class VersionForm(forms.Form):
    version = forms.CharField(label=_("New version number"), max_length=20)
    changes = forms.CharField(
        label=_("What changed"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, module=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.module = module

    def clean_version(self):
        version = self.cleaned_data["version"].strip()
        if self.module is not None and (
            version == self.module.version or self.module.versions.filter(version=version).exists()
        ):
            raise forms.ValidationError(_("This version number is already used."))
        return version


class TranslationForm(forms.ModelForm):
    class Meta:
        model = ModuleTranslation
        fields = ["language", "title", "summary", "learning_outcomes"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "learning_outcomes": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, module=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.module = module

    def clean_language(self):
        language = self.cleaned_data["language"]
        others = ModuleTranslation.objects.filter(module=self.module, language=language)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("This language is already translated; edit it instead."))
        return language
