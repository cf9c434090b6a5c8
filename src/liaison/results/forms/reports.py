"""Forms of reporting periods, progress reports and risks."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.concurrency import VersionedFormMixin
from liaison.events.forms import DateInput, ReasonMixin

from ..models import ProgressReport, ReportingPeriod, Risk, RiskStatus
from ..services.periods import PERIOD_FIELDS
from ..services.reports import TEXT_FIELDS
from ..services.risks import RISK_FIELDS

SCALE_CHOICES = [("", "–")] + [(str(n), str(n)) for n in range(1, 6)]


class PeriodForm(ReasonMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = PERIOD_FIELDS
        widgets = {"starts_on": DateInput, "ends_on": DateInput, "deadline": DateInput}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project

    def validate_unique(self):
        # The service checks overlaps and saves; nothing else is unique here.
        pass


class ReportForm(ReasonMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ProgressReport
        fields = TEXT_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 8}) for name in TEXT_FIELDS}
        help_texts = {
            "activities": _("The events and courses of the period are listed below the form."),
            "risks": _("The open risks of the register are listed below the form."),
        }


class CommentForm(forms.Form):
    """A note that comes with a step of the review; ``required`` where the rules ask for one."""

    comment = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, required=False, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = required
        if label:
            self.fields["comment"].label = label


class RiskForm(ReasonMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Risk
        fields = RISK_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
            "likelihood": forms.Select(choices=SCALE_CHOICES[1:]),
            "impact": forms.Select(choices=SCALE_CHOICES[1:]),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project


class RiskFilterForm(forms.Form):
    """The register's filters; a heat map cell sets likelihood and impact."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *RiskStatus.choices], required=False
    )
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood"), choices=SCALE_CHOICES, coerce=int, required=False, empty_value=None
    )
    impact = forms.TypedChoiceField(
        label=_("Impact"), choices=SCALE_CHOICES, coerce=int, required=False, empty_value=None
    )
