"""Values Liaison counts from its own records, so that nobody types them twice.

For an indicator whose source is not manual, ``count`` computes its cells for a period from
the project's records (courses, certificates, events, assessments, equipment), broken down by
the indicator's dimensions, in one aggregated query (three for gap closure). ``refresh`` writes
them as derived values in every period not yet approved: an approved period keeps what was
approved.

An incremental indicator counts what happened within the period; a cumulative or latest one
counts everything from the start up to the period's end. A record without a sex, country or
institution type is counted in a "not stated" cell, so the total still counts everyone.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from liaison.assessments import gaps
from liaison.assessments.models import Assessment, AssessmentStatus
from liaison.directory.models import Country
from liaison.equipment.models import HANDED_OVER, Item
from liaison.events.models import Attendance, Event, Registration, Sex
from liaison.training.models import Certificate, Enrolment

from .models import Accumulation, Dimension, Indicator, ReportingPeriod, Source, Unit
from .services.values import grid, write_cells

NUMBER, PERCENTAGE = Unit.NUMBER, Unit.PERCENTAGE
EVERY = (Dimension.SEX, Dimension.COUNTRY, Dimension.INSTITUTION_TYPE)
PLACE = (Dimension.COUNTRY, Dimension.INSTITUTION_TYPE)

# Each source's unit and the dimensions its records carry.
SOURCES = {
    Source.PEOPLE_TRAINED: (NUMBER, EVERY),
    Source.PEOPLE_CERTIFIED: (NUMBER, EVERY),
    Source.EVENTS_HELD: (NUMBER, (Dimension.COUNTRY,)),
    Source.EVENT_PARTICIPANTS: (NUMBER, EVERY),
    Source.INSTITUTIONS_ASSESSED: (NUMBER, PLACE),
    Source.EQUIPMENT_DELIVERED: (NUMBER, PLACE),
    Source.INSTITUTIONS_EQUIPPED: (NUMBER, PLACE),
    Source.EQUIPMENT_VALUE: (NUMBER, PLACE),
    Source.GAP_CLOSURE: (PERCENTAGE, PLACE),
}


def _window(indicator: Indicator, period: ReportingPeriod, field: str) -> Q:
    """Within the period, or (cumulative and latest) from the start to the period's end."""
    condition = Q(**{f"{field}__lte": period.ends_on})
    if indicator.accumulation == Accumulation.INCREMENTAL:
        condition &= Q(**{f"{field}__gte": period.starts_on})
    return condition


def _grouped(rows, paths: dict, indicator: Indicator, value="v", denominator=None) -> dict:
    """Rows of an aggregate grouped by the dimensions' paths, as ``{cell: (value, denom)}``."""
    cells = defaultdict(lambda: (Decimal(0), None))
    for row in rows:
        cell = (
            (row[paths[Dimension.SEX]] or Sex.NOT_STATED)
            if Dimension.SEX in indicator.dimensions
            else "",
            row[paths[Dimension.COUNTRY]] if Dimension.COUNTRY in indicator.dimensions else None,
            (row[paths[Dimension.INSTITUTION_TYPE]] or "")
            if Dimension.INSTITUTION_TYPE in indicator.dimensions
            else "",
        )
        amount = Decimal(row[value] or 0)
        old_value, old_denominator = cells[cell]
        if denominator is None:
            cells[cell] = (old_value + amount, None)
        else:
            cells[cell] = (old_value + amount, (old_denominator or 0) + Decimal(row[denominator]))
    return {cell: amount for cell, amount in cells.items() if amount[0] or amount[1]}


def _aggregate(queryset, paths: dict, indicator: Indicator, measure) -> dict:
    group = [paths[d] for d in indicator.dimensions]
    rows = queryset.values(*group).annotate(v=measure).order_by()
    if not group:
        rows = [queryset.aggregate(v=measure)]
    return _grouped(rows, paths, indicator)


def _people_trained(indicator, period):
    enrolments = Enrolment.objects.completed().filter(
        _window(indicator, period, "completed_on"), course__project=indicator.project_id
    )
    paths = {
        Dimension.SEX: "sex",
        Dimension.COUNTRY: "organisation__country",
        Dimension.INSTITUTION_TYPE: "organisation__type",
    }
    return _aggregate(enrolments, paths, indicator, Count("person", distinct=True))


def _people_certified(indicator, period):
    certificates = Certificate.objects.filter(
        _window(indicator, period, "issued_on"),
        enrolment__course__project=indicator.project_id,
        revoked_at__isnull=True,
    )
    paths = {
        Dimension.SEX: "enrolment__sex",
        Dimension.COUNTRY: "enrolment__organisation__country",
        Dimension.INSTITUTION_TYPE: "enrolment__organisation__type",
    }
    return _aggregate(certificates, paths, indicator, Count("pk"))


def _events_held(indicator, period):
    events = Event.objects.filter(
        _window(indicator, period, "start__date"), projects=indicator.project_id
    )
    return _aggregate(events, {Dimension.COUNTRY: "country"}, indicator, Count("pk", distinct=True))


def _event_participants(indicator, period):
    attended = Exists(Attendance.objects.filter(registration=OuterRef("pk")))
    registrations = Registration.objects.filter(
        _window(indicator, period, "event__start__date"),
        attended,
        event__projects=indicator.project_id,
    )
    paths = {
        Dimension.SEX: "sex",
        Dimension.COUNTRY: "country",
        Dimension.INSTITUTION_TYPE: "institution_type",
    }
    return _aggregate(registrations, paths, indicator, Count("pk", distinct=True))


INSTITUTION = {
    Dimension.COUNTRY: "institution__country",
    Dimension.INSTITUTION_TYPE: "institution__type",
}


def _institutions_assessed(indicator, period):
    assessments = Assessment.objects.filter(
        _window(indicator, period, "completed_on"),
        project=indicator.project_id,
        status=AssessmentStatus.COMPLETED,
    )
    return _aggregate(assessments, INSTITUTION, indicator, Count("institution", distinct=True))


def _delivered(indicator, period):
    return Item.objects.filter(
        _window(indicator, period, "delivered_on"),
        project=indicator.project_id,
        status__in=HANDED_OVER,
    )


def _equipment_delivered(indicator, period):
    return _aggregate(_delivered(indicator, period), INSTITUTION, indicator, Sum("quantity"))


def _institutions_equipped(indicator, period):
    """Institutions that received at least one item, each counted once however many."""
    return _aggregate(
        _delivered(indicator, period), INSTITUTION, indicator, Count("institution", distinct=True)
    )


def _equipment_value(indicator, period):
    cost = Sum(Coalesce("actual_cost", "estimated_cost"))
    return _aggregate(_delivered(indicator, period), INSTITUTION, indicator, cost)


def _gap_closure(indicator, period):
    """For each institution of the project with two completed assessments by the period's end,
    the gap closed between the latest two, as ``assessments.gaps.gap_closure`` measures it:
    numerator the gap closed, denominator the gap found before, so that the total is the
    share of all gaps closed. Five queries whatever the number of institutions."""
    project = indicator.project_id
    completed = (
        Assessment.objects.filter(
            Q(project=project) | Q(institution__participations__project=project),
            status=AssessmentStatus.COMPLETED,
            completed_on__lte=period.ends_on,
        )
        .select_related("institution")
        .distinct()
        .order_by("institution", "-assessed_on", "-pk")
    )
    latest = defaultdict(list)
    for assessment in completed:
        if len(latest[assessment.institution_id]) < 2:
            latest[assessment.institution_id].append(assessment)
    pairs = [found for found in latest.values() if len(found) == 2]
    rows = gaps.results_for([a for pair in pairs for a in pair])
    cells = []
    for after, before in pairs:
        closed, found = gaps.closure_parts(gaps.matched(rows[before.pk], rows[after.pk]))
        if found:
            institution = after.institution
            cells.append(
                {
                    INSTITUTION[Dimension.COUNTRY]: institution.country_id,
                    INSTITUTION[Dimension.INSTITUTION_TYPE]: institution.type,
                    "v": closed,
                    "d": found,
                }
            )
    return _grouped(cells, INSTITUTION, indicator, "v", "d")


COUNTERS = {
    Source.PEOPLE_TRAINED: _people_trained,
    Source.PEOPLE_CERTIFIED: _people_certified,
    Source.EVENTS_HELD: _events_held,
    Source.EVENT_PARTICIPANTS: _event_participants,
    Source.INSTITUTIONS_ASSESSED: _institutions_assessed,
    Source.EQUIPMENT_DELIVERED: _equipment_delivered,
    Source.INSTITUTIONS_EQUIPPED: _institutions_equipped,
    Source.EQUIPMENT_VALUE: _equipment_value,
    Source.GAP_CLOSURE: _gap_closure,
}


def count(indicator: Indicator, period: ReportingPeriod) -> dict:
    """The indicator's cells for the period, counted from Liaison's records:
    ``{(sex, country id, institution type): (value, denominator)}``."""
    counter = COUNTERS.get(indicator.source)
    if counter is None:
        return {}
    return {
        cell: (value.quantize(Decimal("0.01")), None if d is None else d.quantize(Decimal("0.01")))
        for cell, (value, d) in counter(indicator, period).items()
    }


@transaction.atomic
def refresh(indicator: Indicator, period: ReportingPeriod | None = None, actor=None) -> int:
    """Recount a derived indicator in every period not yet approved (or in ``period`` only)
    and replace its derived cells; returns the number of cells that changed.

    A fixed number of queries per period: the count, the stored cells, and the writes."""
    if not indicator.is_derived:
        return 0
    periods = ReportingPeriod.objects.filter(project=indicator.project_id).select_related("report")
    if period is not None:
        periods = periods.filter(pk=period.pk)
    the_grid = None
    changed = 0
    for each in periods.order_by("starts_on", "id"):
        if each.is_locked or each.under_review:
            continue
        cells = count(indicator, each)
        if the_grid is None:
            the_grid = grid(indicator)
        known = the_grid.country_names
        missing = {c for _s, c, _t in cells if c is not None and c not in known}
        if missing:
            the_grid.other_countries += list(Country.objects.filter(pk__in=missing))
        changed += len(
            write_cells(
                actor,
                indicator,
                each,
                the_grid,
                cells,
                derived=True,
                reason=_("Recounted from Liaison's records."),
                action="results.value.counted",
            )
        )
    return changed


def refresh_project(project, actor=None) -> int:
    """Recount every derived indicator of a project."""
    return sum(
        refresh(indicator, actor=actor)
        for indicator in Indicator.objects.filter(project=project).exclude(source=Source.MANUAL)
    )
