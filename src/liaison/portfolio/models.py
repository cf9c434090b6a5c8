import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from liaison.core.models import Role
from liaison.directory.models import Country, Organisation


class Facility(models.Model):
    """A grant facility or programme that funds projects (for example a partnership facility)."""

    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    managed_by = models.ForeignKey(
        Organisation,
        verbose_name=_("managed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilities",
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("facility or programme")
        verbose_name_plural = _("facilities and programmes")
        ordering = ["name"]

    def __str__(self):
        return self.acronym or self.name


class Instrument(models.Model):
    """An EU funding instrument (AMIF, ISF-Police, BMVI, ...); the list is loaded by a migration."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("funding instrument")
        verbose_name_plural = _("funding instruments")
        ordering = ["order", "code"]

    def __str__(self):
        return self.code


class Theme(models.Model):
    """A thematic area of migration cooperation; the list is loaded by a migration."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Typology(models.Model):
    """A partnership approach. A project with more than one approach is shown as hybrid."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("partnership typology")
        verbose_name_plural = _("partnership typologies")
        ordering = ["name"]

    def __str__(self):
        return self.name


HYBRID = "hybrid"


class Status(models.TextChoices):
    PIPELINE = "pipeline", _("Pipeline")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class ActivityType(models.TextChoices):
    """What a project does; the same words the factsheet extractor reports."""

    MEETING = "meeting", _("Meetings")
    WORKSHOP = "workshop", _("Workshops")
    CONFERENCE = "conference", _("Conferences")
    TRAINING = "training", _("Training")
    STUDY_VISIT = "study_visit", _("Study visits")
    EQUIPMENT = "equipment", _("Equipment")
    NEEDS_ASSESSMENT = "needs_assessment", _("Needs assessment")
    ONLINE_SESSION = "online_session", _("Online sessions")
    JOINT_OPERATION = "joint_operation", _("Joint operations")
    RESEARCH = "research", _("Research")
    E_LEARNING = "e_learning", _("E-learning")
    EXCHANGE_OF_STAFF = "exchange_of_staff", _("Exchange of staff")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    DRAFT = "draft", _("Draft")


def status_for(start, end, today=None) -> str:
    """The status a project's dates imply: not started, running, or over."""
    today = today or timezone.localdate()
    if start and start > today:
        return Status.PIPELINE
    if end and end < today:
        return Status.COMPLETED
    if start is None and end is None:
        return Status.PIPELINE
    return Status.ONGOING


class ProjectQuerySet(models.QuerySet):
    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)

    def visible_to(self, user):
        """Staff read every project; its managers and team read their own, drafts included;
        everyone else reads public ones only."""
        if getattr(user, "is_liaison_staff", False):
            return self
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.public()
        return self.filter(
            Q(visibility=Visibility.PUBLIC) | Q(pk__in=self.of_team(user).values("pk"))
        )

    def of_team(self, user):
        """The projects ``user`` manages or works on (as a team member)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        managed = Project.managers.through.objects.filter(user=user).values("project")
        worked = Project.team.through.objects.filter(user=user).values("project")
        return self.filter(Q(pk__in=managed) | Q(pk__in=worked))

    def with_status(self, *statuses, today=None):
        """Filter on the status in the database: the hand-set one, else the one the dates imply."""
        today = today or timezone.localdate()
        derived = {
            Status.PIPELINE: Q(start__gt=today) | Q(start__isnull=True, end__isnull=True),
            Status.COMPLETED: Q(end__lt=today) & (Q(start__lte=today) | Q(start__isnull=True)),
            Status.ONGOING: (Q(start__lte=today) | Q(start__isnull=True, end__isnull=False))
            & (Q(end__gte=today) | Q(end__isnull=True)),
        }
        condition = Q()
        for status in statuses:
            condition |= Q(status_override=status) | (Q(status_override="") & derived[status])
        return self.filter(condition)

    def active_in_year(self, *years):
        condition = Q()
        for year in years:
            condition |= (Q(start__lte=datetime.date(year, 12, 31)) | Q(start__isnull=True)) & (
                Q(end__gte=datetime.date(year, 1, 1)) | Q(end__isnull=True)
            )
        return self.filter(condition)

    # Relation filters use ``pk IN (subquery)``: a semi-join that never duplicates rows, and
    # which SQLite runs once per query instead of once per row as it would an EXISTS.
    def in_countries(self, countries):
        through = Project.countries.through
        return self.filter(pk__in=through.objects.filter(country__in=countries).values("project"))

    def in_regions(self, regions):
        through = Project.countries.through
        matching = through.objects.filter(country__region__in=regions)
        return self.filter(pk__in=matching.values("project"))

    def with_instruments(self, instruments):
        matching = FundingLine.objects.filter(instrument__in=instruments)
        return self.filter(pk__in=matching.values("project"))

    def with_themes(self, themes):
        through = Project.themes.through
        return self.filter(pk__in=through.objects.filter(theme__in=themes).values("project"))

    def with_typologies(self, codes):
        """Projects of any of the typologies; ``hybrid`` means more than one approach."""
        through = Project.typologies.through
        codes = list(codes)
        condition = Q()
        plain = [c for c in codes if c != HYBRID]
        if plain:
            matching = through.objects.filter(typology__code__in=plain)
            condition |= Q(pk__in=matching.values("project"))
        if HYBRID in codes:
            condition |= Q(typology_count__gt=1)
        return self.filter(condition) if condition else self

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        condition = Q()
        for word in text.split()[:8]:
            condition &= (
                Q(title__icontains=word)
                | Q(acronym__icontains=word)
                | Q(reference__icontains=word)
                | Q(summary__icontains=word)
            )
        return self.filter(condition)

    def for_list(self):
        return self.select_related("facility").prefetch_related(
            "countries", "typologies", "funding_lines__instrument"
        )


class Project(models.Model):
    """A funded project: its period, money, partners, countries and approach."""

    facility = models.ForeignKey(
        Facility,
        verbose_name=_("facility or programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    title = models.CharField(_("title"), max_length=500)
    acronym = models.CharField(_("acronym"), max_length=60, blank=True, db_index=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True, db_index=True)
    summary = models.TextField(_("summary"), blank=True)
    objective = models.TextField(_("overall objective"), blank=True)
    start = models.DateField(_("start"), null=True, blank=True, db_index=True)
    end = models.DateField(_("end"), null=True, blank=True, db_index=True)
    status_override = models.CharField(
        _("status set by hand"),
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text=_("Leave empty to derive the status from the dates."),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.DRAFT,
        db_index=True,
    )
    total_budget = models.DecimalField(
        _("total budget"), max_digits=14, decimal_places=2, null=True, blank=True, db_index=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="projects"
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="projects"
    )
    typologies = models.ManyToManyField(
        Typology, verbose_name=_("partnership typologies"), blank=True, related_name="projects"
    )
    # Kept in step by a signal (see signals.py) so hybrid projects filter without a join.
    activity_types = models.JSONField(
        _("activity types"), default=list, blank=True, help_text=_("Codes of ActivityType.")
    )
    typology_count = models.PositiveSmallIntegerField(default=0, editable=False, db_index=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("managers"),
        blank=True,
        related_name="managed_projects",
        limit_choices_to={"role": Role.PROJECT_MANAGER},
        help_text=_("Project managers who may edit this project."),
    )
    # Beside the managers: people who work on the project read its internal pages (a draft,
    # its results) but do not edit it.
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team members"),
        blank=True,
        related_name="team_projects",
        help_text=_("People who work on the project: they read its internal pages."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True)
                | Q(start__isnull=True)
                | Q(end__gte=models.F("start")),
                name="project_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(total_budget__isnull=True) | Q(total_budget__gte=0),
                name="project_budget_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.acronym} – {self.title}" if self.acronym else self.title

    def get_absolute_url(self):
        return reverse("portfolio:project", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end cannot come before the start.")})

    @property
    def status(self) -> str:
        return self.status_override or status_for(self.start, self.end)

    def get_status_display(self):
        return Status(self.status).label

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @cached_property
    def typology_list(self):
        return list(self.typologies.all())

    @property
    def is_hybrid(self) -> bool:
        return len(self.typology_list) > 1

    @property
    def typology_label(self) -> str:
        if self.is_hybrid:
            return str(_("Hybrid"))
        return self.typology_list[0].name if self.typology_list else ""

    @property
    def duration_months(self) -> int | None:
        """Whole months from start to end, the end day included (15 May – 14 May is 12)."""
        if not (self.start and self.end):
            return None
        after = self.end + datetime.timedelta(days=1)
        months = (after.year - self.start.year) * 12 + after.month - self.start.month
        return months + (1 if after.day > self.start.day else 0)


class FundingLine(models.Model):
    """The money one instrument puts into a project: the EU contribution and the co-financing."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="funding_lines"
    )
    instrument = models.ForeignKey(
        Instrument,
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="funding_lines",
    )
    eu_contribution = models.DecimalField(
        _("EU contribution"), max_digits=14, decimal_places=2, default=0
    )
    co_financing = models.DecimalField(
        _("co-financing"), max_digits=14, decimal_places=2, default=0
    )

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        ordering = ["instrument__order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "instrument"], name="one_funding_line_per_instrument"
            ),
            models.CheckConstraint(
                condition=Q(eu_contribution__gte=0) & Q(co_financing__gte=0),
                name="funding_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.instrument}: {self.total}"

    @property
    def total(self) -> Decimal:
        return (self.eu_contribution or 0) + (self.co_financing or 0)


class ParticipationRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")
    ASSOCIATED = "associated", _("Associated")
    BENEFICIARY = "beneficiary", _("Beneficiary")
    IMPLEMENTER = "implementer", _("Implementer")
    FUNDER = "funder", _("Funder")
    NOMINATING = "nominating", _("Nominating Member State")


class ParticipationQuerySet(models.QuerySet):
    def of_visible_organisations(self, user):
        """Roles of organisations ``user`` may see: not those still waiting for review."""
        return self.filter(organisation__in=Organisation.objects.visible_to(user))


class Participation(models.Model):
    """An organisation's role in a project."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=20, choices=ParticipationRole.choices)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["project", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation", "role"], name="one_role_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.organisation} – {self.get_role_display()}"


class Component(models.Model):
    """A numbered part of a project's work, with the results it is expected to bring."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="components"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)

    class Meta:
        verbose_name = _("component")
        verbose_name_plural = _("components")
        ordering = ["project", "order", "pk"]

    def __str__(self):
        return f"{self.order}. {self.title}"
