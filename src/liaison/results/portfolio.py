"""Portfolio results: the core indicators summed over the projects that report on them.

Each project's indicator linked to a core indicator gives its value to date by the rules of
``figures`` (incremental values add up over periods; cumulative and latest values are read from
the latest period that has one), and those values add up across projects. The breakdowns by
sex, country and institution type follow the same rule per indicator, and cells an indicator
is not broken down by are counted as "not broken down", so every breakdown adds up to the total.

The number of queries is fixed whatever the number of projects, indicators and values.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import OrganisationType
from liaison.events.models import Sex
from liaison.portfolio.filters import ProjectFilter

from . import figures
from .figures import Amount
from .models import Accumulation, CoreIndicator, Dimension, Indicator, ReportingPeriod, Value

NOT_BROKEN_DOWN = _("Not broken down")
# How each dimension's key reads in ``Value.values()`` and how it is labelled.
DIMENSION_KEYS = {
    Dimension.SEX: "sex",
    Dimension.COUNTRY: "country__name",
    Dimension.INSTITUTION_TYPE: "institution_type",
}
LABELS = {
    Dimension.SEX: dict(Sex.choices),
    Dimension.INSTITUTION_TYPE: dict(OrganisationType.choices),
}


class ResultsFilter(ProjectFilter):
    """The project list's filters by country, funding instrument and typology, nothing else."""

    FIELDS = ("country", "instrument", "typology")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.filters):
            if name not in self.FIELDS:
                del self.filters[name]


@dataclass
class Contribution:
    """One project's indicator counted in a core indicator."""

    indicator: Indicator
    amount: Amount

    @property
    def project(self):
        return self.indicator.project

    @property
    def value(self):
        return self.amount.shown(self.indicator.unit)


@dataclass
class CoreTotal:
    core: CoreIndicator
    amount: Amount = field(default_factory=Amount)
    contributions: list[Contribution] = field(default_factory=list)
    breakdowns: dict = field(default_factory=dict)

    @property
    def value(self):
        return self.amount.shown(self.core.unit)

    @property
    def projects(self) -> int:
        return len({c.indicator.project_id for c in self.contributions})

    def rows(self, dimension: str) -> list[tuple[str, object]]:
        """A breakdown as ``(label, value)`` rows, largest first, "not broken down" last."""
        parts = self.breakdowns.get(dimension, {})
        labels = LABELS.get(dimension, {})
        rows = [
            (labels.get(key, key), amount.shown(self.core.unit))
            for key, amount in parts.items()
            if key
        ]
        rows.sort(key=lambda row: (-(row[1] or 0), str(row[0])))
        if parts.get(""):
            rows.append((NOT_BROKEN_DOWN, parts[""].shown(self.core.unit)))
        return rows

    @property
    def tables(self) -> list[tuple[str, str, list]]:
        return [(d, Dimension(d).label, self.rows(d)) for d in Dimension.values]


def _periods_by_project(projects) -> dict[int, list[ReportingPeriod]]:
    result = defaultdict(list)
    for period in ReportingPeriod.objects.filter(project__in=projects).order_by("starts_on", "pk"):
        result[period.project_id].append(period)
    return result


def _counted_periods(indicator, periods, totals) -> list[int]:
    """The periods whose cells make up the value to date: all of them for an incremental
    indicator, otherwise the latest with a value (as ``figures.to_date`` reads it)."""
    with_values = [p.pk for p in periods if (indicator.pk, p.pk) in totals]
    if indicator.accumulation == Accumulation.INCREMENTAL:
        return with_values
    return with_values[-1:]


def _cells(indicators, periods, dimension) -> dict[tuple[int, int], list[tuple]]:
    key = DIMENSION_KEYS[dimension]
    rows = (
        Value.objects.filter(indicator__in=indicators, period__in=periods)
        .values("indicator", "period", key)
        .annotate(value=Sum("value"), denominator=Sum("denominator"))
        .order_by()
    )
    cells = defaultdict(list)
    for row in rows:
        cells[(row["indicator"], row["period"])].append(
            (row[key] or "", Amount(row["value"], row["denominator"]))
        )
    return cells


def core_totals(projects) -> list[CoreTotal]:
    """Every core indicator with its total over ``projects`` (a Project queryset), the
    contributing projects' values to date and the breakdowns, in seven queries."""
    cores = list(CoreIndicator.objects.order_by("order", "name"))
    indicators = list(
        Indicator.objects.filter(core__isnull=False, project__in=projects)
        .select_related("project")
        .order_by("project__title", "code", "pk")
    )
    periods_of = _periods_by_project({i.project_id for i in indicators})
    periods = [p for ps in periods_of.values() for p in ps]
    totals = figures.period_totals(indicators, periods)
    cells = {d: _cells(indicators, periods, d) for d in Dimension.values}

    by_core = {core.pk: CoreTotal(core) for core in cores}
    for indicator in indicators:
        own = periods_of.get(indicator.project_id, [])
        amounts = [totals.get((indicator.pk, p.pk), Amount()) for p in own]
        amount = figures.to_date(indicator.accumulation, amounts)
        if amount.empty:
            continue
        entry = by_core[indicator.core_id]
        entry.amount = entry.amount + amount
        entry.contributions.append(Contribution(indicator, amount))
        counted = _counted_periods(indicator, own, totals)
        for dimension in Dimension.values:
            parts = entry.breakdowns.setdefault(dimension, defaultdict(Amount))
            for period_pk in counted:
                for key, part in cells[dimension].get((indicator.pk, period_pk), []):
                    parts[key] = parts[key] + part
    return list(by_core.values())
