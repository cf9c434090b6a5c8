"""Amount, date and duration parsers, with examples and property-based round trips."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from liaison.ingest.parsers import (
    add_months,
    parse_amount,
    parse_date,
    parse_duration_months,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("EUR 454,415.40 (from ISF-Police)", "454415.40", "EUR"),
        ("Project total budget: 1.730.647,00 EUR", "1730647.00", "EUR"),
        ("a grant of €2.1 million", "2100000.00", "EUR"),
        ("EUR 5 822 529.75", "5822529.75", "EUR"),
        ("EUR 1.250.000", "1250000.00", "EUR"),
        ("USD 80,000", "80000.00", "USD"),
    ],
)
def test_amounts_as_factsheets_write_them(text, amount, currency):
    assert parse_amount(text) == (Decimal(amount), currency)


@pytest.mark.parametrize("text", ["", "24 months", "phone +381 11 311 7272", "2023"])
def test_text_without_a_currency_amount_gives_none(text):
    assert parse_amount(text) is None


def _group(whole: int, sep: str) -> str:
    return f"{whole:,}".replace(",", sep)


@given(
    whole=st.integers(min_value=0, max_value=10**12),
    cents=st.integers(min_value=0, max_value=99),
    style=st.sampled_from(["en", "de", "fr", "plain"]),
    before=st.booleans(),
)
def test_amount_round_trip_in_every_separator_style(whole, cents, style, before):
    written = {
        "en": f"{_group(whole, ',')}.{cents:02}",
        "de": f"{_group(whole, '.')},{cents:02}",
        "fr": f"{_group(whole, ' ')},{cents:02}",
        "plain": f"{whole}.{cents:02}",
    }[style]
    text = f"EUR {written}" if before else f"{written} EUR"
    assert parse_amount(f"Total budget: {text}.") == (Decimal(f"{whole}.{cents:02}"), "EUR")


@given(st.integers(min_value=1000, max_value=10**9))
def test_grouped_whole_numbers_are_never_read_as_decimals(whole):
    assert parse_number(_group(whole, ",")) == whole
    assert parse_number(_group(whole, ".")) == whole


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Project start day: 08.11.2023", datetime.date(2023, 11, 8)),
        ("15 May 2024 until 14 May 2026", datetime.date(2024, 5, 15)),
        ("January 2022 - December 2023", datetime.date(2022, 1, 1)),
        ("from 2019-03-01", datetime.date(2019, 3, 1)),
        ("Sept. 2017", datetime.date(2017, 9, 1)),
        ("March 3, 2021", datetime.date(2021, 3, 3)),
    ],
)
def test_dates_as_factsheets_write_them(text, start):
    assert parse_date(text) == start


def test_a_month_only_end_is_the_last_day_of_that_month():
    assert parse_date("December 2023", month_end=True) == datetime.date(2023, 12, 31)
    assert parse_date("February 2024", month_end=True) == datetime.date(2024, 2, 29)


@pytest.mark.parametrize("text", ["31.02.2023", "no date here", "in 2023", "99.99.2023"])
def test_impossible_or_missing_dates_give_none(text):
    assert parse_date(text) is None


@given(st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_date_round_trip_in_every_style(day):
    for written in (
        day.strftime("%d.%m.%Y"),
        day.isoformat(),
        f"{day.day} {day:%B %Y}",
        f"{day:%B} {day.day}, {day.year}",
    ):
        assert parse_date(f"Start: {written}") == day, written


@pytest.mark.parametrize(
    ("text", "months"), [("24 months", 24), ("Project duration: 2 years", 24), ("18-month", 18)]
)
def test_durations(text, months):
    assert parse_duration_months(text) == months


@given(
    st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 1, 1)),
    st.integers(min_value=1, max_value=120),
)
def test_a_period_of_n_months_ends_the_day_before_its_anniversary(start, months):
    end = add_months(start, months)
    assert end >= start
    assert add_months(start, months + 12) > end
    if start.day <= 28:
        assert (end + datetime.timedelta(days=1)).day == start.day
