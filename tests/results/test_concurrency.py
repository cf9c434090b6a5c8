"""Lost updates of indicators and targets (issue 13, item 7)."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from liaison.results.models import Indicator, Target
from liaison.results.services.logframe import set_targets

from .logframe_helpers import make_indicator, make_logframe, make_periods

pytestmark = pytest.mark.django_db


def _patch(client, url, data, etag):
    return client.patch(
        url, json.dumps(data), content_type="application/json", headers={"If-Match": etag}
    )


def test_a_stale_if_match_on_an_indicator_gets_412(project, manager, secretariat):
    indicator = make_indicator(make_logframe(project)["output"])
    first, second = Client(), Client()
    first.force_login(secretariat)
    second.force_login(manager)
    url = f"/api/indicators/{indicator.pk}/"
    etag = second.get(url)["ETag"]
    assert _patch(first, url, {"name": "Officers trained"}, etag).status_code == 200
    refused = _patch(second, url, {"name": "Mine"}, etag)
    assert refused.status_code == 412
    assert refused.json()["changed"][0]["field"] == "name"
    assert Indicator.objects.get(pk=indicator.pk).name == "Officers trained"


def test_targets_set_meanwhile_refuse_the_second_targets_page(project, manager, secretariat):
    indicator = make_indicator(make_logframe(project)["output"])
    periods = make_periods(project)
    second = Client()
    second.force_login(manager)
    url = reverse("results:targets", args=[indicator.pk])
    opened = second.get(url).context["form"]

    set_targets(secretariat, indicator, {periods[0]: Decimal(10)})

    data = {"record_version": opened.initial["record_version"], f"p{periods[0].pk}": "4"}
    refused = second.post(url, data)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Changed by someone else while you were editing" in body and "Sam Secretariat" in body
    assert Target.objects.get(indicator=indicator).value == Decimal(10)


def test_a_stale_if_match_on_a_progress_report_gets_412(project, manager, secretariat):
    from .factories_reports import D, make_period

    period = make_period(project, "Year 1", D(2022, 1, 1), D(2022, 12, 31))
    first, second = Client(), Client()
    first.force_login(secretariat)
    second.force_login(manager)
    created = second.post("/api/progress-reports/", {"period": period.pk, "narrative": "Ran."})
    url = f"/api/progress-reports/{created.json()['id']}/"
    etag = second.get(url)["ETag"]
    assert _patch(first, url, {"narrative": "Courses ran for 12."}, etag).status_code == 200
    refused = _patch(second, url, {"narrative": "Mine"}, etag)
    assert refused.status_code == 412
    assert second.get(url).json()["narrative"] == "Courses ran for 12."
