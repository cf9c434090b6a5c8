"""Totals are computed from cells: the three accumulation modes, percentages as the sum of
numerators over the sum of denominators, and the project table equal to the sum of its cells."""

from decimal import Decimal

import pytest

from liaison.results import figures
from liaison.results.figures import Amount, in_period, to_date, total
from liaison.results.models import Accumulation, Dimension, Unit, Value

from .logframe_helpers import make_indicator, make_logframe, make_periods

D = Decimal
GAP = [Amount(D(10)), Amount(), Amount(D(25))]  # the second period has no value


def test_incremental_values_add_up_and_each_period_is_its_own():
    assert to_date(Accumulation.INCREMENTAL, GAP).value == D(35)
    assert [in_period(Accumulation.INCREMENTAL, GAP, i).value for i in range(3)] == [
        D(10),
        None,
        D(25),
    ]


def test_cumulative_to_date_is_the_latest_and_a_period_is_the_difference_across_a_gap():
    assert to_date(Accumulation.CUMULATIVE, GAP).value == D(25)
    assert to_date(Accumulation.CUMULATIVE, GAP[:2]).value == D(10)  # the gap keeps the 10
    assert in_period(Accumulation.CUMULATIVE, GAP, 0).value == D(10)
    assert in_period(Accumulation.CUMULATIVE, GAP, 1).empty
    assert in_period(Accumulation.CUMULATIVE, GAP, 2).value == D(15)  # 25 - 10, over the gap


def test_latest_value_is_never_summed():
    assert to_date(Accumulation.LATEST, GAP).value == D(25)
    assert to_date(Accumulation.LATEST, [Amount(D(80)), Amount()]).value == D(80)
    assert in_period(Accumulation.LATEST, GAP, 2).value == D(25)
    assert to_date(Accumulation.LATEST, [Amount(), Amount()]).empty


def test_a_percentage_total_is_the_sum_of_numerators_over_the_sum_of_denominators():
    # 1/2 (50%) and 30/40 (75%): the average of rates would say 62.5%, the parts say 31/42.
    amount = total([(1, 2), (30, 40)])
    assert (amount.value, amount.denominator) == (D(31), D(42))
    assert amount.shown(Unit.PERCENTAGE) == D("73.8")
    assert total([]).empty


def test_crosstab_totals_are_sums_of_the_cells():
    cells = {
        ("female", 1, ""): (D(3), None),
        ("male", 1, ""): (D(4), None),
        ("female", 2, ""): (D(5), None),
    }
    table = figures.crosstab(cells, lambda c: c[1], lambda c: c[0])
    assert table.rows[1].value == D(7) and table.rows[2].value == D(5)
    assert table.columns["female"].value == D(8) and table.columns["male"].value == D(4)
    assert table.grand.value == D(12) == sum(v for v, _d in cells.values())


def test_achievement_runs_from_the_baseline_both_ways():
    assert figures.achievement(D(30), D(60)) == D(50)
    assert figures.achievement(D(40), D(20), baseline=D(60)) == D(50)  # lower is better
    assert figures.achievement(None, D(10)) is None


@pytest.mark.django_db
def test_the_project_table_equals_the_sum_of_the_cells(project, countries):
    output = make_logframe(project)["output"]
    people = make_indicator(output, "a", disaggregations=[Dimension.SEX, Dimension.COUNTRY])
    rate = make_indicator(output, "b", unit=Unit.PERCENTAGE, disaggregations=[Dimension.SEX])
    first, second, third = make_periods(project)
    rs, ge = countries["RS"], countries["GE"]
    for period, sex, country, value in [
        (first, "female", rs, 3),
        (first, "male", rs, 4),
        (first, "female", ge, 2),
        (third, "male", ge, 6),
    ]:
        Value.objects.create(indicator=people, period=period, sex=sex, country=country, value=value)
    Value.objects.create(indicator=rate, period=second, sex="female", value=1, denominator=2)
    Value.objects.create(indicator=rate, period=second, sex="male", value=30, denominator=40)
    rows = {row.indicator.code: row for row in figures.table(project)}
    assert rows["a"].by_period == {first.pk: D(9), second.pk: None, third.pk: D(6)}
    assert rows["a"].to_date == D(15)
    assert rows["b"].to_date == D("73.8")
    assert figures.breakdown(people)["sex"] == {"female": D(5), "male": D(10)}
    assert figures.breakdown(people)["country"] == {rs.pk: D(7), ge.pk: D(8)}
