"""An institution's administrator sees the equipment their institution received, never another
institution's; its members and other institutions see none of it. Pages and API."""

import pytest
from django.urls import reverse

from liaison.equipment.models import Item, ItemStatus
from liaison.portfolio.models import Participation, ParticipationRole

from .conftest import advance, request

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(secretariat, manager, project, institution, other_institution):
    """One item delivered to each institution, both paid by ``project``."""
    for organisation in (institution, other_institution):
        Participation.objects.create(
            project=project, organisation=organisation, role=ParticipationRole.BENEFICIARY
        )
    ours = advance(
        secretariat, request(manager, project, institution, name="Our scanner"), "in_use"
    )
    theirs = request(manager, project, other_institution, name="Their drone")
    return ours, theirs


def test_the_administrator_lists_their_institutions_items_only(client, items, institution_admin):
    ours, theirs = items
    client.force_login(institution_admin)
    body = client.get(reverse("equipment:list")).content.decode()
    assert "Our scanner" in body
    assert "Their drone" not in body
    assert client.get(ours.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_the_administrator_reads_the_hand_over_of_their_item_only(
    client, items, institution_admin, other_admin
):
    ours, _theirs = items
    url = reverse("equipment:document", args=[ours.pk])
    client.force_login(institution_admin)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(other_admin)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["institution_member", "other_member"])
def test_members_see_no_equipment(client, request, items, who):
    ours, _theirs = items
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("equipment:list")).status_code == 403
    assert client.get(ours.get_absolute_url()).status_code == 404
    assert client.get(reverse("api:equipment-item-list")).json()["count"] == 0


def test_the_other_administrator_sees_their_own_items(client, items, other_admin):
    client.force_login(other_admin)
    rows = client.get(reverse("api:equipment-item-list")).json()["results"]
    assert [row["name"] for row in rows] == ["Their drone"]


def test_the_api_scopes_the_administrators_list_and_detail(client, items, institution_admin):
    ours, theirs = items
    client.force_login(institution_admin)
    rows = client.get(reverse("api:equipment-item-list")).json()["results"]
    assert [row["name"] for row in rows] == ["Our scanner"]
    assert client.get(reverse("api:equipment-item-detail", args=[theirs.pk])).status_code == 404


def test_an_administrator_does_not_carry_an_item_along_its_path(client, items, institution_admin):
    _ours, theirs = items
    client.force_login(institution_admin)
    response = client.post(
        reverse("api:equipment-item-approve", args=[theirs.pk]), {"note": "Fine"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ItemStatus.REQUESTED


def test_the_list_costs_the_same_for_more_items(
    client, items, manager, project, institution, institution_admin, django_assert_max_num_queries
):
    client.force_login(institution_admin)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("equipment:list"))
    for n in range(12):
        request(manager, project, institution, name=f"Radio {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse("equipment:list")).content.decode()
    assert "Radio 11" in body
    assert Item.objects.visible_to(institution_admin).count() == 13
