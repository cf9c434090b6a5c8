"""Demo data of the logframe: the portfolio's core indicators, and the logframe of the
training-centre project, whose "officials trained" indicator fills itself from the training
centre's completed enrolments.

Builds on ``liaison.portfolio.demo`` (the project and the demo manager) and
``liaison.training.demo`` (the courses). Dates are relative to today, as the training demo's
are, so the periods always cover its courses. Safe to run twice.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from liaison.core.models import User
from liaison.portfolio.demo import SEED_PROJECTS, find_seed_project
from liaison.training.models import Course

from . import sources
from .models import (
    Accumulation,
    CoreIndicator,
    Dimension,
    Indicator,
    Level,
    PeriodKind,
    ReportingPeriod,
    Result,
    Source,
    Target,
    Unit,
)
from .services.values import grid, write_cells

D = Decimal
CORE = (
    ("officials-trained", "Officials trained", "People who completed a training course.", 1),
    ("institutions-equipped", "Institutions equipped", "Institutions that received equipment.", 2),
    ("cooperation-events", "Cooperation events held", "Meetings, workshops and study visits.", 3),
)

# (kind, title, first day, last day) in days from today.
PERIODS = (
    (PeriodKind.INCEPTION, "Inception", -420, -241),
    (PeriodKind.INTERIM, "Interim report", -240, -61),
    (PeriodKind.ANNUAL, "Annual report", -60, 120),
    (PeriodKind.FINAL, "Final report", 121, 300),
)

IMPACT = (
    "Migration and asylum institutions of the Western Balkans work to EU standards and "
    "cooperate across borders."
)


def load_core_indicators() -> dict[str, CoreIndicator]:
    return {
        code: CoreIndicator.objects.get_or_create(
            code=code, defaults={"name": name, "definition": definition, "order": order}
        )[0]
        for code, name, definition, order in CORE
    }


def _periods(project, today) -> list[ReportingPeriod]:
    periods = []
    for kind, title, first, last in PERIODS:
        ends_on = today + datetime.timedelta(days=last)
        periods.append(
            ReportingPeriod.objects.create(
                project=project,
                kind=kind,
                title=title,
                starts_on=today + datetime.timedelta(days=first),
                ends_on=ends_on,
                deadline=ends_on + datetime.timedelta(days=30),
            )
        )
    return periods


def _result(project, level, code, title, parent=None, assumptions="", order=1) -> Result:
    return Result.objects.create(
        project=project,
        level=level,
        code=code,
        title=title,
        parent=parent,
        assumptions=assumptions,
        order=order,
    )


def _indicator(result, code, name, targets, periods, **fields) -> Indicator:
    indicator = Indicator.objects.create(result=result, code=code, name=name, **fields)
    for period, value in zip(periods, targets, strict=False):
        if value is not None:
            Target.objects.create(indicator=indicator, period=period, value=D(value))
    return indicator


def _values(actor, indicator, period, cells, countries):
    """Type a period's cells as the manager would: ``{(sex, country code, type): amount}``."""
    the_grid = grid(indicator)
    typed = {
        (sex, countries[code].pk if code else None, kind): (
            (D(amount[0]), D(amount[1])) if isinstance(amount, tuple) else (D(amount), None)
        )
        for (sex, code, kind), amount in cells.items()
    }
    write_cells(
        actor,
        indicator,
        period,
        the_grid,
        typed,
        derived=False,
        reason="",
        action="results.value.set",
    )


def load_institutions_equipped(core: CoreIndicator, today: datetime.date) -> Indicator | None:
    """The ILECU project's output indicator of institutions equipped, counted from the
    equipment handed over (``equipment/demo.py``), so the dashboard's "Institutions equipped"
    card shows the units that received it instead of "–". Once; None without the project."""
    project = find_seed_project(SEED_PROJECTS["ilecu"])
    if project is None or Indicator.objects.filter(project=project, core=core).exists():
        return None
    periods = list(project.reporting_periods.order_by("starts_on")) or _periods(project, today)
    impact = _result(
        project, Level.IMPACT, "I", "Law enforcement agencies of the region exchange information"
    )
    outcome = _result(
        project, Level.OUTCOME, "1", "Coordination units work as contact points", impact
    )
    output = _result(
        project,
        Level.OUTPUT,
        "1.1",
        "Coordination units equipped for information exchange",
        outcome,
    )
    indicator = _indicator(
        output,
        "1.1.a",
        "Institutions equipped",
        [None, "1", "2", "2"],
        periods,
        unit_label="institutions",
        accumulation=Accumulation.CUMULATIVE,
        end_target=D("2"),
        disaggregations=[Dimension.COUNTRY],
        source=Source.INSTITUTIONS_EQUIPPED,
        core=core,
        means_of_verification="Counted by Liaison from the signed hand-over records.",
    )
    sources.refresh(indicator, actor=project.managers.first())
    return indicator


@transaction.atomic
def load_demo_results(stdout=None, *, today: datetime.date | None = None) -> int:
    """Build the core indicators and the training-centre project's logframe once; returns the
    number of indicators created (0 on a rerun or without the project)."""
    core = load_core_indicators()
    today = today or timezone.localdate()
    load_institutions_equipped(core["institutions-equipped"], today)
    project = find_seed_project(SEED_PROJECTS["mirco"])
    if project is None or Result.objects.filter(project=project).exists():
        return 0
    actor = project.managers.first() or User.objects.filter(username="manager").first()
    countries = {c.code: c for c in project.countries.all()}
    periods = _periods(project, today)
    inception, interim, annual, _final = periods
    courses = list(Course.objects.filter(project=project).order_by("starts_on"))

    impact = _result(project, Level.IMPACT, "I", IMPACT)
    outcome_1 = _result(
        project,
        Level.OUTCOME,
        "1",
        "Officials of the partner institutions apply EU-aligned migration and asylum "
        "procedures in their daily work.",
        impact,
        assumptions="Partner institutions keep trained officials in posts where they use "
        "what they learnt.",
    )
    outcome_2 = _result(
        project,
        Level.OUTCOME,
        "2",
        "Migration training centres of the region work as one network.",
        impact,
        assumptions="The centres' governments keep supporting regional exchange.",
        order=2,
    )
    output_11 = _result(
        project,
        Level.OUTPUT,
        "1.1",
        "A regional training centre runs accredited courses in person and online.",
        outcome_1,
        assumptions="The national accreditation body reviews modules within six months.",
    )
    output_12 = _result(
        project,
        Level.OUTPUT,
        "1.2",
        "Officials of the partner institutions are trained and certified.",
        outcome_1,
        assumptions="Institutions release officials for the full length of a course.",
        order=2,
    )
    output_21 = _result(
        project,
        Level.OUTPUT,
        "2.1",
        "Study visits and network meetings connect the centres.",
        outcome_2,
        assumptions="Travel between the partner countries stays possible.",
    )
    output_11.courses.set(courses)
    output_12.courses.set(courses[:2])

    upheld = _indicator(
        impact,
        "I.1",
        "Share of first-instance asylum decisions upheld on appeal",
        [None, "65", "68", "75"],
        periods,
        unit=Unit.PERCENTAGE,
        unit_label="decisions",
        accumulation=Accumulation.LATEST,
        baseline_value=D("62"),
        baseline_date=inception.starts_on,
        end_target=D("75"),
        disaggregations=[Dimension.COUNTRY],
        means_of_verification="Annual statistics of the appeal bodies.",
    )
    referral = _indicator(
        outcome_1,
        "1.a",
        "Partner institutions applying the referral procedure for vulnerable persons",
        ["0", "1", "3", "4"],
        periods,
        unit_label="institutions",
        accumulation=Accumulation.CUMULATIVE,
        baseline_value=D("0"),
        end_target=D("4"),
        disaggregations=[Dimension.COUNTRY],
        means_of_verification="Internal instructions adopted by each institution.",
    )
    modules = _indicator(
        output_11,
        "1.1.a",
        "Training modules accredited",
        ["2", "4", "6", "8"],
        periods,
        unit_label="modules",
        accumulation=Accumulation.CUMULATIVE,
        baseline_value=D("0"),
        end_target=D("8"),
        means_of_verification="Accreditation decisions.",
    )
    trained = _indicator(
        output_12,
        "1.2.a",
        "Officials trained",
        [None, "10", "20", "30"],
        periods,
        unit_label="officials",
        accumulation=Accumulation.INCREMENTAL,
        baseline_value=D("0"),
        end_target=D("60"),
        disaggregations=[Dimension.SEX, Dimension.COUNTRY],
        source=Source.PEOPLE_TRAINED,
        core=core["officials-trained"],
        definition="Officials who completed a course of the project: attendance, quiz and "
        "practical as the course requires.",
        means_of_verification="Counted by Liaison from the training centre's records.",
    )
    certified = _indicator(
        output_12,
        "1.2.b",
        "Certificates issued",
        [None, "8", "16", "24"],
        periods,
        unit_label="certificates",
        end_target=D("48"),
        disaggregations=[Dimension.SEX],
        source=Source.PEOPLE_CERTIFIED,
        means_of_verification="Counted by Liaison from the certificates issued.",
        order=2,
    )
    meetings = _indicator(
        output_21,
        "2.1.a",
        "Network meetings and study visits held",
        ["1", "2", "2", "3"],
        periods,
        unit_label="events",
        end_target=D("8"),
        core=core["cooperation-events"],
        means_of_verification="Agendas and minutes.",
    )

    _values(actor, modules, inception, {("", None, ""): "2"}, countries)
    _values(actor, modules, interim, {("", None, ""): "4"}, countries)
    _values(actor, modules, annual, {("", None, ""): "5"}, countries)
    _values(actor, referral, interim, {("", "RS", ""): "1"}, countries)
    _values(actor, referral, annual, {("", "RS", ""): "1", ("", "ME", ""): "1"}, countries)
    _values(actor, meetings, inception, {("", None, ""): "1"}, countries)
    _values(actor, meetings, interim, {("", None, ""): "2"}, countries)
    _values(
        actor,
        upheld,
        interim,
        {("", "RS", ""): ("45", "70"), ("", "ME", ""): ("13", "20"), ("", "MK", ""): ("9", "15")},
        countries,
    )
    for indicator in (trained, certified):
        sources.refresh(indicator, actor=actor)
    if stdout is not None:
        stdout.write(f"Logframe of {project.acronym}: 6 indicators, {len(periods)} periods.\n")
    return 6
