"""Forms for courses, their sessions, the trainer pool and nominations.

Choices are narrowed to what the centre may use: modules it may run, trainers of its active
pool, its own plans. The services check the same rules again.
"""

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.concurrency import VersionedFormMixin
from liaison.directory.models import Organisation, Person
from liaison.events.forms import DateInput, WallClockInput, https_links
from liaison.events.models import Sex
from liaison.portfolio.models import Project

from ..models import Course, CourseSession, CourseStatus, CourseType, Module, Trainer


class CourseForm(VersionedFormMixin, forms.ModelForm):
    """A course's facts, modules, trainers and completion rule; the status changes apart."""

    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        help_text=_("Kept in the audit trail."),
    )

    class Meta:
        model = Course
        formfield_callback = https_links
        fields = [
            "code",
            "title",
            "type",
            "description",
            "language",
            "modules",
            "starts_on",
            "ends_on",
            "venue",
            "online_url",
            "capacity",
            "nominations_close",
            "trainers",
            "project",
            "plan",
            "min_attendance",
            "requires_quiz",
            "requires_practical",
            "requires_evaluation",
            "certificate_valid_years",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "modules": forms.CheckboxSelectMultiple,
            "trainers": forms.CheckboxSelectMultiple,
            "starts_on": DateInput,
            "ends_on": DateInput,
            "nominations_close": DateInput,
        }

    def __init__(self, *args, centre, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.centre = centre
        self.instance.centre = centre
        modules = models.Q(pk__in=Module.objects.available_to(centre).values("pk"))
        trainers = models.Q(centre=centre, active=True)
        if self.instance.pk:
            # What the course already has may stay even if no longer offered.
            modules |= models.Q(pk__in=self.instance.modules.values("pk"))
            trainers |= models.Q(pk__in=self.instance.trainers.values("pk"))
        self.fields["modules"].queryset = (
            Module.objects.filter(modules).select_related("centre").order_by("code")
        )
        self.fields["trainers"].queryset = (
            Trainer.objects.filter(trainers).select_related("person").order_by("person__name")
        )
        self.fields["project"].queryset = Project.objects.visible_to(user).order_by(
            "acronym", "title"
        )
        self.fields["plan"].queryset = centre.plans.all()

    def clean(self):
        data = super().clean()
        close, ends = data.get("nominations_close"), data.get("ends_on")
        if close and ends and close > ends:
            self.add_error("nominations_close", _("Nominations close before the course ends."))
        return data

    def course_fields(self) -> dict:
        skip = {"modules", "trainers", "reason"}
        return {k: v for k, v in self.cleaned_data.items() if k not in skip}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CourseStatus.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class SessionForm(VersionedFormMixin, forms.ModelForm):
    """A session of the course, in the site's time zone; it must fall within the course."""

    class Meta:
        model = CourseSession
        fields = ["title", "starts_at", "ends_at", "module", "trainer"]
        widgets = {"starts_at": WallClockInput, "ends_at": WallClockInput}

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        self.instance.course = course
        self.fields["module"].queryset = course.modules.all()
        self.fields["trainer"].queryset = course.trainers.select_related("person")

    def clean(self):
        data = super().clean()
        course = self.course
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if value and not course.starts_on <= timezone.localtime(value).date() <= course.ends_on:
                self.add_error(
                    name,
                    _("Choose a time within the course's dates (%(start)s to %(end)s).")
                    % {"start": course.starts_on.isoformat(), "end": course.ends_on.isoformat()},
                )
        return data


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.organisation_id:
            return f"{obj.name} ({obj.organisation})"
        return obj.name


class TrainerForm(forms.Form):
    """A person of the directory joins the pool, with the modules they teach."""

    person = PersonChoiceField(label=_("Person"), queryset=Person.objects.none())
    modules = forms.ModelMultipleChoiceField(
        label=_("Modules taught"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    trained_in = forms.ModelChoiceField(
        label=_("Trained in"),
        queryset=Course.objects.none(),
        required=False,
        help_text=_("The training-of-trainers course that qualified this trainer."),
    )
    expertise = forms.CharField(
        label=_("Expertise"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, centre, search="", **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(trainer__isnull=True).select_related("organisation")
        if search and not self.is_bound:
            people = people.filter(name__icontains=search)
        self.fields["person"].queryset = people.order_by("name")
        self.fields["modules"].queryset = Module.objects.available_to(centre).order_by("code")
        self.fields["trained_in"].queryset = Course.objects.filter(
            type=CourseType.TRAINING_OF_TRAINERS
        ).order_by("-starts_on")


SEX_CHOICES = [("", "—"), *Sex.choices]


class NominationForm(forms.Form):
    """An officer already in the directory, or a new one, with what reports need."""

    organisation = forms.ModelChoiceField(
        label=_("Nominating institution"), queryset=Organisation.objects.none()
    )
    person = PersonChoiceField(
        label=_("Officer already known"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Or leave empty and enter a new officer below."),
    )
    name = forms.CharField(label=_("Name of a new officer"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    position = forms.CharField(label=_("Position"), max_length=200, required=False)
    sex = forms.ChoiceField(
        label=_("Sex"), choices=SEX_CHOICES, help_text=_("Asked for reporting by sex only.")
    )
    motivation = forms.CharField(
        label=_("Why this officer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["person"].queryset = (
            Person.objects.filter(organisation__in=organisations)
            .select_related("organisation")
            .order_by("name")
        )
        if len(organisations) == 1:
            self.initial.setdefault("organisation", organisations[0].pk)

    def clean(self):
        data = super().clean()
        person, name = data.get("person"), (data.get("name") or "").strip()
        organisation = data.get("organisation")
        if person and name:
            raise forms.ValidationError(_("Choose a known officer or enter a new one, not both."))
        if not person and not name:
            raise forms.ValidationError(_("Choose a known officer or enter a new one."))
        if person and organisation and person.organisation_id != organisation.pk:
            self.add_error("person", _("This officer is not of the nominating institution."))
        if name and not data.get("email") and "email" not in self.errors:
            # An address that failed its own check already says so; one message is enough.
            self.add_error("email", _("Give the new officer's e-mail, for the decision."))
        return data
