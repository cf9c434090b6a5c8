"""The equipment pages: the list and its filters, the item page with its path, and the
request form. Lists cost the same number of queries whatever the number of items."""

from decimal import Decimal

import pytest
from django.urls import reverse

from liaison.equipment import services
from liaison.equipment.models import Category, Item, ItemStatus

from .conftest import advance, days_ago, pdf_upload, request

pytestmark = pytest.mark.django_db


def listed(client, **query):
    response = client.get(reverse("equipment:list"), query)
    assert response.status_code == 200
    return {item.pk for item in response.context["page"]}


@pytest.fixture
def items(secretariat, manager, project, unit, organisation, other_project):
    """One item at each step, in two countries and two projects."""
    made = {
        "requested": request(manager, project, unit, name="Workstations"),
        "approved": advance(secretariat, request(manager, project, unit), ItemStatus.APPROVED),
        "delivered": advance(
            secretariat,
            request(manager, project, organisation, category=Category.VIDEO_SURVEILLANCE),
            ItemStatus.DELIVERED,
        ),
        "checked": advance(
            secretariat, request(manager, project, unit), ItemStatus.IN_USE, check=True
        ),
        "other": request(secretariat, other_project, organisation, name="Camera"),
    }
    return {key: item.pk for key, item in made.items()}


def test_the_list_filters_in_the_database(client, viewer, items, project, unit, other_project):
    client.force_login(viewer)
    assert listed(client) == set(items.values())
    assert listed(client, project=other_project.pk) == {items["other"]}
    assert listed(client, institution=unit.pk) == {
        items["requested"],
        items["approved"],
        items["checked"],
    }
    assert listed(client, country="RS") == {items["delivered"], items["other"]}
    assert listed(client, category=Category.VIDEO_SURVEILLANCE) == {items["delivered"]}
    assert listed(client, status=ItemStatus.IN_USE) == {items["checked"]}
    assert listed(client, q="camera") == {items["other"]}
    # Delivered 200 days ago, so the six-month check is overdue unless it was done.
    assert listed(client, use_check="overdue") == {items["delivered"]}
    assert listed(client, use_check="due") == {items["delivered"]}


def test_the_due_filter_warns_a_month_ahead(client, viewer, secretariat, manager, project, unit):
    item = advance(secretariat, request(manager, project, unit), ItemStatus.PROCURED)
    item = services.deliver(
        secretariat,
        item,
        handed_over_on=days_ago(170),  # due in 12 days
        receiving_officer="O",
        document=pdf_upload(),
    )
    client.force_login(viewer)
    assert listed(client, use_check="due") == {item.pk}
    assert listed(client, use_check="overdue") == set()


def test_an_invalid_filter_shows_an_error_not_everything(client, viewer, items):
    client.force_login(viewer)
    response = client.get(reverse("equipment:list"), {"status": "lost"})
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert "Some filters are not valid" in response.content.decode()


def test_the_list_costs_the_same_queries_for_many_items(
    client, viewer, secretariat, manager, project, unit, django_assert_max_num_queries
):
    client.force_login(viewer)
    advance(secretariat, request(manager, project, unit), ItemStatus.IN_USE, check=True)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("equipment:list"))
    for _n in range(12):
        advance(secretariat, request(manager, project, unit), ItemStatus.DELIVERED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("equipment:list"))
    assert len(response.context["page"]) == 13


def test_the_item_page_shows_the_path_with_who_and_when(client, viewer, secretariat, manager, item):
    item = advance(secretariat, item, ItemStatus.DELIVERED)
    client.force_login(viewer)
    response = client.get(item.get_absolute_url())
    page = response.content.decode()
    path = response.context["path"]
    assert [step["label"] for step in path] == [
        "Requested",
        "Approved",
        "Procured",
        "Delivered",
        "In use",
    ]
    assert [step["done"] for step in path] == [True, True, True, True, False]
    assert path[0]["entry"].actor == manager and path[1]["entry"].actor == secretariat
    assert path[3]["on"] == days_ago(200)
    assert "recorded by Petra Manager" in page and "recorded by Sam Secretariat" in page
    assert "Fits the plan" in page  # the approval note


def test_a_rejected_item_shows_the_rejection(client, viewer, secretariat, item):
    services.reject(secretariat, item, "Out of scope")
    client.force_login(viewer)
    response = client.get(item.get_absolute_url())
    assert [s["label"] for s in response.context["path"]] == ["Requested", "Rejected"]
    assert "Out of scope" in response.content.decode()


def test_a_manager_requests_equipment_through_the_form(
    client, manager, project, unit, other_project
):
    client.force_login(manager)
    page = client.get(reverse("equipment:request"))
    assert list(page.context["form"].fields["project"].queryset) == [project]
    data = {
        "project": project.pk,
        "institution": unit.pk,
        "category": Category.IT,
        "name": "Encrypted video-conference set",
        "description": "",
        "quantity": 1,
        "estimated_cost": "9800",
        "currency": "eur",
    }
    response = client.post(reverse("equipment:request"), data)
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    assert item.currency == "EUR" and item.requested_by == manager
    assert item.estimated_cost == Decimal("9800")
    # A forged post for another project is refused on the form.
    response = client.post(reverse("equipment:request"), {**data, "project": other_project.pk})
    assert response.status_code == 200 and "project" in response.context["form"].errors
    assert Item.objects.count() == 1


def test_the_viewer_may_not_open_the_request_form(client, viewer):
    client.force_login(viewer)
    assert client.get(reverse("equipment:request")).status_code == 403


def test_a_step_refused_by_a_rule_is_shown_on_the_form(client, secretariat, item):
    item = advance(secretariat, item, ItemStatus.APPROVED)
    client.force_login(secretariat)
    response = client.post(
        reverse("equipment:action", args=[item.pk, "procure"]),
        {
            "procure-procured_on": days_ago(400).isoformat(),
            "procure-supplier": "S",
            "procure-actual_cost": "10",
        },
    )
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.APPROVED


def test_the_page_takes_each_step(client, manager, secretariat, item):
    client.force_login(secretariat)
    url = reverse("equipment:action", args=[item.pk, "approve"])
    assert client.post(url, {"approve-note": "Go ahead"}).status_code == 302
    client.force_login(manager)
    url = reverse("equipment:action", args=[item.pk, "procure"])
    client.post(
        url,
        {
            "procure-procured_on": days_ago(0).isoformat(),
            "procure-supplier": "Net Ltd",
            "procure-actual_cost": "6000",
        },
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.PROCURED and item.supplier == "Net Ltd"


def test_an_unknown_step_is_not_found(client, secretariat, item):
    client.force_login(secretariat)
    assert client.post(reverse("equipment:action", args=[item.pk, "destroy"])).status_code == 404


def test_the_edit_form_changes_a_request(client, manager, item):
    client.force_login(manager)
    url = reverse("equipment:edit", args=[item.pk])
    form = client.get(url).context["form"]
    data = {name: form.initial.get(name) for name in form.fields}
    data.update(quantity=5, reason="Two more offices", description="")
    response = client.post(url, data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.quantity == 5
