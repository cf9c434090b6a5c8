"""The equipment API (registered as ``/api/equipment/``): the list page's filters, requests
and each step through the same services and checks as the pages."""

from decimal import Decimal

import pytest

from liaison.equipment.models import HandOver, Item, ItemStatus

from .conftest import PDF, advance, days_ago, pdf_upload, request
from .test_permissions import FROM, at

pytestmark = pytest.mark.django_db

URL = "/api/equipment/"


def step(client, item, name, data=None, **kwargs):
    return client.post(f"{URL}{item.pk}/{name}/", data or {}, **kwargs)


def test_staff_list_with_the_pages_filters(client, viewer, secretariat, item, unit):
    delivered = advance(secretariat, request(secretariat, item.project, unit), ItemStatus.DELIVERED)
    client.force_login(viewer)
    body = client.get(URL).json()
    assert body["count"] == 2
    body = client.get(URL, {"use_check": "overdue", "country": "GE"}).json()
    assert [row["id"] for row in body["results"]] == [delivered.pk]
    row = body["results"][0]
    assert row["country"] == "GE" and row["status"] == "delivered"
    assert row["handover"]["receiving_officer"] == "Nino Officer"
    assert row["handover"]["document_url"].endswith(
        f"/equipment/{delivered.pk}/hand-over/document/"
    )
    assert client.get(URL, {"status": "lost"}).status_code == 400


def test_the_public_and_anonymous_read_nothing(client, public_user, item):
    for user in (None, public_user):
        if user:
            client.force_login(user)
        assert client.get(URL).json()["count"] == 0
        assert client.get(f"{URL}{item.pk}/").status_code == 404
        assert step(client, item, "approve").status_code in (403, 404)
    item.refresh_from_db()
    assert item.status == ItemStatus.REQUESTED


def test_a_manager_requests_through_the_api(client, manager, project, unit, other_project):
    client.force_login(manager)
    data = {
        "project": project.pk,
        "institution": unit.pk,
        "category": "it",
        "name": "Workstations",
        "quantity": 4,
        "estimated_cost": "5200.00",
        "currency": "eur",
    }
    response = client.post(URL, data, content_type="application/json")
    assert response.status_code == 201, response.json()
    item = Item.objects.get()
    assert response.json()["id"] == item.pk and item.currency == "EUR"
    assert item.requested_by == manager and item.status == ItemStatus.REQUESTED
    response = client.post(
        URL, {**data, "project": other_project.pk}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Item.objects.count() == 1


def test_the_whole_path_through_the_api(client, manager, secretariat, item):
    client.force_login(secretariat)
    assert step(client, item, "approve", {"note": "ok"}).json()["status"] == "approved"
    client.force_login(manager)
    procured = step(
        client,
        item,
        "procure",
        {"procured_on": days_ago(0).isoformat(), "supplier": "Net", "actual_cost": "6000"},
    ).json()
    assert procured["status"] == "procured" and procured["actual_cost"] == "6000.00"
    delivered = step(
        client,
        item,
        "deliver",
        {
            "handed_over_on": days_ago(0).isoformat(),
            "receiving_officer": "Officer",
            "document": pdf_upload(),
        },
    )
    assert delivered.status_code == 200, delivered.json()
    assert HandOver.objects.get().document.read() == PDF
    assert step(client, item, "in-use").json()["status"] == "in_use"
    checked = step(
        client, item, "use-check", {"checked_on": days_ago(0).isoformat(), "finding": "in_use"}
    )
    assert checked.json()["use_checks"][0]["finding"] == "in_use"


def test_the_manager_may_not_approve_through_the_api(client, manager, item):
    client.force_login(manager)
    assert step(client, item, "approve").status_code == 403
    assert step(client, item, "reject", {"note": "x"}).status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.REQUESTED


BODIES = {
    "approve": {"note": "ok"},
    "reject": {"note": "no"},
    "procure": {"procured_on": days_ago(0).isoformat(), "supplier": "S", "actual_cost": "1"},
    "deliver": {"handed_over_on": days_ago(0).isoformat(), "receiving_officer": "O"},
    "in-use": {},
    "use-check": {"checked_on": days_ago(0).isoformat(), "finding": "in_use"},
}


@pytest.mark.parametrize("who", ["other_manager", "viewer"])
@pytest.mark.parametrize("name", list(BODIES))
def test_outsiders_are_refused_every_write(client, request, secretariat, item, who, name):
    item = at(secretariat, item, FROM[name.replace("-", "_")])
    before = Item.objects.filter(pk=item.pk).values().get()
    client.force_login(request.getfixturevalue(who))
    body = dict(BODIES[name])
    if name == "deliver":
        body["document"] = pdf_upload()
    assert step(client, item, name, body).status_code == 403
    assert Item.objects.filter(pk=item.pk).values().get() == before
    data = {"project": item.project_id, "institution": item.institution_id, "category": "it"}
    data.update(name="Router", quantity=1, estimated_cost="10", currency="EUR")
    assert client.post(URL, data, content_type="application/json").status_code == 403


def test_steps_out_of_order_and_bad_uploads_are_400s(client, secretariat, item):
    client.force_login(secretariat)
    response = step(client, item, "in-use")
    assert response.status_code == 400 and "only from" in response.json()["detail"]
    assert step(client, item, "reject", {"note": ""}).status_code == 400
    item = advance(secretariat, item, ItemStatus.PROCURED)
    response = step(
        client,
        item,
        "deliver",
        {
            "handed_over_on": days_ago(0).isoformat(),
            "receiving_officer": "O",
            "document": pdf_upload(b"GIF89a fake"),
        },
    )
    assert response.status_code == 400 and "document" in response.json()
    item.refresh_from_db()
    assert item.status == ItemStatus.PROCURED and not HandOver.objects.exists()


def test_a_request_keeps_its_money_in_decimals(client, secretariat, item):
    client.force_login(secretariat)
    body = client.get(f"{URL}{item.pk}/").json()
    assert Decimal(body["estimated_cost"]) == Decimal("6400.00")
