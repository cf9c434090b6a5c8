"""Actual values of an indicator in a period, kept at the finest cell of its dimensions.

A cell is ``(sex, country id, institution type)``; a dimension the indicator is not broken
down by stays empty (``""`` or ``None``). People type cells only: every total is computed from
them by ``figures``. Changing a value already entered needs a reason, and every changed cell is
written to the audit trail with its old and new value.
"""

import itertools
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.directory.models import Country, OrganisationType
from liaison.events.models import Sex

from .. import permissions
from ..models import Accumulation, Dimension, Direction, Indicator, ReportingPeriod, Unit, Value
from . import ResultsError, require

Cell = tuple[str, int | None, str]
LIMIT = Decimal("1e12")  # what fits the values' 14 digits with 2 decimals


@dataclass
class Grid:
    """The cells an indicator's values are entered in: the product of its dimensions' values
    (sex, the project's countries, institution types)."""

    indicator: Indicator
    sexes: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    types: list = field(default_factory=list)
    # Countries counted by Liaison outside the project's own (a trainee from elsewhere).
    other_countries: list = field(default_factory=list)

    @property
    def dimensions(self) -> list[str]:
        return self.indicator.dimensions

    def cells(self) -> list[Cell]:
        return list(
            itertools.product(
                [value for value, _label in self.sexes],
                [c.pk if c else None for c in self.countries],
                [value for value, _label in self.types],
            )
        )

    def labels(self, cell: Cell) -> list[str]:
        """The names of a cell's dimension values, in the order of its dimensions."""
        sex, country, kind = cell
        names = {
            Dimension.SEX: dict(Sex.choices).get(sex, _("Not stated")),
            Dimension.COUNTRY: self.country_names.get(country, _("Not stated")),
            Dimension.INSTITUTION_TYPE: dict(OrganisationType.choices).get(kind, _("Not stated")),
        }
        return [str(names[d]) for d in self.dimensions]

    def label(self, cell: Cell) -> str:
        return " · ".join(self.labels(cell)) or str(_("Total"))

    @property
    def country_names(self) -> dict:
        return {c.pk: c.name for c in [*self.countries, *self.other_countries] if c}


def grid(indicator: Indicator) -> Grid:
    """One query for the project's countries when the indicator is broken down by country."""
    dimensions = indicator.dimensions
    return Grid(
        indicator,
        sexes=list(Sex.choices) if Dimension.SEX in dimensions else [("", "")],
        countries=list(Country.objects.filter(projects=indicator.project_id).order_by("name"))
        if Dimension.COUNTRY in dimensions
        else [None],
        types=list(OrganisationType.choices)
        if Dimension.INSTITUTION_TYPE in dimensions
        else [("", "")],
    )


def cells_of(indicator: Indicator, period: ReportingPeriod) -> dict[Cell, tuple]:
    """The stored cells of one period: ``{cell: (value, denominator)}``."""
    return {
        v.cell(): (v.value, v.denominator)
        for v in Value.objects.filter(indicator=indicator, period=period)
    }


def _number(raw, what) -> Decimal:
    try:
        number = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as error:
        raise ResultsError(_("%(what)s is not a number.") % {"what": what}) from error
    if not number.is_finite() or abs(number) >= LIMIT:
        raise ResultsError(_("%(what)s is not a number we can keep.") % {"what": what})
    if number < 0:
        raise ResultsError(_("%(what)s cannot be negative.") % {"what": what})
    return number.quantize(Decimal("0.01"))


def clean_cells(indicator: Indicator, the_grid: Grid, cells: dict) -> dict[Cell, tuple]:
    """Check every cell against the indicator: its dimensions, its unit, plain numbers."""
    allowed = {
        Dimension.SEX: {v for v, _label in the_grid.sexes},
        Dimension.COUNTRY: {c.pk for c in the_grid.countries if c},
        Dimension.INSTITUTION_TYPE: {v for v, _label in the_grid.types},
    }
    clean = {}
    for cell, amount in cells.items():
        for dimension, value in zip(Dimension.values, cell, strict=True):
            if dimension not in indicator.dimensions:
                if value not in ("", None):
                    raise ResultsError(
                        _("The indicator is not broken down by %(dimension)s.")
                        % {"dimension": Dimension(dimension).label.lower()}
                    )
            elif value not in allowed[dimension]:
                raise ResultsError(
                    _("%(value)s is not a %(dimension)s this indicator is broken down by.")
                    % {"value": value or "—", "dimension": Dimension(dimension).label.lower()}
                )
        what = the_grid.label(cell)
        value, denominator = amount
        value = _number(value, what)
        if indicator.is_percentage:
            if denominator in (None, ""):
                raise ResultsError(_("%(what)s needs a denominator.") % {"what": what})
            denominator = _number(denominator, what)
            if denominator == 0:
                raise ResultsError(
                    _("%(what)s: the denominator must be more than zero.") % {"what": what}
                )
            if value > denominator:
                raise ResultsError(
                    _("%(what)s: the numerator cannot be more than the denominator.")
                    % {"what": what}
                )
        else:
            denominator = None
        clean[tuple(cell)] = (value, denominator)
    return clean


def _previous_total(indicator: Indicator, period: ReportingPeriod) -> Decimal | None:
    row = (
        Value.objects.filter(indicator=indicator, period__starts_on__lt=period.starts_on)
        .values("period", "period__starts_on")
        .annotate(total=Sum("value"))
        .order_by("-period__starts_on", "-period")
        .first()
    )
    return row["total"] if row else None


def _shown(amount) -> str | None:
    if amount is None:
        return None
    value, denominator = amount
    return f"{value}/{denominator}" if denominator is not None else str(value)


def write_cells(
    actor, indicator, period, the_grid, new: dict, *, derived: bool, reason: str, action: str
) -> dict:
    """Make the period's cells exactly ``new`` and audit what changed; returns the changes.

    A fixed number of queries whatever the number of cells."""
    stored = {v.cell(): v for v in Value.objects.filter(indicator=indicator, period=period)}
    changes, removed, updated, created = {}, [], [], []
    for cell in stored.keys() | new.keys():
        old = stored.get(cell)
        old_amount = (old.value, old.denominator) if old else None
        new_amount = new.get(cell)
        if old_amount == new_amount:
            continue
        changes[the_grid.label(cell)] = [_shown(old_amount), _shown(new_amount)]
        if new_amount is None:
            removed.append(old.pk)
        elif old is None:
            sex, country, kind = cell
            created.append(
                Value(
                    indicator=indicator,
                    period=period,
                    sex=sex,
                    country_id=country,
                    institution_type=kind,
                    value=new_amount[0],
                    denominator=new_amount[1],
                    derived=derived,
                    updated_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            )
        else:
            old.value, old.denominator = new_amount
            old.derived = derived
            old.updated_by = actor if getattr(actor, "is_authenticated", False) else None
            old.updated = timezone.now()
            updated.append(old)
    if removed:
        Value.objects.filter(pk__in=removed).delete()
    if updated:
        Value.objects.bulk_update(
            updated, ["value", "denominator", "derived", "updated_by", "updated"]
        )
    if created:
        Value.objects.bulk_create(created)
    changes = dict(sorted(changes.items()))
    if changes:
        audit.record(actor, action, indicator, {"period": str(period), **changes}, reason)
    return changes


def refusal(indicator: Indicator, period: ReportingPeriod, today=None) -> str:
    """Why values of this indicator cannot be typed for this period now, or ``""``."""
    today = today or timezone.localdate()
    if indicator.is_derived:
        return _(
            "Liaison counts this indicator from its own records (%(source)s); it is not typed."
        ) % {"source": indicator.get_source_display()}
    if period.project_id != indicator.project_id:
        return _("That reporting period belongs to another project.")
    if period.is_locked:
        return _("%(period)s is approved; its values can no longer change.") % {"period": period}
    if period.under_review:
        return _(
            "The report of %(period)s is with the secretariat; its values can change again "
            "if the report is returned."
        ) % {"period": period}
    if period.starts_on > today:
        return _(
            "%(period)s starts on %(date)s; values are actuals and come once it has begun."
        ) % {"period": period, "date": period.starts_on.isoformat()}
    return ""


@transaction.atomic
def save_values(
    actor, indicator: Indicator, period: ReportingPeriod, cells: dict, reason: str = "", today=None
) -> dict:
    """Replace the period's values of a manual indicator with ``cells``
    (``{cell: (value, denominator)}``; a cell left out has no value).

    Refused, with nothing saved, for a derived indicator, a period of another project, an
    approved period, a period not begun, a cell outside the indicator's dimensions, and a
    running total (cumulative, higher is better) that falls below the previous period's.
    Returns the changes written to the audit trail."""
    require(permissions.can_edit_results(actor, indicator.project))
    period = ReportingPeriod.objects.select_related("report").get(pk=period.pk)
    why = refusal(indicator, period, today)
    if why:
        raise ResultsError(why)
    the_grid = grid(indicator)
    new = clean_cells(indicator, the_grid, cells)
    if (
        indicator.accumulation == Accumulation.CUMULATIVE
        and indicator.direction == Direction.INCREASE
        and indicator.unit == Unit.NUMBER
        and new
    ):
        previous = _previous_total(indicator, period)
        total = sum(value for value, _d in new.values())
        if previous is not None and total < previous:
            raise ResultsError(
                _(
                    "The running total (%(total)s) cannot fall below the previous period's "
                    "(%(previous)s): a cumulative indicator counts everything since the start."
                )
                % {"total": total, "previous": previous}
            )
    stored = cells_of(indicator, period)
    overwritten = [cell for cell, amount in stored.items() if new.get(cell) != amount]
    if overwritten and not reason.strip():
        raise ResultsError(_("Say why values already entered change."))
    return write_cells(
        actor,
        indicator,
        period,
        the_grid,
        new,
        derived=False,
        reason=reason,
        action="results.value.set",
    )
