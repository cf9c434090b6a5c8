"""Applications: a consortium of organisations, what it proposes, and its budget.

The budget is typed once, by partner, cost category and project year, in the partner's own
currency. Everything else (indirect costs, conversions, totals, the grant requested, the
co-financing rate) is computed by ``grants.budget`` and never stored, so it cannot disagree
with the lines it comes from.
"""

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Country, Organisation, Person
from liaison.portfolio.models import Project, Theme, Typology

from .calls import AMOUNT, MAX_AMOUNT, PERCENT, PERCENT_RANGE, Call, Lot


def validate_currency(code: str):
    if not pycountry.currencies.get(alpha_3=(code or "").upper()):
        raise ValidationError(
            _("%(code)s is not a currency code (ISO 4217, for example EUR, RSD, TRY, GEL)."),
            params={"code": code},
        )


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CLARIFICATION = "clarification", _("Clarification requested")
    INELIGIBLE = "ineligible", _("Ineligible")
    UNDER_REVIEW = "under_review", _("Under review")
    SELECTED = "selected", _("Selected")
    RESERVE = "reserve", _("Reserve")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The statuses in which the consortium may still change what it proposes.
EDITABLE = {ApplicationStatus.DRAFT}


class ApplicationQuerySet(models.QuerySet):
    def of_consortium(self, user):
        """The applications ``user`` started or contributes to as a partner's contact."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        contributed = Partner.objects.filter(contact__user=user).values("application")
        return self.filter(Q(created_by=user) | Q(pk__in=contributed))

    def visible_to(self, user):
        """Liaison's staff read every application; a consortium reads its own; a reviewer reads
        those assigned to them once they declared no conflict of interest with it. Whoever
        declared a conflict of interest with an application never reads it, staff included."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        from .review import Assignment, ConflictStatus

        assigned = Assignment.objects.filter(reviewer=user)
        if user.is_liaison_staff:
            readable = self
        else:
            reviewing = assigned.filter(conflict=ConflictStatus.NONE).values("application")
            readable = self.of_consortium(user) | self.filter(pk__in=reviewing)
        declared = assigned.filter(conflict=ConflictStatus.CONFLICT).values("application")
        return readable.exclude(pk__in=declared)

    def for_list(self):
        return self.select_related("call", "lot", "lead__country")


class Application(models.Model):
    """A consortium's proposal to one lot of a call."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    lot = models.ForeignKey(
        Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="applications"
    )
    number = models.PositiveIntegerField(_("number"), editable=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    # Denormalised from the lead partner so lists filter and sort on it without a join.
    lead = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    summary = models.TextField(_("project summary"), blank=True)
    objective = models.TextField(_("overall objective"), blank=True)
    expected_results = models.TextField(
        _("expected results"),
        blank=True,
        help_text=_("One result per line; each becomes a component of the project if funded."),
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    target_countries = models.ManyToManyField(
        Country, verbose_name=_("target countries"), blank=True, related_name="+"
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="+")
    typologies = models.ManyToManyField(
        Typology, verbose_name=_("partnership typologies"), blank=True, related_name="+"
    )
    risks = models.TextField(_("risks and how they are met"), blank=True)
    indirect_rate = models.DecimalField(
        _("indirect costs (% of direct costs)"),
        **PERCENT,
        default=0,
        validators=PERCENT_RANGE,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    # The version of the call's own form it is written on (see ``form.py``).
    form_version = models.ForeignKey(
        "grants.FormVersion",
        verbose_name=_("form version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # What was submitted, as the receipt's hash was computed over it (see services.submit).
    submitted_content = models.JSONField(_("content submitted"), null=True, blank=True)
    receipt_hash = models.CharField(_("receipt hash (SHA-256)"), max_length=64, blank=True)
    # Why the application was set aside (the notice the applicant receives).
    ineligibility_reason = models.TextField(_("why it is not eligible"), blank=True)
    # The project an award made of it; one application makes at most one project.
    project = models.OneToOneField(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="application",
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="one_application_number"),
        ]

    def __str__(self):
        return f"{self.reference} – {self.acronym or self.title}"

    def get_absolute_url(self):
        return reverse("grants:application", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"{self.call.reference}-{self.number:04d}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    def results_list(self) -> list[str]:
        return [line.strip() for line in self.expected_results.splitlines() if line.strip()]


class PartnerRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    PARTNER = "partner", _("Partner")


class Partner(models.Model):
    """An organisation of the consortium, budgeting in its own currency."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="partners",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="grant_partnerships",
    )
    role = models.CharField(
        _("role"), max_length=10, choices=PartnerRole.choices, default=PartnerRole.PARTNER
    )
    contact = models.ForeignKey(
        Person,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grant_partnerships",
        help_text=_("Who writes this partner's part; with an account, they may edit it."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", validators=[validate_currency]
    )
    co_financing = models.DecimalField(
        _("co-financing (in the partner's currency)"),
        **AMOUNT,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["application", "role", "pk"]  # "lead" < "partner": the lead comes first
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation"], name="one_partnership_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["application"], condition=Q(role="lead"), name="one_lead_per_application"
            ),
            models.CheckConstraint(
                condition=Q(co_financing__gte=0), name="co_financing_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class CostCategory(models.TextChoices):
    """Direct costs; indirect costs are a rate of them, never typed."""

    STAFF = "staff", _("Staff")
    TRAVEL = "travel", _("Travel and subsistence")
    EQUIPMENT = "equipment", _("Equipment")
    SERVICES = "services", _("External services")
    OTHER = "other", _("Other costs")


class BudgetLine(models.Model):
    """What one partner plans to spend on one category in one project year."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="lines"
    )
    category = models.CharField(_("cost category"), max_length=20, choices=CostCategory.choices)
    year = models.PositiveSmallIntegerField(
        _("project year"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(
        _("amount (in the partner's currency)"),
        **AMOUNT,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
    )

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["partner", "year", "category", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_category_display()}, {self.year}: {self.amount}"


class Activity(models.Model):
    """A line of the work plan: what is done, by which partner, from which month to which."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("activity"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("led by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    start_month = models.PositiveSmallIntegerField(
        _("from month"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    end_month = models.PositiveSmallIntegerField(
        _("to month"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("work plan")
        ordering = ["application", "number", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_month__gte=models.F("start_month")),
                name="activity_ends_after_it_starts",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"
