"""Values are typed per cell and period, through one service with the rules of the page: not in
an approved period, not before the period starts, not in another project's period, not for a
derived indicator, not outside the indicator's dimensions, running totals that do not fall,
and a reason for every change, kept in the audit trail with the old and new value."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from liaison.core.models import AuditEntry
from liaison.results.models import (
    Accumulation,
    Dimension,
    Direction,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    Source,
    Unit,
    Value,
)
from liaison.results.services import ResultsError
from liaison.results.services.values import save_values

from ..conftest import make_project
from .logframe_helpers import approve, make_indicator, make_logframe, make_period, make_periods

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def periods(project):
    return make_periods(project)


@pytest.fixture
def by_sex_and_country(project):
    output = make_logframe(project)["output"]
    return make_indicator(output, disaggregations=[Dimension.SEX, Dimension.COUNTRY])


def stored(indicator, period):
    return {v.cell(): v.value for v in Value.objects.filter(indicator=indicator, period=period)}


def test_cells_are_saved_and_blank_cells_hold_no_value(
    manager, by_sex_and_country, periods, countries
):
    rs = countries["RS"].pk
    changes = save_values(
        manager,
        by_sex_and_country,
        periods[0],
        {("female", rs, ""): (3, None), ("male", rs, ""): (4, None)},
    )
    assert stored(by_sex_and_country, periods[0]) == {
        ("female", rs, ""): D(3),
        ("male", rs, ""): D(4),
    }
    assert len(changes) == 2
    # Sent again without the men's cell: that cell is now blank, i.e. removed (with a reason).
    save_values(
        manager, by_sex_and_country, periods[0], {("female", rs, ""): (3, None)}, "Miscounted"
    )
    assert stored(by_sex_and_country, periods[0]) == {("female", rs, ""): D(3)}


def test_changing_a_value_needs_a_reason_and_the_audit_holds_old_and_new(
    manager, by_sex_and_country, periods, countries
):
    rs = countries["RS"].pk
    save_values(manager, by_sex_and_country, periods[0], {("female", rs, ""): (3, None)})
    with pytest.raises(ResultsError, match="Say why"):
        save_values(manager, by_sex_and_country, periods[0], {("female", rs, ""): (5, None)})
    assert stored(by_sex_and_country, periods[0]) == {("female", rs, ""): D(3)}
    save_values(
        manager, by_sex_and_country, periods[0], {("female", rs, ""): (5, None)}, "Late lists"
    )
    entry = AuditEntry.objects.filter(action="results.value.set").order_by("-id").first()
    assert entry.actor == manager and entry.reason == "Late lists"
    assert entry.changes["Female · Serbia"] == ["3.00", "5.00"]
    assert entry.changes["period"] == "First"
    # Adding a value to an empty cell is not a change of what was reported: no reason needed.
    save_values(
        manager,
        by_sex_and_country,
        periods[0],
        {("female", rs, ""): (5, None), ("male", rs, ""): (1, None)},
    )


def test_a_value_is_refused_in_an_approved_period(manager, by_sex_and_country, periods, countries):
    rs = countries["RS"].pk
    approve(periods[0])
    with pytest.raises(ResultsError, match="approved"):
        save_values(manager, by_sex_and_country, periods[0], {("female", rs, ""): (3, None)})
    assert not Value.objects.exists()


def test_values_hold_still_while_the_report_is_with_the_secretariat(
    manager, by_sex_and_country, periods, countries
):
    rs = countries["RS"].pk
    report = ProgressReport.objects.create(period=periods[0], status=ReportStatus.SUBMITTED)
    with pytest.raises(ResultsError, match="with the secretariat"):
        save_values(manager, by_sex_and_country, periods[0], {("female", rs, ""): (3, None)})
    assert not Value.objects.exists()
    report.status = ReportStatus.RETURNED
    report.save()
    period = ReportingPeriod.objects.get(pk=periods[0].pk)
    save_values(manager, by_sex_and_country, period, {("female", rs, ""): (3, None)})
    assert Value.objects.get().value == 3


def test_a_value_is_refused_before_the_period_starts(
    manager, by_sex_and_country, project, countries
):
    today = datetime.date(2026, 1, 10)
    later = make_period(project, "Later", datetime.date(2026, 2, 1), datetime.date(2026, 6, 30))
    with pytest.raises(ResultsError, match="starts on 2026-02-01"):
        save_values(
            manager,
            by_sex_and_country,
            later,
            {("female", countries["RS"].pk, ""): (3, None)},
            today=today,
        )
    assert not Value.objects.exists()


def test_a_period_of_another_project_is_refused(manager, by_sex_and_country, countries):
    other = make_project("Other", acronym="OTH", managers=[manager])
    foreign = make_period(other, "Theirs", datetime.date(2022, 1, 1), datetime.date(2022, 6, 30))
    with pytest.raises(ResultsError, match="another project"):
        save_values(
            manager, by_sex_and_country, foreign, {("female", countries["RS"].pk, ""): (3, None)}
        )
    assert not Value.objects.exists()


def test_a_derived_indicator_refuses_typed_values(manager, project, periods):
    output = make_logframe(project)["output"]
    trained = make_indicator(output, source=Source.PEOPLE_TRAINED)
    with pytest.raises(ResultsError, match="counts this indicator"):
        save_values(manager, trained, periods[0], {("", None, ""): (3, None)})
    assert not Value.objects.exists()


@pytest.mark.parametrize(
    "cell, message",
    [
        (("female", None, "police"), "not broken down by institution type"),
        (("nobody", None, ""), "is not a sex"),
        (("female", "TR", ""), "is not a country"),  # not one of the project's countries
    ],
)
def test_cells_outside_the_indicators_dimensions_are_refused(
    manager, by_sex_and_country, periods, countries, cell, message
):
    sex, code, kind = cell
    rs = countries["RS"].pk
    cells = {
        ("male", rs, ""): (1, None),
        (sex, countries[code].pk if code else rs, kind): (2, None),
    }
    with pytest.raises(ResultsError, match=message):
        save_values(manager, by_sex_and_country, periods[0], cells)
    assert not Value.objects.exists()  # nothing half-saved


@pytest.mark.parametrize(
    "amount, message",
    [
        ((-1, None), "cannot be negative"),
        (("many", None), "not a number"),
        (("1e20", None), "keep"),
    ],
)
def test_bad_numbers_are_refused(manager, by_sex_and_country, periods, countries, amount, message):
    with pytest.raises(ResultsError, match=message):
        save_values(
            manager, by_sex_and_country, periods[0], {("female", countries["RS"].pk, ""): amount}
        )


def test_percentages_take_a_positive_denominator_not_below_the_numerator(manager, project, periods):
    rate = make_indicator(make_logframe(project)["output"], unit=Unit.PERCENTAGE)
    for amount, message in [
        ((1, 0), "more than zero"),
        ((1, None), "needs a denominator"),
        ((5, 4), "cannot be more"),
    ]:
        with pytest.raises(ResultsError, match=message):
            save_values(manager, rate, periods[0], {("", None, ""): amount})
    save_values(manager, rate, periods[0], {("", None, ""): (3, 4)})
    value = Value.objects.get()
    assert (value.value, value.denominator) == (D(3), D(4))


def test_a_running_total_may_not_fall_below_the_previous_periods(manager, project, periods):
    running = make_indicator(
        make_logframe(project)["output"],
        accumulation=Accumulation.CUMULATIVE,
        direction=Direction.INCREASE,
    )
    save_values(manager, running, periods[0], {("", None, ""): (10, None)})
    # The second period has no value; the third is compared with the first.
    with pytest.raises(ResultsError, match="cannot fall below"):
        save_values(manager, running, periods[2], {("", None, ""): (8, None)})
    save_values(manager, running, periods[2], {("", None, ""): (12, None)})
    assert Value.objects.filter(period=periods[2]).get().value == D(12)


def test_only_the_projects_editors_type_values(other_manager, viewer, by_sex_and_country, periods):
    for user in (other_manager, viewer):
        with pytest.raises(PermissionDenied):
            save_values(user, by_sex_and_country, periods[0], {("", None, ""): (1, None)})
    assert not Value.objects.exists()


def test_the_secretariat_types_values_too(secretariat, by_sex_and_country, periods, countries):
    save_values(
        secretariat, by_sex_and_country, periods[0], {("female", countries["GE"].pk, ""): (2, None)}
    )
    assert Value.objects.get().updated_by == secretariat
