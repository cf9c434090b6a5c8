"""The secretariat's figures of one call: where its applications stand, the money asked
against each lot's envelope, where the leads come from, how far the reviewers are, and how
many succeed once decided.

Everything is computed from a fixed number of queries whatever the number of applications:
the counts by aggregation, the money from the budget lines prefetched once (the grant asked is
computed, never stored, so it is derived here exactly as on each application's page).
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q

from . import budget
from .models import Application, ApplicationStatus, Assignment, Partner

ZERO = Decimal("0.00")
# Applications no longer in the race do not count against an envelope.
NOT_COUNTED = {ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN, ApplicationStatus.INELIGIBLE}
DECIDED = {ApplicationStatus.SELECTED, ApplicationStatus.RESERVE, ApplicationStatus.REJECTED}


@dataclass
class LotFigures:
    lot: object
    applications: int = 0
    requested: Decimal = ZERO  # grant asked by applications still in the race
    selected: int = 0
    decided: int = 0

    @property
    def ratio(self) -> Decimal | None:
        """How many times over the envelope is asked for."""
        if not self.lot.envelope:
            return None
        return (self.requested / self.lot.envelope).quantize(Decimal("0.01"))

    @property
    def success_rate(self) -> Decimal | None:
        if not self.decided:
            return None
        return (Decimal(self.selected) * 100 / self.decided).quantize(Decimal("0.1"))


@dataclass
class CallFigures:
    call: object
    total: int = 0
    by_status: list = field(default_factory=list)  # (status, label, count)
    lots: list = field(default_factory=list)
    by_country: list = field(default_factory=list)  # (country name, count)
    reviews: dict = field(default_factory=dict)
    reviewers: list = field(default_factory=list)  # (name, assigned, submitted)


def figures(call) -> CallFigures:
    applications = list(
        Application.objects.filter(call=call)
        .select_related("call", "lead__country")
        .prefetch_related(Prefetch("partners", queryset=Partner.objects.prefetch_related("lines")))
    )
    rates = budget.rates_of(call)
    result = CallFigures(call=call, total=len(applications))
    statuses = Counter(a.status for a in applications)
    result.by_status = [
        (value, label, statuses[value]) for value, label in ApplicationStatus.choices
    ]
    lots = {lot.pk: LotFigures(lot=lot) for lot in call.lots.all()}
    countries = Counter()
    for application in applications:
        row = lots.get(application.lot_id)
        if row is None:
            continue
        row.applications += 1
        if application.status not in NOT_COUNTED:
            grant = budget.compute(
                application, partners=application.partners.all(), rates=rates
            ).grant
            row.requested += grant
            country = application.lead.country if application.lead else None
            countries[country.name if country else "–"] += 1
        if application.status in DECIDED:
            row.decided += 1
            row.selected += application.status == ApplicationStatus.SELECTED
    result.lots = list(lots.values())
    result.by_country = countries.most_common()
    assignments = Assignment.objects.filter(application__call=call)
    result.reviews = assignments.aggregate(
        assigned=Count("pk"),
        declared=Count("pk", filter=~Q(conflict="undeclared")),
        conflicts=Count("pk", filter=Q(conflict="conflict")),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
    )
    result.reviewers = list(
        assignments.values("reviewer__first_name", "reviewer__last_name", "reviewer__username")
        .annotate(assigned=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
        .order_by("reviewer__last_name", "reviewer__username")
    )
    return result
