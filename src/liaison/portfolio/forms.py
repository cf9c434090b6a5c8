from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.concurrency import VersionedFormMixin
from liaison.core.widgets import PickerSelect, PickerSelectMultiple

from .models import Component, FundingLine, Participation, Project


class DateInput(forms.DateInput):
    input_type = "date"


class PeriodAndCurrencyMixin:
    """The checks every form with a project's period and money shares."""

    def clean_currency(self):
        currency = (self.cleaned_data["currency"] or "").strip().upper() or "EUR"
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError(_("Use a three-letter ISO 4217 code such as EUR."))
        return currency

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot come before the start."))
        return data


class ProjectForm(PeriodAndCurrencyMixin, VersionedFormMixin, forms.ModelForm):
    """What a project manager keeps up to date; managers stay with the secretariat.

    Partners and components have pages of their own (``PartnerFormSet``, ``ComponentFormSet``).
    """

    version_related = ("funding_lines",)

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        help_text=_("Kept in the audit trail."),
    )

    class Meta:
        model = Project
        fields = [
            "title",
            "acronym",
            "reference",
            "facility",
            "summary",
            "objective",
            "start",
            "end",
            "status_override",
            "visibility",
            "total_budget",
            "currency",
            "countries",
            "themes",
            "typologies",
        ]
        widgets = {
            "start": DateInput(format="%Y-%m-%d"),
            "end": DateInput(format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 5}),
            "objective": forms.Textarea(attrs={"rows": 3}),
            "countries": PickerSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "typologies": forms.CheckboxSelectMultiple,
        }


FundingLineFormSet = forms.inlineformset_factory(
    Project,
    FundingLine,
    fields=["instrument", "eu_contribution", "co_financing"],
    extra=1,
    can_delete=True,
)


class ChangeReasonForm(forms.Form):
    """The reason kept in the audit trail beside a change made on a page of its own."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        help_text=_("Kept in the audit trail."),
    )


PartnerFormSet = forms.inlineformset_factory(
    Project,
    Participation,
    fields=["organisation", "role"],
    widgets={"organisation": PickerSelect},
    extra=2,
    can_delete=True,
)

ComponentFormSet = forms.inlineformset_factory(
    Project,
    Component,
    fields=["order", "title", "description", "expected_results"],
    widgets={
        "order": forms.NumberInput(attrs={"min": 1, "max": 99}),
        "description": forms.Textarea(attrs={"rows": 3}),
        "expected_results": forms.Textarea(attrs={"rows": 3}),
    },
    extra=1,
    can_delete=True,
)
