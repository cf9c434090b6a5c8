"""Forms of the application pages. They collect values; the services check the call's rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.core.concurrency import VersionedFormMixin
from liaison.core.widgets import PickerSelect, PickerSelectMultiple
from liaison.directory.models import Country, Organisation
from liaison.portfolio.models import Theme, Typology

from .models import Application, BudgetLine, CostCategory, Lot, Partner


class StartForm(forms.Form):
    lot = forms.ModelChoiceField(queryset=Lot.objects.none(), label=_("Lot"), empty_label=None)
    lead = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Lead organisation"),
        help_text=_("The organisation you apply for; it leads the consortium."),
    )
    title = forms.CharField(label=_("Working title"), max_length=300)

    def __init__(self, *args, call, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = call.lots.all()
        self.fields["lead"].queryset = organisations.select_related("country")
        self.fields["lead"].widget = PickerSelect(choices=self.fields["lead"].choices)


class DetailsForm(VersionedFormMixin, forms.ModelForm):
    """The proposal's own fields: the standard sections every call has."""

    class Meta:
        model = Application
        fields = [
            "lot",
            "title",
            "acronym",
            "summary",
            "objective",
            "expected_results",
            "duration_months",
            "target_countries",
            "themes",
            "typologies",
            "risks",
            "indirect_rate",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "objective": forms.Textarea(attrs={"rows": 3}),
            "expected_results": forms.Textarea(attrs={"rows": 5}),
            "risks": forms.Textarea(attrs={"rows": 4}),
            "target_countries": PickerSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "typologies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        call = self.instance.call
        self.fields["lot"].queryset = call.lots.all()
        self.fields["lot"].empty_label = None
        self.fields["target_countries"].queryset = Country.objects.order_by("name")
        self.fields["themes"].queryset = Theme.objects.all()
        self.fields["typologies"].queryset = Typology.objects.all()
        self.fields["indirect_rate"].help_text = _(
            "A flat rate of the direct costs, at most %(rate)s %% in this call."
        ) % {"rate": call.indirect_rate}
        for name in ("summary", "objective", "expected_results", "risks"):
            self.fields[name].required = False


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Organisation"), widget=PickerSelect
    )
    contact_name = forms.CharField(label=_("Contact person's name"), max_length=200)
    contact_email = forms.EmailField(
        label=_("Contact person's e-mail"),
        help_text=_("They are invited to write this partner's budget."),
    )
    currency = forms.CharField(
        label=_("Currency of its budget"),
        max_length=3,
        initial="EUR",
        help_text=_("Three letters (ISO 4217), for example EUR, RSD, TRY, GEL."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class PartnerMoneyForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["currency", "co_financing"]


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["year", "category", "description", "amount"]
        widgets = {"year": forms.NumberInput(attrs={"min": 1, "max": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A blank first choice: the browser sends every row, and an untouched empty row must
        # come back unchanged to be skipped, not as a "Staff" line without an amount.
        self.fields["category"].choices = [("", _("Choose…")), *CostCategory.choices]


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm, extra=3, can_delete=True, max_num=200, validate_max=True
)


class ActivityForm(forms.Form):
    """One activity of the work plan; ``partners`` are the consortium's, so a partner of
    another application is not a valid choice (the service checks it again)."""

    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=999)
    title = forms.CharField(label=_("Activity"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    partner = forms.ModelChoiceField(
        queryset=Partner.objects.none(), label=_("Led by"), empty_label=_("Choose…")
    )
    start_month = forms.IntegerField(label=_("From month"), min_value=1, max_value=120)
    end_month = forms.IntegerField(label=_("To month"), min_value=1, max_value=120)

    def __init__(self, *args, partners, months=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["partner"].label_from_instance = lambda p: p.organisation.name
        if months:
            for name in ("start_month", "end_month"):
                self.fields[name].widget.attrs["max"] = months


ActivityFormSet = forms.formset_factory(
    ActivityForm, extra=3, can_delete=True, max_num=100, validate_max=True
)
