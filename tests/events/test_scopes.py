"""Registrations of an institution's people are shown to its administrator, never another
institution's; an administrator nominates for their own institution only, and a forged
institution id is refused with nothing saved. Pages and API."""

import pytest
from django.urls import reverse

from liaison.core.models import Role
from liaison.events import services
from liaison.events.models import Registration

from ..conftest import make_user
from .conftest import person_data

pytestmark = pytest.mark.django_db


def register_from(user, event, organisation, name):
    person = getattr(user, "person", None)
    email = person.email if person else f"{name.replace(' ', '.').lower()}@example.org"
    data = person_data(name, email, organisation=organisation)
    return services.register(user, event, data, {}, True)


@pytest.fixture
def registrations(setup, event, institution, other_institution, institution_member, other_member):
    setup.capacity = None
    setup.save()
    ours = register_from(institution_member, event, institution, "Ours Officer")
    theirs = register_from(other_member, event, other_institution, "Theirs Officer")
    return ours, theirs


def nomination(organisation):
    return {
        "organisation": organisation.pk,
        "consent": "on",
        "nominees-TOTAL_FORMS": "1",
        "nominees-INITIAL_FORMS": "0",
        "nominees-MIN_NUM_FORMS": "1",
        "nominees-MAX_NUM_FORMS": "50",
        "nominees-0-name": "Nominated Officer",
        "nominees-0-email": "nominated@example.org",
        "nominees-0-sex": "female",
    }


def test_the_administrator_sees_their_institutions_registrations(
    client, registrations, institution_admin
):
    client.force_login(institution_admin)
    body = client.get(reverse("events:my_registrations")).content.decode()
    assert "Registrations of your institution’s people" in body
    assert "Ours Officer" in body
    assert "Theirs Officer" not in body


@pytest.mark.parametrize("who", ["institution_member", "other_member"])
def test_members_see_only_their_own_registrations(client, request, registrations, who):
    client.force_login(request.getfixturevalue(who))
    body = client.get(reverse("events:my_registrations")).content.decode()
    assert "Registrations of your institution" not in body
    rows = client.get(reverse("api:registration-list")).json()["results"]
    assert len(rows) == 1 and rows[0]["id"] in {r.pk for r in registrations}
    mine = Registration.objects.get(user=request.getfixturevalue(who))
    assert rows[0]["id"] == mine.pk


def test_the_api_scopes_the_administrators_list_and_detail(
    client, registrations, institution_admin
):
    ours, theirs = registrations
    client.force_login(institution_admin)
    rows = client.get(reverse("api:registration-list")).json()["results"]
    assert [row["id"] for row in rows] == [ours.pk]
    assert client.get(reverse("api:registration-detail", args=[ours.pk])).status_code == 200
    assert client.get(reverse("api:registration-detail", args=[theirs.pk])).status_code == 404


def test_the_administrator_does_not_decide_on_registrations(
    client, registrations, institution_admin
):
    ours, _theirs = registrations
    client.force_login(institution_admin)
    response = client.post(reverse("api:registration-reject", args=[ours.pk]), {"reason": "x"})
    assert response.status_code == 403
    ours.refresh_from_db()
    assert ours.status != "rejected"


def test_the_administrator_nominates_for_their_institution(
    client, setup, event, institution, institution_admin
):
    setup.allow_nominations = True
    setup.save()
    client.force_login(institution_admin)
    assert client.get(reverse("events:nominate", args=[event.pk])).status_code == 200
    response = client.post(reverse("events:nominate", args=[event.pk]), nomination(institution))
    assert response.status_code == 302
    registration = Registration.objects.get(email="nominated@example.org")
    assert registration.nominated_by_organisation == institution


def test_a_forged_institution_in_a_nomination_is_refused_and_nothing_saved(
    client, setup, event, other_institution, institution_admin
):
    setup.allow_nominations = True
    setup.save()
    client.force_login(institution_admin)
    response = client.post(
        reverse("events:nominate", args=[event.pk]), nomination(other_institution)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_administrators_page_costs_the_same_for_more_registrations(
    client, registrations, event, institution, institution_admin, django_assert_max_num_queries
):
    client.force_login(institution_admin)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("events:my_registrations"))
    for n in range(8):
        user = make_user(f"extra{n}", Role.PUBLIC)
        register_from(user, event, institution, f"Extra {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse("events:my_registrations")).content.decode()
    assert "Extra 7" in body
