from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Country
from liaison.portfolio.forms import DateInput, PeriodAndCurrencyMixin
from liaison.portfolio.models import ActivityType, ParticipationRole

from .services import INSTRUMENT_CODES, batch_too_large

# What the file chooser offers; the reader decides what it can read (see readers.FORMATS).
ACCEPTED = ".txt,.md,.html,.htm,.pdf,.docx"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name; each is checked like a single file."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        single = super().clean
        return [single(item, initial) for item in files]


class UploadForm(forms.Form):
    """One or many factsheets. Only the size is judged here; the reader judges the content."""

    files = MultipleFileField(
        label=_("Factsheets"),
        # An empty file is stored and then refused by the reader with its own message.
        allow_empty_file=True,
        widget=MultipleFileInput(attrs={"accept": ACCEPTED}),
        error_messages={"required": _("Choose at least one file to upload.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "Text, Markdown, HTML, PDF or Word (.docx) files, up to %(limit)s each and "
            "%(batch)s together."
        ) % {
            "limit": filesizeformat(settings.INGEST_MAX_BYTES),
            "batch": filesizeformat(settings.INGEST_MAX_BATCH_BYTES),
        }

    def clean_files(self):
        files = self.cleaned_data["files"]
        limit = settings.INGEST_MAX_BYTES
        # The size the upload declared, checked before a byte of the file is read.
        too_large = [
            forms.ValidationError(
                _(
                    "“%(name)s” is %(size)s, over the limit of %(limit)s. Nothing was "
                    "uploaded: remove it from the selection and try again."
                ),
                params={
                    "name": f.name,
                    "size": filesizeformat(f.size),
                    "limit": filesizeformat(limit),
                },
                code="too_large",
            )
            for f in files
            if f.size > limit
        ]
        if too_large:
            raise forms.ValidationError(too_large)
        refusal = batch_too_large(sum(f.size for f in files))
        if refusal:
            raise forms.ValidationError(capfirst(refusal) + ".", code="batch_too_large")
        return files

    def contents(self) -> list[tuple[str, bytes]]:
        return [(f.name, f.read()) for f in self.cleaned_data["files"]]


class DraftForm(PeriodAndCurrencyMixin, forms.Form):
    """The draft a factsheet gives, as the reviewer corrects it."""

    title = forms.CharField(label=_("Title"), max_length=500)
    acronym = forms.CharField(label=_("Acronym"), max_length=60, required=False)
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    start = forms.DateField(
        label=_("Start date"), required=False, widget=DateInput(format="%Y-%m-%d")
    )
    end = forms.DateField(label=_("End date"), required=False, widget=DateInput(format="%Y-%m-%d"))
    budget = forms.DecimalField(
        label=_("Total budget"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    currency = forms.CharField(label=_("Currency"), max_length=3, required=False, initial="EUR")
    eu_contribution = forms.DecimalField(
        label=_("EU contribution"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    co_financing = forms.DecimalField(
        label=_("Co-financing"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Left empty, it is the total budget minus the EU contribution."),
    )
    funding_sources = forms.MultipleChoiceField(
        label=_("Funding sources"),
        required=False,
        choices=[(name, name) for name in INSTRUMENT_CODES],
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries"), required=False, widget=forms.CheckboxSelectMultiple
    )
    activity_types = forms.MultipleChoiceField(
        label=_("Activity types"),
        required=False,
        choices=ActivityType.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The countries already chosen come first, so a long list hides none of them.
        chosen = set(self["countries"].value() or [])
        countries = Country.objects.values_list("code", "name")
        self.fields["countries"].choices = sorted(
            countries, key=lambda row: (row[0] not in chosen, row[1])
        )

    @classmethod
    def initial_from(cls, extracted: dict) -> dict:
        budget = extracted.get("budget") or {}
        return {
            "title": extracted.get("title") or "",
            "acronym": extracted.get("acronym") or "",
            "reference": extracted.get("reference") or "",
            "start": extracted.get("start_date"),
            "end": extracted.get("end_date"),
            "budget": budget.get("amount"),
            "currency": budget.get("currency") or "EUR",
            "eu_contribution": budget.get("eu_contribution"),
            "funding_sources": extracted.get("funding_sources") or [],
            "countries": extracted.get("countries") or [],
            "activity_types": extracted.get("activity_types") or [],
        }

    def contract(self, organisations: list[dict]) -> dict:
        """The cleaned values in the extraction contract's shape, for ``Draft.from_extracted``."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "acronym": data["acronym"],
            "reference": data["reference"],
            "start_date": data["start"],
            "end_date": data["end"],
            "budget": {
                "amount": data["budget"],
                "currency": data["currency"],
                "eu_contribution": data["eu_contribution"],
                "co_financing": data["co_financing"],
            },
            "funding_sources": data["funding_sources"],
            "countries": data["countries"],
            "organisations": organisations,
            "activity_types": data["activity_types"],
        }


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Organisation"), max_length=300, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("Choose a role"))] + list(ParticipationRole.choices),
    )

    def clean(self):
        data = super().clean()
        if data.get("name", "").strip() and not data.get("role"):
            self.add_error("role", _("Choose the organisation's role."))
        return data


OrganisationFormSet = forms.formset_factory(OrganisationForm, extra=2, can_delete=True)


def organisations_of(formset) -> list[dict]:
    """The rows a reviewer kept: named, with a role, and not marked for removal."""
    return [
        {"name": row["name"].strip(), "role": row["role"]}
        for row in formset.cleaned_data
        if row and not row.get("DELETE") and row.get("name", "").strip() and row.get("role")
    ]
