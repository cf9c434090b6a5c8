"""A network's secretariat runs the network's events (issue 14, item 4): it creates them for its
network only, manages them (participants, check-in), and nothing of another network's events
or of events outside any network. A member of the network, or its secretariat once the
membership has ended, manages nothing. Pages and API."""

import datetime
import html

import pytest
from django.urls import reverse

from liaison.directory.models import Network, NetworkAffiliation, NetworkRole
from liaison.events.models import Event, Registration, RegistrationForm

from ..conftest import make_affiliated
from .conftest import make_event, sign_up
from .test_api import NEW_EVENT, post
from .test_pages import event_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    return Network.objects.create(name="Coordination units' network", acronym="CUN")


@pytest.fixture
def other_network(db):
    return Network.objects.create(name="Training institutions' network", acronym="TIN")


def join(user, network, role, **extra):
    NetworkAffiliation.objects.create(person=user.person, network=network, role=role, **extra)
    return user


@pytest.fixture
def network_secretariat(institution, network):
    user = make_affiliated("net-sec", institution, "administrator")
    return join(user, network, NetworkRole.SECRETARIAT)


@pytest.fixture
def network_member(other_institution, network):
    user = make_affiliated("net-member", other_institution, "officer")
    return join(user, network, NetworkRole.MEMBER)


@pytest.fixture
def network_event(network):
    return make_event("Annual meeting of the units", network=network)


@pytest.fixture
def other_network_event(other_network):
    return make_event("Trainers' forum", network=other_network)


def test_the_secretariat_manages_its_networks_events_only(
    client, network_secretariat, network_event, other_network_event, event
):
    client.force_login(network_secretariat)
    for page in ("participants", "event_edit"):
        assert client.get(reverse(f"events:{page}", args=[network_event.pk])).status_code == 200
        for foreign in (other_network_event, event):
            assert client.get(reverse(f"events:{page}", args=[foreign.pk])).status_code == 403
    assert set(Event.objects.managed_by(network_secretariat)) == {network_event}


def test_the_participants_page_names_the_networks_secretariat_among_its_readers(
    client, network_secretariat, network_event
):
    client.force_login(network_secretariat)
    page = client.get(reverse("events:participants", args=[network_event.pk])).content.decode()
    assert "that network's secretariat" in html.unescape(page)


def test_the_secretariat_sees_its_networks_registrations_and_no_others(
    client, network_secretariat, network_event, other_network_event, participants
):
    for event in (network_event, other_network_event):
        RegistrationForm.objects.create(event=event, is_open=True)
    ours = sign_up(participants[0], network_event)
    sign_up(participants[1], other_network_event)
    client.force_login(network_secretariat)
    rows = client.get(reverse("api:registration-list")).json()["results"]
    assert [row["id"] for row in rows] == [ours.pk]
    assert set(Registration.objects.visible_to(network_secretariat)) == {ours}


def test_the_secretariat_creates_events_for_its_network_only(
    client, network_secretariat, network, other_network, project, countries
):
    client.force_login(network_secretariat)
    data = event_post(project, countries, projects=None)
    refused = client.post(reverse("events:event_create"), {**data, "network": other_network.pk})
    assert refused.status_code == 200 and not Event.objects.exists()
    refused = client.post(reverse("events:event_create"), data)  # no network at all
    assert refused.status_code == 200 and not Event.objects.exists()
    done = client.post(reverse("events:event_create"), {**data, "network": network.pk})
    assert done.status_code == 302
    assert Event.objects.get().network == network


def test_the_api_holds_the_secretariat_to_its_network(
    client, network_secretariat, network, other_network
):
    client.force_login(network_secretariat)
    response = post(client, "/api/events/", {**NEW_EVENT, "network": other_network.pk})
    assert response.status_code in {400, 403}
    assert not Event.objects.exists()
    response = post(client, "/api/events/", {**NEW_EVENT, "network": network.pk})
    assert response.status_code == 201, response.content


def test_the_secretariat_cannot_move_an_event_out_of_its_network(
    client, network_secretariat, network_event, network, other_network, countries, project
):
    client.force_login(network_secretariat)
    edit = reverse("events:event_edit", args=[network_event.pk])
    data = event_post(project, countries, projects=None, reason="Dates agreed")
    moved = client.post(edit, {**data, "network": other_network.pk})
    assert moved.status_code == 200
    network_event.refresh_from_db()
    assert network_event.network == network and network_event.title != data["title"]
    kept = client.post(edit, {**data, "network": network.pk})
    assert kept.status_code == 302
    network_event.refresh_from_db()
    assert network_event.title == data["title"]


@pytest.mark.parametrize("who", ["network_member", "institution_admin", "public_user"])
def test_members_and_outsiders_manage_no_network_event(client, request, who, network_event):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("events:participants", args=[network_event.pk])).status_code == 403
    assert client.get(reverse("events:event_create")).status_code == 403
    assert not Event.objects.managed_by(request.getfixturevalue(who)).exists()


def test_an_ended_secretariat_manages_nothing(client, network_secretariat, network_event):
    NetworkAffiliation.objects.filter(person__user=network_secretariat).update(
        end=datetime.date(2020, 1, 1), start=datetime.date(2019, 1, 1)
    )
    client.force_login(network_secretariat)
    assert client.get(reverse("events:participants", args=[network_event.pk])).status_code == 403


def test_the_secretariat_reaches_the_draft_it_made(client, network_secretariat, network):
    draft = make_event("Draft meeting of the units", network=network, published=False)
    client.force_login(network_secretariat)
    for page in ("event", "event_edit", "participants", "registration_setup"):
        assert client.get(reverse(f"events:{page}", args=[draft.pk])).status_code == 200, page
    assert draft.title in client.get(reverse("events:events")).content.decode()


@pytest.mark.parametrize("who", ["network_member", "institution_admin"])
def test_a_draft_stays_hidden_from_members_and_outsiders(client, request, who, network):
    draft = make_event("Draft meeting of the units", network=network, published=False)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("events:event", args=[draft.pk])).status_code == 404
    assert draft.title not in client.get(reverse("events:events")).content.decode()
