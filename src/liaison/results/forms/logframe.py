"""Forms of the logframe pages: results, indicators, targets by period and the grid of values."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.concurrency import VersionedFormMixin
from liaison.events.forms import DateInput, ReasonMixin
from liaison.events.models import Event
from liaison.portfolio.models import Component
from liaison.training.models import Course

from ..models import Dimension, Indicator, Result
from ..services import logframe as logframe_services
from ..services.values import Grid

LOCKED_HELP = _("Locked: values exist.")


class ResultForm(ReasonMixin, VersionedFormMixin, forms.ModelForm):
    """A box of the logframe and the project's activities that deliver it."""

    class Meta:
        model = Result
        fields = [
            "level",
            "parent",
            "code",
            "title",
            "description",
            "assumptions",
            "events",
            "courses",
            "components",
            "order",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "assumptions": forms.Textarea(attrs={"rows": 3}),
            "events": forms.CheckboxSelectMultiple,
            "courses": forms.CheckboxSelectMultiple,
            "components": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        parents = Result.objects.filter(project=project).order_by("code")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["events"].queryset = Event.objects.filter(projects=project).order_by("start")
        self.fields["courses"].queryset = Course.objects.filter(project=project).order_by(
            "starts_on"
        )
        self.fields["components"].queryset = Component.objects.filter(project=project)

    def result_fields(self) -> dict:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ["level", "parent", "code", "title", "description", "assumptions", "order"]
        }

    def links(self) -> dict:
        return {name: list(self.cleaned_data[name]) for name in ["events", "courses", "components"]}


class IndicatorForm(ReasonMixin, VersionedFormMixin, forms.ModelForm):
    """How a result is measured. The shape of an indicator with values is shown but locked."""

    disaggregations = forms.MultipleChoiceField(
        label=_("Broken down by"),
        choices=Dimension.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Locked once values exist."),
    )

    class Meta:
        model = Indicator
        fields = logframe_services.INDICATOR_FIELDS
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "definition": forms.Textarea(attrs={"rows": 3}),
            "means_of_verification": forms.Textarea(attrs={"rows": 2}),
            "baseline_date": DateInput,
        }

    def __init__(self, *args, project, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].queryset = Result.objects.filter(project=project).order_by("code")
        if locked:
            for name in ["unit", "accumulation", "source", "disaggregations"]:
                self.fields[name].disabled = True
                self.fields[name].help_text = LOCKED_HELP

    def indicator_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class TargetsForm(ReasonMixin, VersionedFormMixin, forms.Form):
    """One target per reporting period; a target already set changes only with a reason.

    Its version is the indicator's with its targets (``record=indicator``)."""

    version_related = ("targets",)

    def __init__(self, *args, periods, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.periods = periods
        for period in periods:
            self.fields[f"p{period.pk}"] = forms.DecimalField(
                label=str(period),
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=targets.get(period.pk),
                disabled=period.is_locked,
                help_text=_("Approved: locked.") if period.is_locked else "",
            )
        self.order_fields([*(n for n in self.fields if n != "reason"), "reason"])

    def targets(self) -> dict:
        return {
            period: self.cleaned_data[f"p{period.pk}"]
            for period in self.periods
            if not period.is_locked
        }


def plain(number):
    """A stored figure as a person typed it: 6 rather than 6.00."""
    return None if number is None else f"{number.normalize():f}"


def cell_name(cell, part="v") -> str:
    """A form field name for one cell, such as ``c-female-12--v``."""
    sex, country, kind = cell
    return f"c-{sex}-{country or ''}-{kind}-{part}"


class ValuesForm(ReasonMixin, forms.Form):
    """The grid of cells of one period; blank means no value. Totals are not fields."""

    def __init__(self, *args, grid: Grid, stored: dict, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        percentage = grid.indicator.is_percentage
        for cell in grid.cells():
            value, denominator = stored.get(cell, (None, None))
            label = grid.label(cell)
            self.fields[cell_name(cell)] = forms.DecimalField(
                label=label + (f" — {_('numerator')}" if percentage else ""),
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=plain(value),
                disabled=disabled,
            )
            if percentage:
                self.fields[cell_name(cell, "d")] = forms.DecimalField(
                    label=f"{label} — {_('denominator')}",
                    required=False,
                    min_value=0,
                    max_digits=14,
                    decimal_places=2,
                    initial=plain(denominator),
                    disabled=disabled,
                )
        self.order_fields([*(n for n in self.fields if n != "reason"), "reason"])

    def clean(self):
        data = super().clean()
        if self.grid.indicator.is_percentage:
            for cell in self.grid.cells():
                value, denominator = data.get(cell_name(cell)), data.get(cell_name(cell, "d"))
                if (value is None) != (denominator is None):
                    self.add_error(
                        cell_name(cell, "d" if denominator is None else "v"),
                        _("Give both the numerator and the denominator, or neither."),
                    )
        return data

    def cells(self) -> dict:
        cells = {}
        for cell in self.grid.cells():
            value = self.cleaned_data.get(cell_name(cell))
            if value is None:
                continue
            cells[cell] = (value, self.cleaned_data.get(cell_name(cell, "d")))
        return cells
