"""Registration for an event, the organiser's form with its questions, and attendance."""

import secrets

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Country, Organisation, OrganisationType, Person
from liaison.directory.scopes import administered_organisations

from .events import Event, Session

DEFAULT_CONSENT = _(
    "I agree that the organisers keep my name, e-mail, organisation and answers to run this "
    "event and report on it, and erase them when the retention period ends."
)


class RegistrationForm(models.Model):
    """How an event takes registrations: when, how many, with what questions and consent."""

    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registration_setup"
    )
    is_open = models.BooleanField(_("registration is open"), default=False)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    waiting_list = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When the event is full, later registrations wait for a place."),
    )
    needs_approval = models.BooleanField(
        _("needs approval"),
        default=False,
        help_text=_("An organiser approves each registration."),
    )
    allow_nominations = models.BooleanField(_("institutions may nominate officers"), default=False)
    consent_text = models.TextField(_("consent to the use of personal data"))
    retention_days = models.PositiveIntegerField(
        _("retention period (days after the event)"),
        default=365,
        help_text=_("Then names, e-mails and answers are erased; anonymous counts remain."),
    )
    publish_list = models.BooleanField(
        _("publish the participants who agree"),
        default=False,
        help_text=_("The public page lists only participants who consented to it."),
    )
    follow_up_intro = models.TextField(
        _("follow-up form introduction"),
        blank=True,
        help_text=_("What approved participants are asked for, e.g. travel and visa details."),
    )

    class Meta:
        verbose_name = _("registration form")
        verbose_name_plural = _("registration forms")

    def __str__(self):
        return _gettext("Registration for %(event)s") % {"event": self.event}

    def save(self, *args, **kwargs):
        if not self.consent_text:
            self.consent_text = str(DEFAULT_CONSENT)
        super().save(*args, **kwargs)

    def refusal(self, now) -> str:
        """Why no one can register at ``now``, or an empty string when registration is open."""
        if not self.is_open:
            return _gettext("Registration for this event is not open.")
        if self.opens_at and now < self.opens_at:
            return _gettext("Registration has not opened yet.")
        if self.closes_at and now > self.closes_at:
            return _gettext("The registration deadline has passed.")
        if now > self.event.end:
            return _gettext("The event is over.")
        return ""

    def places_taken(self, *, excluding=None) -> int:
        """How many registrations hold a place (pending or approved), leaving out one."""
        taken = Registration.objects.filter(event_id=self.event_id).holding_place()
        if excluding is not None and excluding.pk:
            taken = taken.exclude(pk=excluding.pk)
        return taken.count()

    def full_refusal(self, *, excluding=None) -> str:
        """Why one more place cannot be given within the capacity, or an empty string.

        The services (registration, "Give a place") and ``Registration.clean`` (the admin) ask
        this one question, so no path takes an event beyond its capacity unnoticed.
        """
        if self.capacity is None:
            return ""
        taken = self.places_taken(excluding=excluding)
        if taken < self.capacity:
            return ""
        return _gettext(
            "The event is full: %(taken)s of %(capacity)s places are taken. "
            "Give a reason to give a place beyond the capacity."
        ) % {"taken": taken, "capacity": self.capacity}


class Stage(models.TextChoices):
    REGISTRATION = "registration", _("On registration")
    FOLLOW_UP = "follow_up", _("After approval (follow-up form)")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Choice")
    YES_NO = "yes_no", _("Yes or no")
    NUMBER = "number", _("Number")


class Question(models.Model):
    """An extra question the organiser asks on registration or in the follow-up form."""

    form = models.ForeignKey(
        RegistrationForm,
        verbose_name=_("registration form"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    stage = models.CharField(
        _("asked"), max_length=20, choices=Stage.choices, default=Stage.REGISTRATION
    )
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT
    )
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For a choice question: one choice per line.")
    )
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["form", "stage", "order", "pk"]

    def __str__(self):
        return self.label

    @property
    def key(self) -> str:
        return f"q{self.pk}"

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == QuestionKind.CHOICE and not self.choice_list:
            raise ValidationError({"choices": _("A choice question needs at least one choice.")})


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    NOT_STATED = "not_stated", _("Prefer not to say")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Not accepted")


# Statuses that hold a place at the event, and those still in play.
HOLDS_PLACE = [RegistrationStatus.PENDING, RegistrationStatus.APPROVED]
ACTIVE = [*HOLDS_PLACE, RegistrationStatus.WAITLISTED]


def new_token() -> str:
    return secrets.token_urlsafe(24)


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE)

    def holding_place(self):
        return self.filter(status__in=HOLDS_PLACE)

    def waiting(self):
        """The waiting list in its order: first come, first promoted."""
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("created", "pk")

    def approved(self):
        return self.filter(status=RegistrationStatus.APPROVED)

    def published(self):
        """Approved participants who agreed to appear in a published list."""
        return self.approved().filter(publish_consent=True, erased_at__isnull=True)

    def for_list(self):
        return self.select_related("country", "organisation", "nominated_by_organisation")

    def visible_to(self, user):
        """Registrations are personal data: one's own, all those of the events one manages,
        and those of the people of the institutions one administers (registered from it or
        nominated by it); never another institution's."""
        if getattr(user, "is_secretariat", False):
            return self
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        administered = administered_organisations(user)
        managed = Event.objects.managed_by(user).values("pk")
        return self.filter(
            Q(user=user)
            | Q(event__in=managed)
            | Q(organisation__in=administered)
            | Q(nominated_by_organisation__in=administered)
        )

    def of_administered_institutions(self, user):
        """Registrations of the people of the institutions ``user`` administers."""
        administered = administered_organisations(user)
        return self.filter(
            Q(organisation__in=administered) | Q(nominated_by_organisation__in=administered)
        )


class Registration(models.Model):
    """One person's place (or wish for one) at an event.

    Name, e-mail, position, answers and links to the person are personal data and are erased
    when the form's retention period ends; country, institution type, sex, status and attendance
    stay so the event's counts survive.
    """

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    person_created = models.BooleanField(
        _("person created by this registration"), default=False, editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nominated_by_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("nominated by institution"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation_name = models.CharField(_("organisation name"), max_length=300, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution_type = models.CharField(
        _("institution type"), max_length=30, choices=OrganisationType.choices, blank=True
    )
    sex = models.CharField(
        _("sex"), max_length=20, choices=Sex.choices, default=Sex.NOT_STATED, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices, db_index=True
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    follow_up_requested_at = models.DateTimeField(_("follow-up asked"), null=True, blank=True)
    follow_up_answers = models.JSONField(_("follow-up answers"), default=dict, blank=True)
    follow_up_submitted_at = models.DateTimeField(_("follow-up answered"), null=True, blank=True)
    consent_given_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    # The words agreed to, as they read then: the form's text may be edited later.
    consent_text = models.TextField(_("consent agreed to"), blank=True, editable=False)
    publish_consent = models.BooleanField(
        _("agrees to appear in the published list"), default=False
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created = models.DateTimeField(_("registered"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    over_capacity_reason = models.CharField(
        _("place given beyond the capacity because"),
        max_length=500,
        blank=True,
        help_text=_("Required when a place is given although the event is full."),
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created", "pk"]
        indexes = [
            models.Index(fields=["event", "status", "created"], name="registration_queue_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(status__in=ACTIVE) & Q(person__isnull=False),
                name="one_active_registration_per_person",
            )
        ]

    def __str__(self):
        # No name here: this text is kept in the audit trail, which erasure does not touch.
        return _gettext("Registration %(id)s") % {"id": self.pk}

    def get_absolute_url(self):
        return reverse("events:registration", args=[self.token])

    def clean(self):
        """A registration that takes a place of a full event needs the reason for the
        exception (the admin's way in; the services ask the same question)."""
        if self.status not in HOLDS_PLACE or self.over_capacity_reason.strip() or not self.event_id:
            return
        if self.pk:
            before = Registration.objects.filter(pk=self.pk).values_list("status", flat=True)
            if before.first() in HOLDS_PLACE:
                return  # It held its place already.
        form = RegistrationForm.objects.filter(event_id=self.event_id).first()
        refusal = form.full_refusal(excluding=self) if form is not None else ""
        if refusal:
            raise ValidationError({"over_capacity_reason": refusal})

    @property
    def holds_place(self) -> bool:
        return self.status in HOLDS_PLACE

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def organisation_label(self) -> str:
        return self.organisation.name if self.organisation_id else self.organisation_name


class Attendance(models.Model):
    """A participant checked in to one session, or to one day of the event."""

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    day = models.DateField(_("day"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), auto_now_add=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["checked_in_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(session__isnull=True) & Q(day__isnull=False))
                | (Q(session__isnull=False) & Q(day__isnull=True)),
                name="attendance_session_or_day",
            ),
            models.UniqueConstraint(
                fields=["registration", "session"],
                condition=Q(session__isnull=False),
                name="one_check_in_per_session",
            ),
            models.UniqueConstraint(
                fields=["registration", "day"],
                condition=Q(day__isnull=False),
                name="one_check_in_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.registration} @ {self.session or self.day}"

    def clean(self):
        """The rules of ``services.set_attendance`` for a check-in added in the admin."""
        if not self.registration_id:
            return
        event = self.registration.event
        errors = {}
        if self.day is not None and self.day not in event.days:
            errors["day"] = _gettext("The event does not take place on that day.")
        if self.session_id and self.session.event_id != event.pk:
            errors["session"] = _gettext("That session belongs to another event.")
        if self.pk is None:
            refusal = event.check_in_refusal(timezone.now())
            if refusal:
                errors[NON_FIELD_ERRORS] = refusal
        if errors:
            raise ValidationError(errors)
