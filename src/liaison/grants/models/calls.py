"""Calls for proposals, their lots and the rules an application must meet.

A call's dates are instants (stored in UTC) that were typed in the call's own time zone: the
deadline is the same second for an applicant in Tbilisi and one in Lisbon, and every page says
it in the call's zone. Money is in the call's currency; partners budget in their own, converted
at the rates the call fixes on one date, so that no total moves after the call opens.
"""

from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.core.revisions import Revised
from liaison.directory.models import Country, OrganisationType, Region
from liaison.portfolio.models import Facility, Instrument

# The largest amount anybody types: above it a figure is a typing mistake, not a budget.
MAX_AMOUNT = Decimal("999999999999.99")
AMOUNT = {"max_digits": 14, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}
PERCENT_RANGE = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class CallStatus(models.TextChoices):
    """Where a call stands today, from its dates (never stored)."""

    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CallQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def visible_to(self, user):
        """The secretariat reads drafts too; everyone else reads published calls."""
        if getattr(user, "is_liaison_staff", False):
            return self
        return self.published()

    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gte=now)

    def upcoming(self, now=None):
        return self.filter(opens_at__gt=now or timezone.now())

    def closed(self, now=None):
        return self.filter(closes_at__lt=now or timezone.now())


class Call(Revised):
    """A call for proposals of a facility, open between two instants of its own time zone.

    ``sequence`` counts the changes to what its deadline's calendar entry shows
    (``core.revisions``)."""

    revised_fields = ("facility", "title", "closes_at", "timezone")

    facility = models.ForeignKey(
        Facility,
        verbose_name=_("facility or programme"),
        on_delete=models.PROTECT,
        related_name="calls",
    )
    reference = models.SlugField(
        _("reference"),
        max_length=40,
        unique=True,
        help_text=_("A short code that numbers the call's applications, for example MPF-2027-1."),
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens"), db_index=True)
    closes_at = models.DateTimeField(
        _("deadline"),
        db_index=True,
        help_text=_("The last second at which an application is accepted."),
    )
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Brussels")
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", help_text=_("The currency of every total.")
    )
    rates_fixed_on = models.DateField(
        _("exchange rates fixed on"),
        null=True,
        blank=True,
        help_text=_("The date of the rates at which partners' budgets are converted."),
    )
    indirect_rate = models.DecimalField(
        _("indirect costs, at most (% of direct costs)"),
        **PERCENT,
        default=Decimal("7"),
        validators=PERCENT_RANGE,
    )
    # Who may lead and who may partner. An empty list or set means "anybody".
    lead_regions = models.JSONField(_("regions a lead may come from"), default=list, blank=True)
    lead_countries = models.ManyToManyField(
        Country, verbose_name=_("countries a lead may come from"), blank=True, related_name="+"
    )
    lead_types = models.JSONField(
        _("kinds of organisation that may lead"), default=list, blank=True
    )
    partner_regions = models.JSONField(
        _("regions a partner may come from"), default=list, blank=True
    )
    partner_countries = models.ManyToManyField(
        Country, verbose_name=_("countries a partner may come from"), blank=True, related_name="+"
    )
    partner_types = models.JSONField(
        _("kinds of organisation that may partner"), default=list, blank=True
    )
    min_member_state_partners = models.PositiveSmallIntegerField(
        _("at least this many organisations from EU Member States"), default=0
    )
    min_partner_country_partners = models.PositiveSmallIntegerField(
        _("at least this many organisations from partner countries"), default=0
    )
    reviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewers"),
        blank=True,
        related_name="calls_to_review",
        help_text=_("Staff or external experts who may be assigned this call's applications."),
    )
    reviews_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=2, validators=[MinValueValidator(1)]
    )
    pass_mark = models.DecimalField(
        _("lowest consolidated score to be funded"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
    )
    disagreement_rate = models.DecimalField(
        _("flag reviewers' disagreement above (% of the score range)"),
        **PERCENT,
        default=Decimal("30"),
        validators=PERCENT_RANGE,
    )
    published = models.BooleanField(_("published"), default=False, db_index=True)
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

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        ordering = ["-closes_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_it_opens"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("grants:call", args=[self.reference])

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def status(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return CallStatus.UPCOMING
        if now > self.closes_at:
            return CallStatus.CLOSED
        return CallStatus.OPEN

    def get_status_display(self):
        return CallStatus(self.status()).label

    def accepts_submissions(self, now=None) -> bool:
        """Open to the second: the deadline's own second still counts, the next does not."""
        return self.status(now) == CallStatus.OPEN

    def local(self, moment):
        """``moment`` in the call's time zone, as the call announces it."""
        return timezone.localtime(moment, self.zone)

    def may_lead(self, organisation) -> tuple[bool, str]:
        return _eligible(
            organisation,
            self.lead_regions,
            self.lead_countries.all(),
            self.lead_types,
            _("lead"),
        )

    def may_partner(self, organisation) -> tuple[bool, str]:
        return _eligible(
            organisation,
            self.partner_regions,
            self.partner_countries.all(),
            self.partner_types,
            _("take part"),
        )


def _eligible(organisation, regions, countries, types, what) -> tuple[bool, str]:
    """Whether ``organisation`` meets a where-from and a what-kind rule, and why not."""
    country = organisation.country
    countries = list(countries)
    if regions or countries:
        in_region = country is not None and country.region in regions
        in_country = country is not None and country in countries
        if not (in_region or in_country):
            where = country.name if country else _("an unknown country")
            return False, _("%(organisation)s (%(country)s) may not %(what)s in this call.") % {
                "organisation": organisation.name,
                "country": where,
                "what": what,
            }
    if types and organisation.type not in types:
        return False, _("%(organisation)s is of a kind (%(kind)s) that may not %(what)s here.") % {
            "organisation": organisation.name,
            "kind": OrganisationType(organisation.type).label
            if organisation.type in OrganisationType.values
            else organisation.type,
            "what": what,
        }
    return True, ""


def region_label(code: str) -> str:
    return Region(code).label if code in Region.values else code


class Lot(models.Model):
    """A part of a call with its own money, instruments and limits."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="lots"
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    title = models.CharField(_("title"), max_length=300)
    instruments = models.ManyToManyField(
        Instrument, verbose_name=_("funding instruments"), related_name="lots"
    )
    envelope = models.DecimalField(_("envelope"), **AMOUNT)
    min_grant = models.DecimalField(_("smallest grant"), **AMOUNT, default=0)
    max_grant = models.DecimalField(_("largest grant"), **AMOUNT)
    max_duration_months = models.PositiveSmallIntegerField(
        _("longest duration (months)"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    min_co_financing_rate = models.DecimalField(
        _("co-financing, at least (% of the total)"),
        **PERCENT,
        default=Decimal("0"),
        validators=PERCENT_RANGE,
    )
    max_co_financing_rate = models.DecimalField(
        _("co-financing, at most (% of the total)"),
        **PERCENT,
        default=Decimal("100"),
        validators=PERCENT_RANGE,
    )

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="one_lot_number_per_call"),
            models.CheckConstraint(
                condition=Q(min_grant__gte=0)
                & Q(max_grant__gte=models.F("min_grant"))
                & Q(envelope__gte=models.F("max_grant")),
                name="lot_amounts_in_order",
            ),
            models.CheckConstraint(
                condition=Q(min_co_financing_rate__gte=0)
                & Q(max_co_financing_rate__lte=100)
                & Q(max_co_financing_rate__gte=models.F("min_co_financing_rate")),
                name="lot_co_financing_rates_in_order",
            ),
        ]

    def __str__(self):
        return _("Lot %(number)s: %(title)s") % {"number": self.number, "title": self.title}


class ExchangeRate(models.Model):
    """How many units of a currency make one unit of the call's currency, on the call's date."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="rates"
    )
    currency = models.CharField(_("currency"), max_length=3)
    rate = models.DecimalField(
        _("units for one of the call's currency"),
        max_digits=16,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
    )

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["call", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["call", "currency"], name="one_rate_per_currency"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="rate_positive"),
        ]

    def __str__(self):
        return f"1 {self.call.currency} = {self.rate} {self.currency}"


def call_document_path(document, filename: str) -> str:
    return f"grants/calls/{document.call_id}/{filename}"


class CallDocument(models.Model):
    """A document of the call (guidelines, templates), served only through the call's page."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=call_document_path, max_length=300)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("call document")
        verbose_name_plural = _("call documents")
        ordering = ["call", "title", "pk"]

    def __str__(self):
        return self.title


class CallQuestion(models.Model):
    """A question about the call and the secretariat's answer, published for every applicant
    alike (nobody gets an answer the others do not see)."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="questions"
    )
    question = models.TextField(_("question"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False, db_index=True)

    class Meta:
        verbose_name = _("question about the call")
        verbose_name_plural = _("questions about the call")
        ordering = ["call", "asked_at", "pk"]

    def __str__(self):
        return self.question[:80]
