"""Totals, values to date and achievement, computed from the stored cells.

Nothing here is stored: a total is always the sum of its cells, so it cannot disagree with
them. Functions take plain numbers where they can, so the rules are tested without a database.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from .models import Accumulation, Indicator, ReportingPeriod, Target, Unit, Value

HUNDRED = Decimal(100)


def rate(numerator, denominator) -> Decimal | None:
    """A percentage from summed parts; unknown when nothing was counted."""
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(
        Decimal("0.1"), ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Amount:
    """A total: the summed values, and for percentages the summed denominators."""

    value: Decimal | None = None
    denominator: Decimal | None = None

    def shown(self, unit: str) -> Decimal | None:
        """The number a person reads: the count, or the rate for a percentage."""
        if unit == Unit.PERCENTAGE:
            return rate(self.value, self.denominator)
        return self.value

    @property
    def empty(self) -> bool:
        return self.value is None

    def __add__(self, other: "Amount") -> "Amount":
        if other.empty:
            return self
        if self.empty:
            return other
        denominator = None
        if self.denominator is not None or other.denominator is not None:
            denominator = (self.denominator or 0) + (other.denominator or 0)
        return Amount(self.value + other.value, denominator)


def total(cells) -> Amount:
    """The sum of cells given as ``(value, denominator)`` pairs."""
    result = Amount()
    for value, denominator in cells:
        denominator = None if denominator is None else Decimal(denominator)
        result = result + Amount(Decimal(value), denominator)
    return result


def to_date(accumulation: str, by_period: list[Amount]) -> Amount:
    """The value to date from the periods' totals, oldest first.

    Incremental values add up; cumulative and latest values are read from the latest period
    that has one."""
    if accumulation == Accumulation.INCREMENTAL:
        result = Amount()
        for amount in by_period:
            result = result + amount
        return result
    for amount in reversed(by_period):
        if not amount.empty:
            return amount
    return Amount()


def in_period(accumulation: str, by_period: list[Amount], index: int) -> Amount:
    """What happened in one period. For a cumulative indicator it is the difference between
    the running total reported then and the one reported before."""
    amount = by_period[index]
    if accumulation != Accumulation.CUMULATIVE or amount.empty or amount.denominator is not None:
        return amount
    earlier = to_date(Accumulation.CUMULATIVE, by_period[:index])
    return Amount(amount.value - (earlier.value or 0))


def achievement(actual, target, baseline=None) -> Decimal | None:
    """How far from the baseline towards the target the actual value has come, in percent.

    Works both ways: for a lower-is-better indicator the target is below the baseline, and
    falling towards it counts as progress."""
    if actual is None or target is None:
        return None
    start = Decimal(baseline) if baseline is not None else Decimal(0)
    distance = Decimal(target) - start
    if distance == 0:
        return HUNDRED if Decimal(actual) == Decimal(target) else None
    return ((Decimal(actual) - start) * HUNDRED / distance).quantize(Decimal("1"), ROUND_HALF_UP)


@dataclass
class Row:
    """One indicator's line in a report of one period."""

    indicator: Indicator
    target: Decimal | None = None
    actual: Decimal | None = None
    to_date: Decimal | None = None
    by_period: dict = field(default_factory=dict)

    @property
    def baseline(self):
        return self.indicator.baseline_value

    @property
    def end_target(self):
        return self.indicator.end_target

    @property
    def achieved(self) -> Decimal | None:
        """The period's actual against the period's target."""
        return achievement(self.actual, self.target, self._baseline_for_period())

    @property
    def achieved_to_date(self) -> Decimal | None:
        return achievement(self.to_date, self.end_target, self._baseline_for_period())

    def _baseline_for_period(self):
        # Incremental counts start from nothing each period; a level starts from its baseline.
        if self.indicator.accumulation == Accumulation.INCREMENTAL:
            return None
        return self.baseline


def period_totals(indicators, periods) -> dict[tuple[int, int], Amount]:
    """``{(indicator id, period id): Amount}`` in one query."""
    rows = (
        Value.objects.filter(indicator__in=indicators, period__in=periods)
        .values("indicator", "period")
        .annotate(value=Sum("value"), denominator=Sum("denominator"))
    )
    return {(r["indicator"], r["period"]): Amount(r["value"], r["denominator"]) for r in rows}


def table(project, period: ReportingPeriod | None = None) -> list[Row]:
    """The indicator table of a project up to and including ``period`` (all periods if none),
    in a fixed number of queries whatever the number of indicators, periods and cells."""
    periods = list(ReportingPeriod.objects.filter(project=project).order_by("starts_on", "id"))
    if period is not None:
        periods = [p for p in periods if p.starts_on <= period.starts_on]
    indicators = list(
        Indicator.objects.filter(project=project)
        .select_related("result")
        .order_by("result__code", "code", "order", "id")
    )
    totals = period_totals(indicators, periods)
    targets = {
        (t.indicator_id, t.period_id): t.value
        for t in Target.objects.filter(indicator__in=indicators, period__in=periods)
    }
    rows = []
    for indicator in indicators:
        amounts = [totals.get((indicator.pk, p.pk), Amount()) for p in periods]
        row = Row(indicator)
        for index, p in enumerate(periods):
            row.by_period[p.pk] = in_period(indicator.accumulation, amounts, index).shown(
                indicator.unit
            )
        row.to_date = to_date(indicator.accumulation, amounts).shown(indicator.unit)
        if periods:
            # Compared with the period's target: what was reported for the period (for a
            # cumulative indicator the running total, not the difference in ``by_period``).
            last = periods[-1]
            row.actual = amounts[-1].shown(indicator.unit)
            row.target = targets.get((indicator.pk, last.pk))
        rows.append(row)
    return rows


def breakdown(indicator: Indicator, period: ReportingPeriod | None = None) -> dict[str, dict]:
    """The indicator's total by each of its dimensions: ``{"sex": {"female": Decimal, …}, …}``.

    For cumulative and latest indicators the breakdown is of the latest period with values (or
    of ``period``); for incremental ones the sum over periods up to ``period``."""
    values = Value.objects.filter(indicator=indicator)
    if period is not None:
        values = values.filter(period__starts_on__lte=period.starts_on)
        if indicator.accumulation != Accumulation.INCREMENTAL:
            values = values.filter(period=period)
    elif indicator.accumulation != Accumulation.INCREMENTAL:
        latest = values.order_by("-period__starts_on").values_list("period", flat=True).first()
        values = values.filter(period=latest)
    result = {}
    for dimension in indicator.dimensions:
        parts = defaultdict(Amount)
        for row in values.values(dimension).annotate(v=Sum("value"), d=Sum("denominator")):
            parts[row[dimension]] = parts[row[dimension]] + Amount(row["v"], row["d"])
        result[dimension] = {key: amount.shown(indicator.unit) for key, amount in parts.items()}
    return result


@dataclass
class Crosstab:
    """Cells laid out as a table: row, column and grand totals, all summed from the cells."""

    rows: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)
    grand: Amount = field(default_factory=Amount)


def crosstab(cells: dict, row_of, column_of) -> Crosstab:
    """Totals of ``{cell: (value, denominator)}`` by ``row_of(cell)`` and ``column_of(cell)``."""
    by_row, by_column = defaultdict(list), defaultdict(list)
    for cell, amount in cells.items():
        by_row[row_of(cell)].append(amount)
        by_column[column_of(cell)].append(amount)
    return Crosstab(
        rows={key: total(amounts) for key, amounts in by_row.items()},
        columns={key: total(amounts) for key, amounts in by_column.items()},
        grand=total(cells.values()),
    )


def series(indicator: Indicator, periods: list, totals: dict, targets: dict) -> list[dict]:
    """Per period, oldest first: the target, the actual in the period and to date.

    ``totals`` and ``targets`` are keyed by period id, as ``period_totals`` gives them."""
    amounts = [totals.get(p.pk, Amount()) for p in periods]
    return [
        {
            "period": period,
            "target": targets.get(period.pk),
            "total": amounts[index],
            "in_period": in_period(indicator.accumulation, amounts, index).shown(indicator.unit),
            "to_date": to_date(indicator.accumulation, amounts[: index + 1]).shown(indicator.unit),
        }
        for index, period in enumerate(periods)
    ]
