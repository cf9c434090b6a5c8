"""Who may do what: the funding project's manager requests and follows up, only the secretariat
decides, a manager of another project and a staff viewer write nothing, the public sees
nothing. Asked of the services and of the pages."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from liaison.equipment import services
from liaison.equipment.models import Item, ItemStatus

from .conftest import advance, days_ago, pdf_upload, request
from .test_path import STEPS, audit_of

pytestmark = pytest.mark.django_db

# The status from which each step may be taken.
FROM = {
    "approve": ItemStatus.REQUESTED,
    "reject": ItemStatus.REQUESTED,
    "procure": ItemStatus.APPROVED,
    "deliver": ItemStatus.PROCURED,
    "in_use": ItemStatus.DELIVERED,
    "use_check": ItemStatus.DELIVERED,
}


@pytest.fixture
def request_(request):
    """pytest's own ``request``, renamed: ``request`` here is the helper that files one."""
    return request


def at(secretariat, item, status):
    return item if status == ItemStatus.REQUESTED else advance(secretariat, item, status)


@pytest.mark.parametrize("step", ["approve", "reject"])
def test_a_project_manager_may_not_decide_on_a_request(manager, item, step):
    with pytest.raises(PermissionDenied, match="Only the secretariat"):
        STEPS[step](manager, item)
    item.refresh_from_db()
    assert item.status == ItemStatus.REQUESTED


@pytest.mark.parametrize("step", ["procure", "deliver", "in_use", "use_check"])
def test_the_project_manager_follows_the_item_up(manager, secretariat, item, step):
    item = at(secretariat, item, FROM[step])
    STEPS[step](manager, item)


@pytest.mark.parametrize("who", ["other_manager", "viewer", "public_user"])
@pytest.mark.parametrize("step", list(FROM))
def test_outsiders_are_refused_every_step(request_, secretariat, item, who, step):
    user = request_.getfixturevalue(who)
    item = at(secretariat, item, FROM[step])
    before = Item.objects.filter(pk=item.pk).values().get()
    with pytest.raises(PermissionDenied):
        STEPS[step](user, item)
    assert Item.objects.filter(pk=item.pk).values().get() == before


@pytest.mark.parametrize("who", ["other_manager", "viewer", "public_user"])
def test_outsiders_may_not_request_or_change_a_request(request_, project, unit, item, who):
    user = request_.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        request(user, project, unit)
    with pytest.raises(PermissionDenied):
        services.update_request(user, item, {"quantity": 9})
    assert Item.objects.count() == 1 and Item.objects.get().quantity == 2


# Pages ---------------------------------------------------------------------------------------


ACTION_POSTS = {
    "approve": {"approve-note": "ok"},
    "reject": {"reject-note": "no"},
    "procure": {
        "procure-procured_on": days_ago(1).isoformat(),
        "procure-supplier": "S",
        "procure-actual_cost": "10",
    },
    "deliver": {
        "deliver-handed_over_on": days_ago(1).isoformat(),
        "deliver-receiving_officer": "O",
    },
    "in-use": {},
    "use-check": {"use-check-checked_on": days_ago(1).isoformat(), "use-check-finding": "in_use"},
}


def post_step(client, item, action):
    data = dict(ACTION_POSTS[action])
    if action == "deliver":
        data["deliver-document"] = pdf_upload()
    return client.post(reverse("equipment:action", args=[item.pk, action]), data)


@pytest.mark.parametrize("who", ["other_manager", "viewer"])
@pytest.mark.parametrize("action", list(ACTION_POSTS))
def test_pages_refuse_outsiders_every_step(client, request_, secretariat, item, who, action):
    item = at(secretariat, item, FROM[action.replace("-", "_")])
    entries = len(audit_of(item))
    client.force_login(request_.getfixturevalue(who))
    assert post_step(client, item, action).status_code == 403
    assert len(audit_of(item)) == entries


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_the_approval_page_is_refused_to_the_project_manager(client, manager, item, action):
    client.force_login(manager)
    assert post_step(client, item, action).status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.REQUESTED


def test_the_public_and_anonymous_see_no_equipment(client, public_user, item):
    for url in [
        reverse("equipment:list"),
        reverse("equipment:totals"),
        reverse("equipment:request"),
    ]:
        assert client.get(url).status_code == 302  # to the sign-in page
        client.force_login(public_user)
        assert client.get(url).status_code == 403
        client.logout()
    client.force_login(public_user)
    assert client.get(item.get_absolute_url()).status_code == 404
    assert post_step(client, item, "approve").status_code == 404


def test_steps_are_post_only(client, secretariat, item):
    client.force_login(secretariat)
    response = client.get(reverse("equipment:action", args=[item.pk, "approve"]))
    assert response.status_code == 405
    item.refresh_from_db()
    assert item.status == ItemStatus.REQUESTED


def test_the_item_page_offers_each_user_only_their_forms(
    client, manager, secretariat, viewer, item
):
    client.force_login(manager)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Change the request" in page and "Approve the request" not in page
    client.force_login(viewer)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Change the request" not in page and 'data-testid="actions"' not in page
    client.force_login(secretariat)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Approve the request" in page and "Reject the request" in page
    item = advance(secretariat, item, ItemStatus.APPROVED)
    client.force_login(manager)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "Record the procurement" in page and "Change the request" not in page


def test_a_manager_may_not_edit_another_projects_request(client, other_manager, item):
    client.force_login(other_manager)
    url = reverse("equipment:edit", args=[item.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"quantity": 5}).status_code == 403
