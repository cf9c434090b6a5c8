"""The logframe API asks what the pages ask: staff read, the project's editors write, and
values go through the same service, refused for a derived indicator, an approved period and
another project's period."""

from decimal import Decimal

import pytest

from liaison.core.models import AuditEntry
from liaison.results.models import Dimension, Indicator, Result, Source, Target, Unit, Value

from ..conftest import make_project
from .logframe_helpers import approve, make_indicator, make_logframe, make_period, make_periods

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(project):
    return make_logframe(project)


@pytest.fixture
def periods(project):
    return make_periods(project)


@pytest.fixture
def by_sex(tree):
    return make_indicator(tree["output"], disaggregations=[Dimension.SEX], end_target=D(20))


def put_cells(client, indicator, period, cells, reason=""):
    return client.post(
        "/api/indicator-values/period/",
        {"indicator": indicator.pk, "period": period.pk, "cells": cells, "reason": reason},
        content_type="application/json",
    )


def test_staff_read_results_and_indicators_with_targets_and_totals(
    client, viewer, tree, periods, by_sex
):
    Target.objects.create(indicator=by_sex, period=periods[0], value=5)
    Value.objects.create(indicator=by_sex, period=periods[0], sex="female", value=3)
    Value.objects.create(indicator=by_sex, period=periods[0], sex="male", value=4)
    client.force_login(viewer)
    results = client.get("/api/results/", {"project": tree["output"].project_id}).json()
    assert [r["code"] for r in results["results"]] == ["1", "1.1", "I"]
    found = client.get("/api/indicators/").json()["results"][0]
    assert found["to_date"] == "7.00"
    assert found["periods"][0] == {
        "period": periods[0].pk,
        "target": "5.00",
        "in_period": "7.00",
        "to_date": "7.00",
    }
    values = client.get(
        "/api/indicator-values/", {"indicator": by_sex.pk, "period": periods[0].pk}
    ).json()
    assert sorted(v["sex"] for v in values["results"]) == ["female", "male"]


def test_the_public_reads_nothing(client, public_user, by_sex):
    client.force_login(public_user)
    assert client.get("/api/indicators/").json()["count"] == 0
    assert client.get("/api/results/").json()["count"] == 0


def test_a_manager_writes_a_periods_cells_and_gets_the_total(client, manager, by_sex, periods):
    client.force_login(manager)
    response = put_cells(
        client, by_sex, periods[0], [{"sex": "female", "value": "3"}, {"sex": "male", "value": "4"}]
    )
    assert response.status_code == 200, response.json()
    assert response.json()["total"] == "7.00" and response.json()["changed"] == 2
    response = put_cells(client, by_sex, periods[0], [{"sex": "female", "value": "5"}])
    assert response.status_code == 400 and "Say why" in response.json()["detail"]
    response = put_cells(client, by_sex, periods[0], [{"sex": "female", "value": "5"}], "Late list")
    assert response.json()["total"] == "5.00"
    assert AuditEntry.objects.filter(action="results.value.set", reason="Late list").exists()


def test_a_percentage_total_is_numerators_over_denominators(client, manager, tree, periods):
    rate = make_indicator(tree["output"], "r", unit=Unit.PERCENTAGE, disaggregations=["sex"])
    client.force_login(manager)
    cells = [
        {"sex": "female", "value": "1", "denominator": "2"},
        {"sex": "male", "value": "30", "denominator": "40"},
    ]
    data = put_cells(client, rate, periods[0], cells).json()
    assert (data["total"], data["denominator"]) == ("31.00", "42.00")


@pytest.mark.parametrize("case", ["derived", "approved", "other project", "dimension"])
def test_refused_writes_save_nothing(client, manager, tree, periods, by_sex, case):
    indicator, period, cells = by_sex, periods[0], [{"sex": "female", "value": "1"}]
    if case == "derived":
        indicator = make_indicator(tree["output"], "t", source=Source.PEOPLE_TRAINED)
        cells = [{"value": "1"}]
    elif case == "approved":
        approve(period)
    elif case == "other project":
        other = make_project("Other", acronym="OTH", managers=[manager])
        period = make_period(other, "Theirs", periods[0].starts_on, periods[0].ends_on)
    else:
        cells = [{"sex": "female", "institution_type": "police", "value": "1"}]
    client.force_login(manager)
    response = put_cells(client, indicator, period, cells)
    assert response.status_code == 400 and response.json()["detail"]
    assert not Value.objects.exists()


def test_a_user_of_another_project_and_a_viewer_are_refused(
    client, other_manager, viewer, tree, by_sex, periods
):
    for user in (other_manager, viewer):
        client.force_login(user)
        assert (
            put_cells(client, by_sex, periods[0], [{"sex": "female", "value": "1"}]).status_code
            == 403
        )
        response = client.patch(
            f"/api/indicators/{by_sex.pk}/", {"name": "Mine"}, content_type="application/json"
        )
        assert response.status_code == 403
        response = client.post(
            "/api/results/",
            {
                "project": tree["output"].project_id,
                "level": "outcome",
                "parent": tree["impact"].pk,
                "code": "9",
                "title": "x",
            },
            content_type="application/json",
        )
        assert response.status_code == 403
    assert not Value.objects.exists() and Indicator.objects.get().name != "Mine"
    assert Result.objects.count() == 3


def test_a_manager_creates_results_and_indicators_with_the_pages_rules(
    client, manager, tree, periods
):
    client.force_login(manager)
    project = tree["output"].project_id
    response = client.post(
        "/api/results/",
        {
            "project": project,
            "level": "output",
            "parent": tree["impact"].pk,
            "code": "9",
            "title": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 400  # an output contributes to an outcome
    response = client.post(
        "/api/results/",
        {
            "project": project,
            "level": "output",
            "parent": tree["outcome"].pk,
            "code": "1.1",
            "title": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "already has the code" in response.json()["detail"]
    response = client.post(
        "/api/indicators/",
        {"result": tree["output"].pk, "code": "n", "name": "Officers", "disaggregations": ["sex"]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    indicator = Indicator.objects.get(code="n")
    Value.objects.create(indicator=indicator, period=periods[0], sex="female", value=1)
    response = client.patch(
        f"/api/indicators/{indicator.pk}/",
        {"disaggregations": ["country"]},
        content_type="application/json",
    )
    assert response.status_code == 400 and "can no longer change" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/api/indicators/", "/api/indicator-values/"])
def test_an_id_too_large_for_the_database_is_a_bad_request(client, viewer, url):
    client.force_login(viewer)
    response = client.get(url, {"project": "99999999999999999999"})
    assert response.status_code == 400


@pytest.mark.parametrize("code", ["\x00", "R\x00", "XYZ", 7])
def test_a_country_that_is_no_code_is_a_400_not_an_error(client, manager, by_sex, periods, code):
    """Regression: a NUL byte in a cell's country was sent to PostgreSQL, which answered with
    an error (500); the contract test found it."""
    client.force_login(manager)
    response = put_cells(client, by_sex, periods[0], [{"country": code, "value": "3"}])
    assert response.status_code == 400
