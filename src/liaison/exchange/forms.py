"""The exchange's forms: a new request with its entities, and the small forms of the actions
on a request's page. They only check input; every rule is asked of ``services`` and
``permissions``, which the views call."""

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from liaison.core import uploads

from . import permissions
from .models import (
    CrimeArea,
    EntityKind,
    HandlingCode,
    InformationEvaluation,
    RefusalGround,
    RequestKind,
    SourceEvaluation,
    Unit,
    UnitRole,
    Urgency,
)

# Languages a request may be written in: the site's and those of the region's units.
LANGUAGES = [
    *settings.LANGUAGES,
    ("ro", _("Romanian")),
    ("ka", _("Georgian")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
]
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
# The other entities a request names, and the detail each one's value is stored as.
OTHER_KINDS = {
    EntityKind.VEHICLE: "plate",
    EntityKind.PHONE: "number",
    EntityKind.ORGANISATION: "name",
    EntityKind.PLACE: "name",
}
PEOPLE_ROWS = 2
OTHER_ROWS = 3


def attachment_field():
    """An optional file with a message; its kind and size are checked by ``services.attach``."""
    return forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": uploads.ACCEPT}),
        help_text=_("PDF, Word, Excel, OpenDocument text or plain text."),
    )


class CodesForm(forms.Form):
    """The handling code and the evaluation every message carries."""

    handling_code = forms.ChoiceField(
        label=_("Handling code"), choices=HandlingCode.choices, initial=HandlingCode.H0
    )
    handling_restriction = forms.CharField(
        label=_("Restrictions (H3 only)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    source_evaluation = forms.ChoiceField(
        label=_("Source evaluation"), choices=SourceEvaluation.choices, initial="X"
    )
    information_evaluation = forms.ChoiceField(
        label=_("Information evaluation"), choices=InformationEvaluation.choices, initial="4"
    )

    def clean(self):
        data = super().clean()
        code, words = data.get("handling_code"), (data.get("handling_restriction") or "").strip()
        if code == HandlingCode.H3 and not words:
            self.add_error("handling_restriction", _("H3: state the restrictions in words."))
        return data

    def codes(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in CodesForm.base_fields}


class RequestForm(CodesForm):
    sender = forms.ModelChoiceField(label=_("Sending unit"), queryset=Unit.objects.none())
    recipients = forms.ModelMultipleChoiceField(
        label=_("Send to"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each unit receives its own case, with its own deadline."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=RequestKind.choices)
    crime_area = forms.ChoiceField(label=_("Crime area"), choices=CrimeArea.choices)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES, initial="en")
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    narrative = forms.CharField(
        label=_("Narrative"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, what you ask and why it is needed and proportionate."),
    )
    attachment = attachment_field()

    field_order = ["sender", "recipients", "subject", "kind", "crime_area", "language"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        mine = permissions.units_of(user).select_related("organisation")
        self.fields["sender"].queryset = mine
        if mine.count() == 1:
            self.fields["sender"].initial = mine.first()
        self.fields["recipients"].queryset = Unit.objects.filter(
            exchange__in=mine.values("exchange"), active=True
        ).select_related("organisation")

    def clean(self):
        data = super().clean()
        sender, recipients = data.get("sender"), data.get("recipients") or []
        if sender and any(unit.pk == sender.pk for unit in recipients):
            self.add_error("recipients", _("A unit does not send a request to itself."))
        return data

    def values(self) -> dict:
        names = ["subject", "kind", "crime_area", "language", "urgency", "narrative"]
        return {**{name: self.cleaned_data[name] for name in names}, **self.codes()}


class PersonForm(forms.Form):
    names = forms.CharField(label=_("Names"), max_length=200, required=False)
    born = forms.DateField(
        label=_("Date of birth"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    nationalities = forms.CharField(
        label=_("Nationalities"),
        max_length=60,
        required=False,
        help_text=_("Country codes separated by spaces, e.g. MD RO."),
    )
    documents = forms.CharField(
        label=_("Identity documents"),
        max_length=200,
        required=False,
        help_text=_("Passport or identity card numbers, separated by spaces."),
    )

    def clean_nationalities(self):
        codes = (self.cleaned_data["nationalities"] or "").replace(",", " ").upper().split()
        wrong = [code for code in codes if not COUNTRY_CODE.match(code)]
        if wrong:
            raise forms.ValidationError(
                _("Not a two-letter country code: %(codes)s."), params={"codes": ", ".join(wrong)}
            )
        return codes

    def clean(self):
        data = super().clean()
        others = data.get("born") or data.get("nationalities") or data.get("documents")
        if others and not (data.get("names") or "").strip():
            self.add_error("names", _("Give the person's names."))
        return data

    def entity(self) -> dict | None:
        data = self.cleaned_data
        if not (data.get("names") or "").strip():
            return None
        born = data.get("born")
        return {
            "kind": EntityKind.PERSON,
            "names": data["names"].strip(),
            "born": born.isoformat() if born else "",
            "nationalities": data.get("nationalities") or [],
            "documents": (data.get("documents") or "").strip(),
        }


class OtherEntityForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", "—"), *[(k.value, k.label) for k in OTHER_KINDS]],
    )
    value = forms.CharField(label=_("Plate, number or name"), max_length=200, required=False)
    note = forms.CharField(label=_("Details"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("value") and not data.get("kind"):
            self.add_error("kind", _("Choose what this is."))
        if data.get("kind") and not (data.get("value") or "").strip():
            self.add_error("value", _("Give the plate, number or name."))
        return data

    def entity(self) -> dict | None:
        kind = self.cleaned_data.get("kind")
        if not kind:
            return None
        return {
            "kind": kind,
            OTHER_KINDS[EntityKind(kind)]: self.cleaned_data["value"].strip(),
            "note": self.cleaned_data.get("note", "").strip(),
        }


def entity_forms(data=None):
    people = [PersonForm(data, prefix=f"person-{i}") for i in range(PEOPLE_ROWS)]
    others = [OtherEntityForm(data, prefix=f"other-{i}") for i in range(OTHER_ROWS)]
    return people, others


# Actions on a request's page ---------------------------------------------------------------


class AssignForm(forms.Form):
    officers = forms.ModelMultipleChoiceField(
        label=_("Officers"), queryset=UnitRole.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        holders = UnitRole.objects.filter(unit=case.unit, ended__isnull=True).values("user")
        self.fields["officers"].queryset = get_user_model().objects.filter(pk__in=holders)
        self.fields["officers"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["officers"].initial = list(case.assigned.all())


class ReplyForm(CodesForm):
    body = forms.CharField(
        label=_("Reply"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachment = attachment_field()

    field_order = ["body", "handling_code", "handling_restriction"]


class FollowUpForm(CodesForm):
    body = forms.CharField(
        label=_("Message"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachment = attachment_field()

    field_order = ["body"]


class RefuseForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"), choices=RefusalGround.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class GrantForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("May be passed on to"), queryset=Unit.objects.none())
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)

    def __init__(self, *args, message=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.filter(exchange=message.from_unit.exchange_id, active=True)
            .exclude(pk=message.from_unit_id)
            .select_related("organisation")
        )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Names, document numbers, plates, telephone numbers"),
        max_length=200,
        required=False,
    )
    crime_area = forms.ChoiceField(
        label=_("Crime area"), choices=[("", _("Any")), *CrimeArea.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # ``from`` and ``to`` are the query's names; Python keeps ``from`` for itself.
        for name, label in (("from", _("Sent from")), ("to", _("Sent until"))):
            self.fields[name] = forms.DateField(
                label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
            )

    def asked(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)
