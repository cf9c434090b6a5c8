"""A project's logical framework, its indicators and their values, the reporting periods they are
reported in, and its risks.

Values are kept at the finest cell an indicator is broken down by (say women from Serbia in
police institutions); every total is computed from the cells in ``figures.py``, never typed."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Country, OrganisationType
from liaison.events.models import Event, Sex
from liaison.portfolio.models import Component, Project
from liaison.training.models import Course


class Level(models.TextChoices):
    IMPACT = "impact", _("Impact")
    OUTCOME = "outcome", _("Outcome")
    OUTPUT = "output", _("Output")


# A tree: impact at the top, outcomes under it, outputs under outcomes.
PARENT_LEVEL = {Level.IMPACT: None, Level.OUTCOME: Level.IMPACT, Level.OUTPUT: Level.OUTCOME}


def team_projects(user):
    """The projects whose results ``user`` reads without being staff: those they manage or work
    on. None for a visitor."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Project.objects.none()
    return Project.objects.of_team(user)


class ResultQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Results are read by staff, as the project pages' staff sections are, and by the
        project's own managers and team (``portfolio.permissions.can_read_internal``)."""
        if getattr(user, "is_liaison_staff", False):
            return self
        return self.filter(project__in=team_projects(user))


class Result(models.Model):
    """One box of the logframe: the impact, an outcome or an output, with its assumptions and the
    project activities (events, courses, components) that deliver it."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="results"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("contributes to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    code = models.CharField(_("code"), max_length=20, help_text=_("Such as 1, 1.2 or 1.2.3."))
    title = models.CharField(_("statement"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    assumptions = models.TextField(
        _("assumptions"), blank=True, help_text=_("What must hold outside the project's control.")
    )
    events = models.ManyToManyField(
        Event, verbose_name=_("events"), blank=True, related_name="results"
    )
    courses = models.ManyToManyField(
        Course, verbose_name=_("courses"), blank=True, related_name="results"
    )
    components = models.ManyToManyField(
        Component, verbose_name=_("components"), blank=True, related_name="results"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["project", "code", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="result_code_per_project")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("results:logframe", args=[self.project_id]) + f"#result-{self.pk}"

    def clean(self):
        expected = PARENT_LEVEL.get(self.level)
        parent = self.parent
        if expected is None and parent is not None:
            raise ValidationError({"parent": _("The impact sits at the top of the logframe.")})
        if expected is not None:
            if parent is None or parent.level != expected:
                raise ValidationError(
                    {
                        "parent": _("A %(level)s contributes to a %(parent)s.")
                        % {"level": Level(self.level).label, "parent": Level(expected).label}
                    }
                )
            if parent.project_id != self.project_id:
                raise ValidationError({"parent": _("Choose a result of the same project.")})


class Unit(models.TextChoices):
    NUMBER = "number", _("Number")
    PERCENTAGE = "percentage", _("Percentage (numerator over denominator)")


class Direction(models.TextChoices):
    INCREASE = "increase", _("Higher is better")
    DECREASE = "decrease", _("Lower is better")


class Accumulation(models.TextChoices):
    """How a period's value relates to the value to date.

    Incremental: each period reports what happened in it; to date is the sum.
    Cumulative: each period reports the running total since the start; to date is the latest,
    and a period's own share is the difference from the one before.
    Latest value: each period reports a state measured then (a rate, a score); to date is the
    latest, and nothing is summed over time.
    """

    INCREMENTAL = "incremental", _("Incremental")
    CUMULATIVE = "cumulative", _("Cumulative")
    LATEST = "latest", _("Latest value")


class Dimension(models.TextChoices):
    SEX = "sex", _("Sex")
    COUNTRY = "country", _("Country")
    INSTITUTION_TYPE = "institution_type", _("Institution type")


class Source(models.TextChoices):
    """Where actual values come from. Anything but manual is counted from Liaison's own records
    by ``sources.py``; people cannot type those values."""

    MANUAL = "manual", _("Entered by the project")
    PEOPLE_TRAINED = "people_trained", _("People who completed training")
    PEOPLE_CERTIFIED = "people_certified", _("Certificates issued")
    EVENTS_HELD = "events_held", _("Events held")
    EVENT_PARTICIPANTS = "event_participants", _("Event participants who attended")
    INSTITUTIONS_ASSESSED = "institutions_assessed", _("Institutions assessed")
    EQUIPMENT_DELIVERED = "equipment_delivered", _("Equipment items delivered")
    INSTITUTIONS_EQUIPPED = "institutions_equipped", _("Institutions that received equipment")
    EQUIPMENT_VALUE = "equipment_value", _("Value of equipment delivered")
    GAP_CLOSURE = "gap_closure", _("Capability gap closed between assessments (%)")


class CoreIndicator(models.Model):
    """An indicator the whole portfolio reports on, so that projects' figures can be summed."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.NUMBER)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("core indicator")
        verbose_name_plural = _("core indicators")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class IndicatorQuerySet(models.QuerySet):
    def visible_to(self, user):
        if getattr(user, "is_liaison_staff", False):
            return self
        return self.filter(project__in=team_projects(user))


class Indicator(models.Model):
    """How a result is measured."""

    result = models.ForeignKey(
        Result, verbose_name=_("result"), on_delete=models.CASCADE, related_name="indicators"
    )
    # The result's project, kept here so that indicators filter by project without a join.
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="indicators", editable=False
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("indicator"), max_length=500)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices, default=Unit.NUMBER)
    unit_label = models.CharField(
        _("unit of measure"), max_length=60, blank=True, help_text=_("Such as officials or EUR.")
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    accumulation = models.CharField(
        _("accumulation"),
        max_length=20,
        choices=Accumulation.choices,
        default=Accumulation.INCREMENTAL,
    )
    means_of_verification = models.TextField(_("means of verification"), blank=True)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_date = models.DateField(_("baseline date"), null=True, blank=True)
    end_target = models.DecimalField(
        _("end-of-project target"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    disaggregations = models.JSONField(
        _("broken down by"),
        default=list,
        blank=True,
        help_text=_("Locked once values exist: cells already entered would no longer add up."),
    )
    source = models.CharField(
        _("values come from"), max_length=30, choices=Source.choices, default=Source.MANUAL
    )
    core = models.ForeignKey(
        CoreIndicator,
        verbose_name=_("core indicator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["project", "code", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="indicator_code_per_project")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def save(self, *args, **kwargs):
        if self.result_id:
            self.project_id = self.result.project_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("results:indicator", args=[self.pk])

    @property
    def dimensions(self) -> list[str]:
        """The dimensions in a fixed order, whatever order they were saved in."""
        chosen = set(self.disaggregations or [])
        return [d for d in Dimension.values if d in chosen]

    @property
    def is_derived(self):
        return self.source != Source.MANUAL

    @property
    def is_percentage(self):
        return self.unit == Unit.PERCENTAGE


class PeriodKind(models.TextChoices):
    INCEPTION = "inception", _("Inception")
    INTERIM = "interim", _("Interim")
    ANNUAL = "annual", _("Annual")
    FINAL = "final", _("Final")


class ReportingPeriod(models.Model):
    """A stretch of the project reported on together, with the deadline for its report."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="reporting_periods",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PeriodKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    deadline = models.DateField(_("report due"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["project", "starts_on", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("results:report", args=[self.pk])

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The period cannot end before it starts.")})
        if self.ends_on and self.deadline and self.deadline < self.ends_on:
            raise ValidationError(
                {"deadline": _("The report cannot be due before the period ends.")}
            )

    @property
    def under_review(self) -> bool:
        """A submitted report is with the secretariat: its figures hold still until decided."""
        report = getattr(self, "report", None)
        return bool(report and report.status == ReportStatus.SUBMITTED)

    @property
    def is_locked(self) -> bool:
        """An approved report freezes its period: values, targets and the report itself."""
        report = getattr(self, "report", None)
        return bool(report and report.status == ReportStatus.APPROVED)


class Target(models.Model):
    """What an indicator should reach in one reporting period (the end target is on the
    indicator)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="targets"
    )
    value = models.DecimalField(_("target"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="one_target_per_period")
        ]

    def __str__(self):
        return f"{self.indicator} — {self.period}: {self.value}"


class Value(models.Model):
    """An actual value in one cell: one indicator, one period, one combination of the
    indicator's dimensions. Dimensions the indicator is not broken down by stay empty.

    For a percentage, ``value`` holds the numerator and ``denominator`` the denominator, so that
    totals are the sum of numerators over the sum of denominators, never an average of rates."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="values"
    )
    sex = models.CharField(_("sex"), max_length=10, blank=True, choices=Sex.choices)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), null=True, blank=True, on_delete=models.PROTECT
    )
    institution_type = models.CharField(
        _("institution type"), max_length=30, blank=True, choices=OrganisationType.choices
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    denominator = models.DecimalField(
        _("denominator"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    derived = models.BooleanField(
        _("counted by Liaison"), default=False, help_text=_("Filled from the platform's records.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        constraints = [
            # Two constraints because NULL countries never collide in a unique index.
            models.UniqueConstraint(
                fields=["indicator", "period", "sex", "country", "institution_type"],
                condition=Q(country__isnull=False),
                name="one_value_per_cell",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "sex", "institution_type"],
                condition=Q(country__isnull=True),
                name="one_value_per_cell_no_country",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "period"], name="value_indicator_period")]

    def __str__(self):
        return f"{self.indicator} — {self.period}: {self.value}"

    def cell(self) -> tuple:
        return (self.sex, self.country_id, self.institution_type)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    APPROVED = "approved", _("Approved")


class ProgressReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        if getattr(user, "is_liaison_staff", False):
            return self
        return self.filter(period__project__in=team_projects(user))


class ProgressReport(models.Model):
    """The project's account of one period: the narrative, activities done and risks, with the
    indicator table computed from the values."""

    period = models.OneToOneField(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="report"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReportStatus.choices,
        default=ReportStatus.DRAFT,
        db_index=True,
    )
    narrative = models.TextField(_("progress in the period"), blank=True)
    activities = models.TextField(_("activities done"), blank=True)
    risks = models.TextField(_("risks and how they were handled"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self):
        return f"{self.period.project} — {self.period}"

    def get_absolute_url(self):
        return reverse("results:report", args=[self.period_id])


class ReviewAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    REOPENED = "reopened", _("Reopened")


class ReportReview(models.Model):
    """The report's history: each submission and decision, with the comment that came with it."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="reviews"
    )
    action = models.CharField(_("action"), max_length=20, choices=ReviewAction.choices)
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.report}: {self.get_action_display()}"


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MITIGATED = "mitigated", _("Mitigated")
    OCCURRED = "occurred", _("Occurred")
    CLOSED = "closed", _("Closed")


SCALE = [MinValueValidator(1), MaxValueValidator(5)]


class Risk(models.Model):
    """One entry of a project's risk register, scored 1–5 for likelihood and impact."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="risks"
    )
    title = models.CharField(_("risk"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), validators=SCALE, help_text=_("1 rare … 5 almost certain")
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), validators=SCALE, help_text=_("1 negligible … 5 severe")
    )
    mitigation = models.TextField(_("mitigation"), blank=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RiskStatus.choices, default=RiskStatus.OPEN
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["project", "-likelihood", "-impact", "id"]

    def __str__(self):
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact
