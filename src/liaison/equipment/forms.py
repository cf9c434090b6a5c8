"""Forms of the equipment pages: the request, and one small form per step of the path."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from liaison.core.concurrency import VersionedFormMixin
from liaison.directory.models import Country, Organisation
from liaison.events.forms import DateInput, ReasonMixin
from liaison.portfolio.models import Participation, Project

from . import documents
from .models import Category, HandOver, Item, UseCheck
from .permissions import requestable_projects
from .services import REQUEST_FIELDS, currency_code


class ProjectChoiceField(forms.ModelChoiceField):
    """Projects by acronym and their title cut short: full titles run to three lines, and
    acronyms alone repeat across a large portfolio."""

    def label_from_instance(self, obj):
        title = Truncator(obj.title).chars(70)
        return f"{obj.acronym} — {title}" if obj.acronym else title


class ItemForm(ReasonMixin, VersionedFormMixin, forms.ModelForm):
    """What is asked for. The institution must take part in the funding project."""

    class Meta:
        model = Item
        fields = REQUEST_FIELDS
        field_classes = {"project": ProjectChoiceField}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        projects = requestable_projects(user)
        if self.instance.pk:
            del self.fields["project"]
            projects = Project.objects.filter(pk=self.instance.project_id)
        else:
            del self.fields["reason"]
            self.fields["project"].queryset = projects.order_by("acronym", "title")
        self.fields["institution"].queryset = Organisation.objects.filter(
            pk__in=Participation.objects.filter(project__in=projects).values("organisation")
        ).select_related("country")
        self.fields["institution"].help_text = _("An institution taking part in the project.")
        self.fields["estimated_cost"].widget.attrs["step"] = "0.01"

    def clean_currency(self):
        try:
            return currency_code(self.cleaned_data["currency"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["currency"]) from error


class ApproveForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional; shown with the decision."),
    )


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("Why is it rejected?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InUseForm(forms.Form):
    """Nothing to fill in: the button says the institution uses the item."""


def _today():
    return timezone.localdate()


class ProcureForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["procured_on", "supplier", "actual_cost"]
        widgets = {"procured_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.fields:
            self.fields[name].required = True
        self.fields["procured_on"].initial = _today


class HandOverForm(forms.ModelForm):
    class Meta:
        model = HandOver
        fields = ["handed_over_on", "receiving_officer", "receiving_position", "document", "notes"]
        widgets = {
            "handed_over_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handed_over_on"].initial = _today
        document = self.fields["document"]
        document.widget.attrs["accept"] = documents.ACCEPT
        document.help_text = _(
            "The record signed by both sides: PDF, JPEG or PNG, up to %(limit)s."
        ) % {"limit": f"{documents.max_bytes() // documents.MB} MB"}

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        documents.kind_of(upload)
        return upload


class UseCheckForm(forms.ModelForm):
    class Meta:
        model = UseCheck
        fields = ["checked_on", "finding", "notes"]
        widgets = {"checked_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checked_on"].initial = _today


class TotalsFilter(forms.Form):
    """The filters of the totals page."""

    project = ProjectChoiceField(
        label=_("Funding project"), queryset=Project.objects.none(), required=False
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.none(), required=False, to_field_name="code"
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Any category")), *Category.choices], required=False
    )
    year = forms.IntegerField(
        label=_("Year requested"), min_value=1990, max_value=2100, required=False
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(
            pk__in=items.values("project")
        ).order_by("acronym", "title")
        self.fields["country"].queryset = Country.objects.filter(
            pk__in=items.values("institution__country")
        ).order_by("name")

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {name: data.get(name) or None for name in ("project", "country", "category", "year")}
