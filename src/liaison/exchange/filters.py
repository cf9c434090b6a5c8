"""What a statistics reader asks for (year, quarter, network or unit), shared by the page and
the API: the choices are the reader's scopes (``stats.scopes``), so a unit or network outside
them fails validation and nothing is computed for it."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import stats
from .models import ExchangeNetwork, Unit


class StatisticsForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[("", _("Whole year"))] + [(q, f"Q{q}") for q in stats.QUARTERS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    network = forms.ModelChoiceField(
        label=_("Network"),
        queryset=ExchangeNetwork.objects.none(),
        required=False,
        empty_label=_("First of mine"),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("Every unit of the network"),
    )

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.networks, self.units = stats.scopes(user)
        self.fields["network"].queryset = self.networks
        self.fields["unit"].queryset = self.units

    def clean(self):
        data = super().clean()
        unit, network = data.get("unit"), data.get("network")
        if unit and network and unit.exchange_id != network.pk:
            self.add_error("unit", _("This unit is not in the network chosen."))
        return data

    def scope(self) -> dict:
        """The arguments of ``stats.compute`` for what was asked: a unit when one is chosen
        (a supervisor's own by default), else the network chosen or the first one seen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        year = data.get("year") or timezone.localdate().year
        scope = {"year": year, "quarter": data.get("quarter")}
        if data.get("unit"):
            return {**scope, "unit": data["unit"]}
        network = data.get("network") or self.networks.first()
        if network is not None:
            return {**scope, "exchange": network}
        unit = self.units.first()
        return {**scope, "unit": unit} if unit else {}
