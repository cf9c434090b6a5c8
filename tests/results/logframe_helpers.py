"""Builders of the logframe tests: a project's logframe, its periods and an approved report.

Plain functions rather than fixtures, so each test says what it builds."""

import datetime
from decimal import Decimal

from liaison.results.models import (
    Indicator,
    Level,
    PeriodKind,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    Result,
)

D = Decimal


def make_period(project, title, starts_on, ends_on, kind=PeriodKind.INTERIM) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        project=project,
        kind=kind,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        deadline=ends_on + datetime.timedelta(days=30),
    )


def make_periods(project) -> list[ReportingPeriod]:
    """Three half-years of 2022–2023, all begun."""
    return [
        make_period(project, "First", datetime.date(2022, 1, 1), datetime.date(2022, 6, 30)),
        make_period(project, "Second", datetime.date(2022, 7, 1), datetime.date(2022, 12, 31)),
        make_period(project, "Third", datetime.date(2023, 1, 1), datetime.date(2023, 6, 30)),
    ]


def approve(period) -> ProgressReport:
    return ProgressReport.objects.create(period=period, status=ReportStatus.APPROVED)


def make_logframe(project) -> dict[str, Result]:
    impact = Result.objects.create(
        project=project, level=Level.IMPACT, code="I", title="Safer borders"
    )
    outcome = Result.objects.create(
        project=project, level=Level.OUTCOME, code="1", title="Officers cooperate", parent=impact
    )
    output = Result.objects.create(
        project=project,
        level=Level.OUTPUT,
        code="1.1",
        title="Officers trained",
        parent=outcome,
        assumptions="Institutions release officers",
    )
    return {"impact": impact, "outcome": outcome, "output": output}


def make_indicator(result, code="1.1.a", **fields) -> Indicator:
    fields.setdefault("name", f"Indicator {code}")
    return Indicator.objects.create(result=result, code=code, **fields)
