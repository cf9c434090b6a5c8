"""Forms for events, their agenda, registration and outcomes.

Dates and times are typed as the clock shows them at the venue: the forms read them without a
zone and place them in the event's time zone, so a workshop in Tbilisi starts at 09:30 Tbilisi
time whatever the organiser's own zone.
"""

import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.concurrency import VersionedFormMixin
from liaison.core.models import Role
from liaison.core.widgets import PickerSelectMultiple
from liaison.directory.models import Country, Organisation, OrganisationType
from liaison.directory.scopes import network_secretariats
from liaison.portfolio.models import Project

from . import services
from .models import (
    Decision,
    Event,
    FollowUpAction,
    KnowledgeItem,
    Mode,
    Question,
    QuestionKind,
    RegistrationForm,
    Session,
    Sex,
    Speaker,
    Talk,
    country_time_zones,
    time_zone_names,
)
from .models.registrations import DEFAULT_CONSENT

WALL_CLOCK = "%Y-%m-%dT%H:%M"


def https_links(field, **kwargs):
    """Model form fields as usual, with links typed without a scheme read as https."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class DateInput(forms.DateInput):
    """A browser date picker; it takes the ISO date whatever the language of the page."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 (Django's name)
        super().__init__(attrs, format=format)


class WallClockInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=WALL_CLOCK)


class WallClockField(forms.DateTimeField):
    """A date and time as typed, without a time zone; ``in_zone`` places it at the venue."""

    widget = WallClockInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [WALL_CLOCK, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value

    def to_python(self, value):
        # Parse under UTC so Django's conversion leaves the clock time as typed.
        with timezone.override(datetime.UTC):
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result else result


def in_zone(value, zone):
    return value.replace(tzinfo=zone) if value and value.tzinfo is None else value


def wall_clock(value, zone):
    """An aware datetime as the clock at the venue shows it, for a form's initial value."""
    return value.astimezone(zone).replace(tzinfo=None) if value else value


def time_zone_choices():
    return [("", _("The venue's time zone"))] + [(n, n) for n in sorted(time_zone_names())]


class ReasonMixin(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        help_text=_("Kept in the audit trail."),
    )


class EventForm(ReasonMixin, VersionedFormMixin, forms.ModelForm):
    """An event's facts; the organiser types times as the venue's clock shows them."""

    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        required=False,
        help_text=_("Left empty, it is the venue country's time zone where it has only one."),
    )
    start = WallClockField(label=_("Start (venue time)"))
    end = WallClockField(label=_("End (venue time)"))

    class Meta:
        model = Event
        formfield_callback = https_links
        fields = [
            "title",
            "type",
            "description",
            "projects",
            "network",
            "parent",
            "mode",
            "venue",
            "city",
            "country",
            "timezone",
            "start",
            "end",
            "online_url",
            "published",
            "organisers",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "projects": PickerSelectMultiple,
            "organisers": PickerSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        event = self.instance
        visible = Project.objects.visible_to(user).order_by("acronym", "title")
        allowed = services.linkable_projects(user, visible)
        if event.pk:
            # Keep the projects already linked, even those the editor does not manage.
            allowed = visible.filter(pk__in=allowed.values("pk")) | event.projects.all()
            self.initial["start"] = wall_clock(event.start, event.zone)
            self.initial["end"] = wall_clock(event.end, event.zone)
        self.fields["projects"].queryset = allowed.distinct()
        parents = Event.objects.managed_by(user).order_by("-start")
        self.fields["parent"].queryset = parents.exclude(pk=event.pk) if event.pk else parents
        self.fields["organisers"].queryset = get_user_model().objects.filter(
            is_active=True, role__in=[Role.SECRETARIAT, Role.PROJECT_MANAGER]
        )
        if not (user.is_secretariat or user.role == Role.PROJECT_MANAGER):
            # A network's secretariat makes events of its networks only (services.save_event).
            self.fields["network"].queryset = network_secretariats(user)
            self.fields["network"].required = True
        # People by name, not by their sign-in name.
        self.fields["organisers"].label_from_instance = lambda u: u.get_full_name() or u.username
        if not event.pk:
            # A new event has nothing to change yet, so no reason to give; and no time zone is
            # assumed, since a wrong one shifts every time of the agenda.
            del self.fields["reason"]
            self.initial.setdefault("timezone", "")

    def clean(self):
        data = super().clean()
        country = data.get("country")
        zones = country_time_zones().get(country.code, ()) if country else ()
        if not data.get("timezone") and len(zones) == 1:
            data["timezone"] = zones[0]
        # Read before a refusal below drops it, so that the times typed are still read in it
        # and only the time zone is marked wrong.
        zone_name = data.get("timezone")
        if not zone_name:
            self.add_error("timezone", _("Choose the time zone of the venue."))
        elif zones and data.get("mode") != Mode.ONLINE and zone_name not in zones:
            self.add_error(
                "timezone",
                _("%(zone)s is not a time zone of %(country)s; choose %(zones)s.")
                % {"zone": zone_name, "country": country, "zones": ", ".join(zones)},
            )
        if zone_name:
            zone = ZoneInfo(zone_name)
            data["start"] = in_zone(data.get("start"), zone)
            data["end"] = in_zone(data.get("end"), zone)
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end cannot come before the start."))
        return data

    def _post_clean(self):
        # Naive times (no time zone chosen) must not reach the model.
        for name in ("start", "end"):
            value = self.cleaned_data.get(name)
            if value is not None and value.tzinfo is None:
                self.cleaned_data.pop(name)
        super()._post_clean()

    def event_fields(self) -> dict:
        names = [n for n in self.Meta.fields if n not in ("projects", "organisers")]
        return {name: self.cleaned_data[name] for name in names}


class EventPartForm(VersionedFormMixin, forms.ModelForm):
    """A form for one part of an event: the event is fixed, choices are the event's own."""

    def __init__(self, *args, event, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)

    def relations(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name, field in self.fields.items()
            if isinstance(field, forms.ModelMultipleChoiceField)
        }


class SessionForm(EventPartForm):
    start = WallClockField(label=_("Start (venue time)"))
    end = WallClockField(label=_("End (venue time)"))

    class Meta:
        model = Session
        formfield_callback = https_links
        fields = [
            "title",
            "kind",
            "description",
            "start",
            "end",
            "room",
            "online_url",
            "chair",
            "moderator",
            "panellists",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "panellists": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        speakers = self.event.speakers.all()
        for name in ("chair", "moderator", "panellists"):
            self.fields[name].queryset = speakers
        self.instance.event = self.event
        if self.instance.pk:
            self.initial["start"] = wall_clock(self.instance.start, self.event.zone)
            self.initial["end"] = wall_clock(self.instance.end, self.event.zone)
        else:
            self.initial.setdefault("start", wall_clock(self.event.start, self.event.zone))
            self.initial.setdefault("end", wall_clock(self.event.start, self.event.zone))

    def clean(self):
        data = super().clean()
        data["start"] = in_zone(data.get("start"), self.event.zone)
        data["end"] = in_zone(data.get("end"), self.event.zone)
        if data["start"] and data["end"] and data["end"] < data["start"]:
            self.add_error("end", _("The end cannot come before the start."))
        return data


class TalkForm(EventPartForm):
    class Meta:
        model = Talk
        fields = ["session", "title", "abstract", "order", "speakers"]
        widgets = {
            "abstract": forms.Textarea(attrs={"rows": 3}),
            "speakers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = self.event.sessions.all()
        self.fields["speakers"].queryset = self.event.speakers.all()


class SpeakerForm(EventPartForm):
    class Meta:
        model = Speaker
        fields = ["name", "position", "organisation", "affiliation", "country", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = self.event


class DecisionForm(EventPartForm):
    class Meta:
        model = Decision
        fields = ["text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = self.event


class ActionForm(EventPartForm):
    class Meta:
        model = FollowUpAction
        fields = ["title", "decision", "owner", "owner_organisation", "due", "status"]
        widgets = {"due": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = self.event
        self.fields["decision"].queryset = self.event.decisions.all()


class OutcomeTextForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["synopsis", "minutes"]
        widgets = {
            "synopsis": forms.Textarea(attrs={"rows": 5}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }


class RegistrationSetupForm(forms.ModelForm):
    opens_at = WallClockField(label=_("Opens at (venue time)"), required=False)
    closes_at = WallClockField(label=_("Deadline (venue time)"), required=False)

    class Meta:
        model = RegistrationForm
        fields = services.FORM_FIELDS
        widgets = {
            "consent_text": forms.Textarea(attrs={"rows": 3}),
            "follow_up_intro": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, event, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)
        self.fields["consent_text"].required = False
        if not self.initial.get("consent_text"):
            # Show the standard text the participants will agree to; the organiser may adapt it.
            self.initial["consent_text"] = DEFAULT_CONSENT
        if self.instance.pk:
            self.initial["opens_at"] = wall_clock(self.instance.opens_at, event.zone)
            self.initial["closes_at"] = wall_clock(self.instance.closes_at, event.zone)

    def clean(self):
        data = super().clean()
        if not (data.get("consent_text") or "").strip():
            data["consent_text"] = str(DEFAULT_CONSENT)
        data["opens_at"] = in_zone(data.get("opens_at"), self.event.zone)
        data["closes_at"] = in_zone(data.get("closes_at"), self.event.zone)
        if data["opens_at"] and data["closes_at"] and data["closes_at"] < data["opens_at"]:
            self.add_error("closes_at", _("The deadline cannot come before the opening."))
        return data


QuestionFormSet = forms.inlineformset_factory(
    RegistrationForm,
    Question,
    fields=["stage", "label", "kind", "choices", "required", "order"],
    widgets={"choices": forms.Textarea(attrs={"rows": 2})},
    extra=2,
    can_delete=True,
)


def question_field(question: Question) -> forms.Field:
    label, required = question.label, question.required
    if question.kind == QuestionKind.CHOICE:
        choices = [("", "—"), *((c, c) for c in question.choice_list)]
        return forms.ChoiceField(label=label, required=required, choices=choices)
    if question.kind == QuestionKind.YES_NO:
        return forms.BooleanField(label=label, required=required)
    if question.kind == QuestionKind.NUMBER:
        return forms.DecimalField(label=label, required=required, max_digits=12)
    return forms.CharField(
        label=label, required=required, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class QuestionsMixin:
    """Adds a field per organiser's question and returns the answers keyed ``q<id>``."""

    def add_questions(self, questions):
        self.questions = list(questions)
        for question in self.questions:
            self.fields[question.key] = question_field(question)

    def answers(self) -> dict:
        values = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.key)
            values[question.key] = str(value) if question.kind == QuestionKind.NUMBER else value
        return {k: v for k, v in values.items() if v not in (None, "None")}


class RegisterForm(QuestionsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.reviewed().select_related("country"),
        required=False,
        help_text=_("Leave empty and type its name below if it is not listed."),
    )
    organisation_name = forms.CharField(
        label=_("Organisation, if not listed"), max_length=300, required=False
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False
    )
    institution_type = forms.ChoiceField(
        label=_("Type of institution"),
        choices=[("", "—"), *OrganisationType.choices],
        required=False,
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.NOT_STATED)

    def __init__(self, *args, questions=(), consent_text="", own_email="", **kwargs):
        super().__init__(*args, **kwargs)
        if own_email:
            # One registers oneself under one's own address; another person is nominated.
            self.fields["email"].disabled = True
            self.fields["email"].initial = own_email
            self.fields["email"].help_text = _(
                "Your account's address. To register someone else, ask the organisers or the "
                "focal point of their institution to nominate them."
            )
        self.add_questions(questions)
        self.fields["consent"] = forms.BooleanField(
            label=consent_text,
            required=True,
            error_messages={
                "required": _("Registration needs your consent to the use of your personal data.")
            },
        )
        self.fields["publish_consent"] = forms.BooleanField(
            label=_("My name and organisation may appear in the published list of participants."),
            required=False,
        )

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation")
        if not organisation and not data.get("organisation_name"):
            self.add_error("organisation_name", _("Choose your organisation or type its name."))
        if not organisation and not data.get("country"):
            self.add_error("country", _("Give the country of your organisation."))
        if not organisation and not data.get("institution_type"):
            self.add_error("institution_type", _("Give the type of your institution."))
        return data

    def person(self) -> dict:
        names = [
            "name",
            "email",
            "position",
            "organisation",
            "organisation_name",
            "country",
            "institution_type",
            "sex",
            "publish_consent",
        ]
        return {name: self.cleaned_data.get(name) for name in names}


class NominationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Nominating institution"), queryset=Organisation.objects.none()
    )
    consent = forms.BooleanField(
        label=_("The officers nominated agreed to the use of their personal data for this event."),
        error_messages={
            "required": _("Confirm that the nominees agreed to the use of their personal data.")
        },
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class NomineeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"))
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    # No initial value, so the empty rows of the formset count as unchanged and are skipped.
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)


NomineeFormSet = forms.formset_factory(
    NomineeForm, extra=3, min_num=1, validate_min=True, max_num=50, validate_max=True
)


class AnswersForm(QuestionsMixin, forms.Form):
    """The organiser's questions alone, as ``RegisterForm`` asks them: the follow-up form, and
    the registration questions a registrant answers again from their registration page."""

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.add_questions(questions)


class KnowledgeItemForm(forms.ModelForm):
    class Meta:
        model = KnowledgeItem
        fields = ["kind", "title", "body", "themes", "event", "project", "published"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "themes": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.visible_to(user).order_by("-start")
        self.fields["project"].queryset = Project.objects.visible_to(user).order_by(
            "acronym", "title"
        )
