"""The exchange's statistics: exact counts of a year and a quarter chosen request by request,
the on-time rate and the median time to answer, a unit's own figures, a fixed number of
queries, and never a word of content."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.exchange import stats
from liaison.exchange.models import Urgency

from . import year
from .year import NARRATIVE, NOW, SUBJECT

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(units, people):
    return year.build(units, people)


def test_a_networks_year(requests, exchange):
    result = stats.compute(2025, exchange=exchange, now=NOW)
    assert result.requests_sent == 3
    assert result.cases == 4
    assert (result.urgent, result.not_urgent) == (2, 2)
    assert (result.answered, result.refused) == (2, 1)
    assert (result.on_time, result.late) == (2, 2)  # Serbia's late refusal, the overdue R3
    assert result.on_time_rate == 50.0
    assert (result.open, result.overdue) == (1, 1)
    assert result.median_hours == 48.0
    pairs = {(p["sender"], p["receiver"]): p for p in result.pairs}
    assert set(pairs) == {("MD-CU", "GE-CU"), ("MD-CU", "RS-CU"), ("GE-CU", "MD-CU")}
    md_ge = pairs[("MD-CU", "GE-CU")]
    assert (md_ge["cases"], md_ge["urgent"], md_ge["answered"], md_ge["overdue"]) == (2, 1, 1, 1)
    assert md_ge["on_time_rate"] == 50.0
    assert (pairs[("MD-CU", "RS-CU")]["refused"], pairs[("MD-CU", "RS-CU")]["late"]) == (1, 1)
    assert pairs[("GE-CU", "MD-CU")]["on_time_rate"] == 100.0
    units = {row["unit"]: (row["sent"], row["received"]) for row in result.units}
    assert units == {"MD-CU": (2, 1), "GE-CU": (1, 2), "RS-CU": (0, 1)}
    grounds = {row["ground"]: row["refused"] for row in result.by_ground}
    assert grounds["not_available"] == 1 and sum(grounds.values()) == 1
    urgency = {row["urgency"]: row for row in result.by_urgency}
    assert urgency[Urgency.URGENT]["cases"] == 2 and urgency[Urgency.URGENT]["on_time"] == 1
    assert urgency[Urgency.URGENT_DIRECT]["cases"] == 0


def test_a_quarter(requests, exchange):
    first = stats.compute(2025, 1, exchange=exchange, now=NOW)
    assert (first.requests_sent, first.cases, first.on_time, first.late) == (1, 2, 1, 1)
    assert first.median_hours == 60.0
    fourth = stats.compute(2025, 4, exchange=exchange, now=NOW)
    assert (fourth.cases, fourth.open, fourth.overdue, fourth.median_hours) == (1, 1, 1, None)
    assert stats.compute(2025, 3, exchange=exchange, now=NOW).cases == 0
    assert stats.compute(2024, exchange=exchange, now=NOW).cases == 1


def test_a_units_own_figures(requests, units):
    result = stats.compute(2025, unit=units["GE"], now=NOW)
    assert result.requests_sent == 1
    assert result.cases == 3  # R1 and R3 received, R2 sent; not Serbia's case of R1
    assert {(p["sender"], p["receiver"]) for p in result.pairs} == {
        ("MD-CU", "GE-CU"),
        ("GE-CU", "MD-CU"),
    }
    assert result.units == [{"unit": "GE-CU", "sent": 1, "received": 2}]
    assert result.median_hours == 36.0  # 24 and 48


def test_the_same_queries_for_any_number_of_requests(requests, exchange, units, people):
    with CaptureQueriesContext(connection) as few:
        stats.compute(2025, exchange=exchange, now=NOW)
    for month in range(1, 11):
        year._request(people["rs_officer"], units["RS"], [units["GE"]], "normal", year.at(month, 5))
    with CaptureQueriesContext(connection) as many:
        assert stats.compute(2025, exchange=exchange, now=NOW).cases == 14
    assert len(many) == len(few) <= 6


def test_no_content_is_read_or_shown(requests, exchange, units):
    with CaptureQueriesContext(connection) as queries:
        results = [
            stats.compute(2025, exchange=exchange, now=NOW),
            stats.compute(2025, unit=units["MD"], now=NOW),
        ]
    sql = " ".join(q["sql"] for q in queries).lower()
    for column in ("subject", "body", "details", "handling_restriction", '"name"'):
        assert column not in sql
    shown = json.dumps([r.as_dict() for r in results], cls=DjangoJSONEncoder)
    for text in (SUBJECT, NARRATIVE, "Records attached", "No records", "Giurgiulesti"):
        assert text not in shown


def test_who_sees_what(requests, exchange, units, people, secretariat):
    networks, seen = stats.scopes(secretariat)
    assert exchange in networks
    networks, seen = stats.scopes(people["secretariat"])
    assert list(networks) == [exchange]
    assert {u.code for u in seen} == {"MD-CU", "GE-CU", "RS-CU"}
    networks, seen = stats.scopes(people["ge_supervisor"])
    assert not networks.exists() and [u.code for u in seen] == ["GE-CU"]
    networks, seen = stats.scopes(people["ge_officer"])
    assert not networks.exists() and not seen.exists()
