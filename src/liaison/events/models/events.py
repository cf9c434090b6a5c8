"""Events and their agenda: sessions, talks, panels and the speakers who take part."""

import datetime
import functools
import importlib.resources
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from liaison.core.models import Role
from liaison.core.revisions import Revised
from liaison.directory.models import Country, Network, Organisation, Person
from liaison.portfolio.models import Project


@functools.cache
def time_zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def country_time_zones() -> dict[str, tuple[str, ...]]:
    """The time zones of each country (ISO alpha-2), from the tz database's ``zone.tab``.

    Kosovo (XK) is not in it and keeps the zone of its neighbours' clocks, Europe/Belgrade.
    """
    zones: dict[str, list[str]] = {"XK": ["Europe/Belgrade"]}
    try:
        table = importlib.resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text()
    except (ModuleNotFoundError, FileNotFoundError):
        return {}
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, _coordinates, name, *_comment = line.split("\t")
            zones.setdefault(code, []).append(name)
    return {code: tuple(names) for code, names in zones.items()}


def validate_time_zone(value: str):
    if value not in time_zone_names():
        raise ValidationError(
            _("%(value)s is not a known time zone; use a name such as Europe/Belgrade."),
            params={"value": value},
        )


class EventType(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    WORKSHOP = "workshop", _("Workshop")
    CONFERENCE = "conference", _("Conference")
    STUDY_VISIT = "study_visit", _("Study visit")
    TRAINING = "training", _("Training session")
    ONLINE_SESSION = "online_session", _("Online session")
    JOINT_OPERATION = "joint_operation", _("Joint operation or exercise")
    EQUIPMENT_HANDOVER = "equipment_handover", _("Equipment hand-over")
    ASSESSMENT_MISSION = "assessment_mission", _("Assessment mission")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class EventQuerySet(models.QuerySet):
    def public(self):
        return self.filter(published=True)

    def visible_to(self, user):
        """Staff read every event; those who manage an event (a network's secretariat, say)
        read it while it is a draft; everyone else reads published ones only."""
        if getattr(user, "is_liaison_staff", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.public()
        return self.filter(Q(published=True) | Q(pk__in=self.model.objects.managed_by(user)))

    def managed_by(self, user):
        """The events a user organises or whose project they manage, and those of the networks
        whose secretariat they are; all for the secretariat (``permissions.can_manage_event``
        for a whole list)."""
        if getattr(user, "is_secretariat", False):
            return self
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        from liaison.directory.scopes import network_secretariats

        managed = Q(network__in=network_secretariats(user))
        if user.role == Role.PROJECT_MANAGER:
            organised = Event.organisers.through.objects.filter(user=user).values("event")
            led = Event.projects.through.objects.filter(project__managers=user).values("event")
            managed |= Q(pk__in=organised) | Q(pk__in=led)
        return self.filter(managed)

    def upcoming(self, now):
        return self.filter(end__gte=now)

    def past(self, now):
        return self.filter(end__lt=now)

    def for_projects(self, projects):
        through = Event.projects.through
        return self.filter(pk__in=through.objects.filter(project__in=projects).values("event"))

    def search(self, text: str):
        condition = Q()
        for word in (text or "").split()[:8]:
            condition &= (
                Q(title__icontains=word) | Q(city__icontains=word) | Q(venue__icontains=word)
            )
        return self.filter(condition)

    def for_list(self):
        return self.select_related("country", "network").prefetch_related("projects")


class Event(Revised):
    """A meeting, workshop, study visit or other activity, with its venue, dates and people.

    Start and end are stored in UTC and shown in the venue's time zone, an IANA name.
    ``sequence`` counts the changes to what its calendar entries show (``core.revisions``).
    """

    revised_fields = (
        "title",
        "description",
        "mode",
        "venue",
        "city",
        "country",
        "timezone",
        "start",
        "end",
        "online_url",
    )

    title = models.CharField(_("title"), max_length=300)
    type = models.CharField(
        _("type"), max_length=30, choices=EventType.choices, default=EventType.MEETING
    )
    description = models.TextField(_("description"), blank=True)
    projects = models.ManyToManyField(
        Project, verbose_name=_("projects"), blank=True, related_name="events"
    )
    network = models.ForeignKey(
        Network,
        verbose_name=_("network"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("follow-up of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
        help_text=_("The event this one continues, for example an additional online session."),
    )
    mode = models.CharField(
        _("format"), max_length=20, choices=Mode.choices, default=Mode.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        validators=[validate_time_zone],
        help_text=_("The venue's time zone; start and end are entered and shown in it."),
    )
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"), db_index=True)
    online_url = models.URLField(
        _("online link"),
        blank=True,
        max_length=500,
        help_text=_("Shown only to approved participants and the organisers."),
    )
    published = models.BooleanField(
        _("published"),
        default=False,
        db_index=True,
        help_text=_("A published event's page, agenda and speakers are public."),
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisers"),
        blank=True,
        related_name="organised_events",
        limit_choices_to={"role__in": [Role.SECRETARIAT, Role.PROJECT_MANAGER]},
    )
    synopsis = models.TextField(
        _("synopsis"), blank=True, help_text=_("What happened, for the public page.")
    )
    minutes = models.TextField(_("minutes"), blank=True, help_text=_("Shown to staff only."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start", "pk"]
        indexes = [models.Index(fields=["type", "start"], name="event_type_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="event_end_after_start"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end cannot come before the start.")
        if self.mode in (Mode.IN_PERSON, Mode.HYBRID) and not (self.city or self.country_id):
            errors["city"] = _("Give the city or country of an event that meets in person.")
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = _("An event cannot follow up on itself.")
        if self.pk and self.start and self.end and "end" not in errors:
            # New dates must still hold the agenda, or its sessions would fall outside.
            outside = []
            for session in self.sessions.all():
                session.event = self  # the dates being checked, not the stored ones
                if session.outside_event():
                    outside.append(session.title)
            if outside:
                errors["start"] = _(
                    "These sessions would fall outside the new dates; move them first: %(titles)s."
                ) % {"titles": ", ".join(outside)}
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def local_start(self) -> datetime.datetime:
        return self.start.astimezone(self.zone)

    @property
    def local_end(self) -> datetime.datetime:
        return self.end.astimezone(self.zone)

    @property
    def when(self) -> str:
        """``22 December 2026, 09:00–17:00``, or both dates when it runs over several days,
        as the venue's clock shows them."""
        start, end = self.local_start, self.local_end
        if start.date() == end.date():
            return f"{formats.date_format(start, 'j F Y, H:i')}–{formats.time_format(end, 'H:i')}"
        return (
            f"{formats.date_format(start, 'j F Y, H:i')} – {formats.date_format(end, 'j F Y, H:i')}"
        )

    @property
    def days(self) -> list[datetime.date]:
        """The calendar days of the event at the venue, for check-in by day."""
        first, last = self.local_start.date(), self.local_end.date()
        return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]

    # Check-in opens the day before the event starts (badges handed out on arrival) and stays
    # open a week after it ends (attendance typed in from a paper list).
    CHECK_IN_DAYS_BEFORE = 1
    CHECK_IN_DAYS_AFTER = 7

    def check_in_window(self) -> tuple[datetime.datetime, datetime.datetime]:
        """From the start of the day before the first day to the end of the seventh day after
        the last, at the venue."""
        days = self.days
        opens = datetime.datetime.combine(
            days[0] - datetime.timedelta(days=self.CHECK_IN_DAYS_BEFORE), datetime.time.min
        ).replace(tzinfo=self.zone)
        closes = datetime.datetime.combine(
            days[-1] + datetime.timedelta(days=self.CHECK_IN_DAYS_AFTER + 1), datetime.time.min
        ).replace(tzinfo=self.zone)
        return opens, closes

    def check_in_refusal(self, now) -> str:
        """Why participants cannot be checked in at ``now``, or an empty string."""
        opens, closes = self.check_in_window()
        if opens <= now < closes:
            return ""
        return _(
            "Check-in for this event is open from %(opens)s to %(closes)s: from the day before "
            "it starts to %(after)s days after it ends."
        ) % {
            "opens": formats.date_format(opens.date(), "j F Y"),
            "closes": formats.date_format((closes - datetime.timedelta(days=1)).date(), "j F Y"),
            "after": self.CHECK_IN_DAYS_AFTER,
        }

    @property
    def is_online(self) -> bool:
        return self.mode in (Mode.ONLINE, Mode.HYBRID)

    @property
    def is_in_person(self) -> bool:
        return self.mode in (Mode.IN_PERSON, Mode.HYBRID)

    @property
    def place(self) -> str:
        country = self.country.name if self.country_id else ""
        return ", ".join(part for part in (self.venue, self.city, country) if part)

    def agenda_by_day(self) -> list[tuple[datetime.date, list["Session"]]]:
        """The sessions with their talks and people, grouped by day at the venue."""
        sessions = self.sessions.select_related("chair", "moderator").prefetch_related(
            "panellists",
            models.Prefetch("talks", queryset=Talk.objects.prefetch_related("speakers")),
        )
        days: dict[datetime.date, list[Session]] = {}
        for session in sessions:
            session.event = self
            days.setdefault(session.local_start.date(), []).append(session)
        return list(days.items())

    @cached_property
    def registration_form(self):
        """The event's registration form, or ``None`` when it has none."""
        return getattr(self, "registration_setup", None)


class Speaker(models.Model):
    """Someone who speaks, chairs, moderates or sits on a panel at an event; shown publicly."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="speakers"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    affiliation = models.CharField(
        _("affiliation"),
        max_length=300,
        blank=True,
        help_text=_("If the organisation is not in the directory."),
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    bio = models.TextField(_("short biography"), blank=True)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person in the directory"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="speaker_roles",
    )

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def affiliation_label(self) -> str:
        return str(self.organisation) if self.organisation_id else self.affiliation


class SessionKind(models.TextChoices):
    SESSION = "session", _("Session")
    TALKS = "talks", _("Talks")
    PANEL = "panel", _("Panel")
    BREAK = "break", _("Break")


class Session(Revised):
    """A slot of the agenda: a session with a chair, a block of talks, a panel or a break.

    ``sequence`` counts the changes to what its calendar entry shows (``core.revisions``); the
    entry also shows its event's title and place, so a feed adds the event's own count."""

    revised_fields = ("title", "description", "start", "end", "room", "online_url")

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(
        _("kind"), max_length=20, choices=SessionKind.choices, default=SessionKind.SESSION
    )
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    room = models.CharField(_("room"), max_length=200, blank=True)
    online_url = models.URLField(
        _("online link"),
        blank=True,
        max_length=500,
        help_text=_("Shown only to approved participants and the organisers."),
    )
    chair = models.ForeignKey(
        Speaker,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_sessions",
    )
    moderator = models.ForeignKey(
        Speaker,
        verbose_name=_("moderator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderated_sessions",
    )
    panellists = models.ManyToManyField(
        Speaker, verbose_name=_("panellists"), blank=True, related_name="panels"
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["event", "start"], name="session_event_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="session_end_after_start"
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end cannot come before the start.")
        for name in ("chair", "moderator"):
            speaker = getattr(self, name)
            if speaker is not None and speaker.event_id != self.event_id:
                errors[name] = _("Choose a speaker of this event.")
        if self.event_id and self.start and self.end and "end" not in errors:
            errors.update(self.outside_event())
        if errors:
            raise ValidationError(errors)

    def outside_event(self) -> dict:
        """Errors for a start or end outside the event's days at the venue; the form, the
        API (through ``services.save_part``) and the admin all call ``clean``."""
        days = self.event.days
        errors = {}
        for name in ("start", "end"):
            if getattr(self, f"local_{name}").date() not in days:
                errors[name] = _(
                    "A session takes place during its event (%(first)s to %(last)s)."
                ) % {
                    "first": formats.date_format(days[0], "j F Y"),
                    "last": formats.date_format(days[-1], "j F Y"),
                }
        return errors

    @property
    def local_start(self):
        return self.start.astimezone(self.event.zone)

    @property
    def local_end(self):
        return self.end.astimezone(self.event.zone)


class Talk(models.Model):
    """A talk or presentation within a session, given by one or more speakers."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="talks"
    )
    title = models.CharField(_("title"), max_length=300)
    abstract = models.TextField(_("abstract"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    speakers = models.ManyToManyField(
        Speaker, verbose_name=_("speakers"), blank=True, related_name="talks"
    )

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["session", "order", "pk"]

    def __str__(self):
        return self.title
