"""The ranking of a lot: computed from the consolidated scores, never stored until the committee
decides (``award.decide`` then keeps each application's place in an ``Outcome``).

Who is in it: the lot's applications under review. Those without a consolidated score are
listed as not yet scored and hold the decision back. Those scoring below the call's pass mark,
or below the minimum of any criterion (``Consolidation.passed_thresholds``), are out, each with
its reason, and take no rank: a proposal that fails a threshold is not ranked, whatever its
total.

The rest are ranked by consolidated total, highest first. Equal totals share a rank (1, 2, 2,
4) and are marked as a tie so the committee sees it; within a tie the earlier submission comes
first, which is the call's only neutral order.

The envelope is drawn down the list in strict order: each application takes its requested
grant while it fits; the first that does not fit, and every one after it, goes to the reserve.
Nothing lower is pulled up to use what is left, because that would fund a weaker proposal ahead
of a stronger one only for asking less, and applicants were told they compete on merit; what
is left stays in the lot, for the first reserve if a selected project falls through, or for the
committee to decide on with its reasons written down. A tie that the envelope line cuts through
(the first of the tie fits, the whole tie does not) is not settled by submission time, which
says nothing of merit: the whole tie goes to the reserve and is flagged for the committee.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .budget import ZERO, compute, rates_of
from .models import Application, ApplicationStatus, Consolidation, Decision, Partner

SELECTED = ApplicationStatus.SELECTED
RESERVE = ApplicationStatus.RESERVE
REJECTED = ApplicationStatus.REJECTED
UNSCORED = "unscored"

LABELS = {
    SELECTED: gettext_lazy("Selected"),
    RESERVE: gettext_lazy("Reserve"),
    REJECTED: gettext_lazy("Rejected"),
    UNSCORED: gettext_lazy("Not yet scored"),
}


@dataclass
class Row:
    """One application's place: its score, the grant it asks, and what the ranking proposes."""

    application: Application
    total: Decimal | None
    grant: Decimal
    outcome: str = UNSCORED
    rank: int | None = None
    reason: str = ""
    tie: bool = False  # shares its total with another ranked application
    at_line: bool = False  # a tie the envelope line cuts through: all in reserve, flagged
    cumulative: Decimal | None = None  # requested grants down the list to this row
    awarded: Decimal | None = None  # the grant a recorded decision gave it

    @property
    def outcome_label(self) -> str:
        return str(LABELS[self.outcome])

    @property
    def lead(self):
        return self.application.lead


@dataclass
class Ranking:
    lot: object
    rows: list[Row] = field(default_factory=list)
    decision: Decision | None = None

    @property
    def envelope(self) -> Decimal:
        return self.lot.envelope

    @property
    def currency(self) -> str:
        return self.lot.call.currency

    def of(self, outcome) -> list[Row]:
        return [row for row in self.rows if row.outcome == outcome]

    @property
    def ranked(self) -> list[Row]:
        return [row for row in self.rows if row.rank is not None]

    @property
    def unscored(self) -> list[Row]:
        return self.of(UNSCORED)

    @property
    def allocated(self) -> Decimal:
        return sum((row.grant for row in self.of(SELECTED)), ZERO)

    @property
    def remaining(self) -> Decimal:
        return self.envelope - self.allocated

    @property
    def ties_at_line(self) -> list[Row]:
        return [row for row in self.rows if row.at_line]


def consolidation_of(application) -> Consolidation | None:
    try:
        return application.consolidation
    except Consolidation.DoesNotExist:
        return None


def out_reason(total, passed_thresholds: bool, pass_mark) -> str:
    """Why a scored application is out (empty when it is not): the applicant's letter says the
    same as the ranking page."""
    reasons = []
    if not passed_thresholds:
        reasons.append(_("It scored below the minimum on at least one criterion."))
    if pass_mark is not None and total < pass_mark:
        reasons.append(
            _("Its score, %(total)s, is below the pass mark of %(mark)s.")
            % {"total": total, "mark": pass_mark}
        )
    return " ".join(reasons)


def applications_of(lot):
    """Everything a ranking reads, in a fixed number of queries whatever the number of rows."""
    partners = Partner.objects.select_related("organisation__country").prefetch_related("lines")
    return (
        Application.objects.filter(lot=lot)
        .select_related("call", "lot", "lead__country", "consolidation", "created_by")
        .prefetch_related(Prefetch("partners", queryset=partners))
    )


def _order(row: Row):
    submitted = row.application.submitted_at
    return (-(row.total or ZERO), submitted is None, submitted, row.application.number)


def draw(rows: list[Row], envelope: Decimal) -> list[Row]:
    """Rank ``rows`` (each passed its thresholds) and draw ``envelope`` down them in strict
    order, as the module's note says. Returns the rows in ranked order."""
    rows = sorted(rows, key=_order)
    remaining, crossed, cumulative, position = envelope, False, ZERO, 0
    for _total, tied in groupby(rows, key=lambda row: row.total):
        tied = list(tied)
        rank = position + 1
        position += len(tied)
        need = sum((row.grant for row in tied), ZERO)
        straddles = False
        if not crossed and need <= remaining:
            outcome = SELECTED
            remaining -= need
        else:
            # The line falls inside the tie when its first application would still fit.
            straddles = not crossed and len(tied) > 1 and tied[0].grant <= remaining
            crossed = True
            outcome = RESERVE
        for row in tied:
            cumulative += row.grant
            row.rank, row.outcome, row.cumulative = rank, outcome, cumulative
            row.tie = len(tied) > 1
            row.at_line = straddles
    return rows


def _row(application, rates) -> Row:
    budget = compute(application, partners=application.partners.all(), rates=rates)
    consolidation = consolidation_of(application)
    return Row(
        application=application,
        total=consolidation.total if consolidation else None,
        grant=budget.grant,
    )


def propose(lot) -> Ranking:
    """The ranking the committee would decide on now: under review, scored, drawn."""
    applications = list(applications_of(lot).filter(status=ApplicationStatus.UNDER_REVIEW))
    rates = rates_of(lot.call)
    rows = [_row(application, rates) for application in applications]
    passing, out, unscored = [], [], []
    for row in rows:
        consolidation = consolidation_of(row.application)
        if consolidation is None:
            unscored.append(row)
            continue
        row.reason = out_reason(
            consolidation.total, consolidation.passed_thresholds, lot.call.pass_mark
        )
        if row.reason:
            row.outcome = REJECTED
            out.append(row)
        else:
            passing.append(row)
    out.sort(key=_order)
    unscored.sort(key=lambda row: row.application.number)
    return Ranking(lot=lot, rows=draw(passing, lot.envelope) + out + unscored)


def recorded(decision: Decision) -> Ranking:
    """The ranking as the committee decided it, from the stored outcomes (scores and ranks as
    they stood that day), with the grants requested for the reserve list."""
    lot = decision.lot
    outcomes = {o.application_id: o for o in decision.outcomes.all()}
    applications = applications_of(lot).filter(pk__in=list(outcomes))
    rates = rates_of(lot.call)
    rows = []
    for application in applications:
        outcome = outcomes[application.pk]
        row = _row(application, rates)
        row.total, row.rank, row.outcome = outcome.score, outcome.rank, outcome.status
        row.awarded = outcome.grant
        if outcome.status == SELECTED and outcome.grant is not None:
            row.grant = outcome.grant
        if outcome.status == REJECTED:
            consolidation = consolidation_of(application)
            row.reason = out_reason(
                outcome.score,
                consolidation.passed_thresholds if consolidation else True,
                lot.call.pass_mark,
            )
        rows.append(row)
    ranks = [row.rank for row in rows if row.rank is not None]
    rows.sort(key=lambda row: (row.rank is None, row.rank or 0, _order(row)))
    cumulative = ZERO
    for row in rows:
        if row.rank is not None:
            cumulative += row.grant
            row.cumulative = cumulative
            row.tie = ranks.count(row.rank) > 1
    return Ranking(lot=lot, rows=rows, decision=decision)


def ranking_of(lot) -> Ranking:
    """The recorded ranking once the lot is decided, else the proposed one."""
    decision = Decision.objects.filter(lot=lot).select_related("lot__call").first()
    return recorded(decision) if decision else propose(lot)
