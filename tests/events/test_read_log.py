"""Reads of registrations (item 7 of issue 14): the participant list, its export and the API
note whose registration an organiser was shown, in a fixed number of queries."""

import pytest
from django.core.cache import cache

from liaison.directory.readlog import PersonalDataRead, ReadKind
from liaison.events import services

from .conftest import person_data, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    cache.clear()
    yield
    cache.clear()


def test_the_participant_list_notes_each_participant_shown(
    client, manager, event, setup, participants
):
    registrations = [sign_up(p, event) for p in participants[:2]]
    client.force_login(manager)
    response = client.get(f"/events/{event.pk}/participants/")
    assert response.status_code == 200
    reads = PersonalDataRead.objects.filter(kind=ReadKind.REGISTRATION)
    assert {r.person_id for r in reads} == {r.person_id for r in registrations}
    assert {r.object_id for r in reads} == {r.pk for r in registrations}
    assert all(r.reader == manager and r.path.endswith("/participants/") for r in reads)


def test_the_participant_list_costs_the_same_for_more_people(
    client, manager, event, setup, participants, django_assert_max_num_queries
):
    setup.capacity = 10
    setup.save()
    sign_up(participants[0], event)
    client.force_login(manager)
    with django_assert_max_num_queries(60) as few:
        client.get(f"/events/{event.pk}/participants/")
    for participant in participants[1:]:
        sign_up(participant, event)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/events/{event.pk}/participants/")
    assert PersonalDataRead.objects.count() == 1 + len(participants)


def test_the_export_notes_every_exported_registration(client, manager, event, setup, participants):
    registrations = [sign_up(p, event) for p in participants[:2]]
    client.force_login(manager)
    response = client.get(f"/events/{event.pk}/participants/", {"export": "csv"})
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert PersonalDataRead.objects.filter(kind=ReadKind.REGISTRATION).count() == len(registrations)


def test_a_participant_reading_their_own_registration_leaves_no_entry(
    client, event, setup, participants
):
    registration = sign_up(participants[0], event)
    client.force_login(participants[0])
    assert client.get(f"/api/registrations/{registration.pk}/").status_code == 200
    assert client.get("/api/registrations/").status_code == 200
    assert not PersonalDataRead.objects.exists()


def test_the_api_notes_an_organiser_reading_registrations(
    client, manager, event, setup, participants
):
    registration = sign_up(participants[0], event)
    client.force_login(manager)
    assert client.get("/api/registrations/").status_code == 200
    assert client.get(f"/api/registrations/{registration.pk}/").status_code == 200
    reads = PersonalDataRead.objects.filter(person=registration.person, reader=manager)
    assert reads.count() == 2
    assert {r.path for r in reads} == {
        "/api/registrations/",
        f"/api/registrations/{registration.pk}/",
    }


def test_the_check_in_list_notes_the_participants_at_the_door(
    client, manager, event, setup, participants
):
    registrations = [sign_up(p, event) for p in participants[:2]]
    client.force_login(manager)
    assert client.get(f"/events/{event.pk}/check-in/").status_code == 200
    reads = PersonalDataRead.objects.filter(kind=ReadKind.REGISTRATION, path__contains="check-in")
    assert {r.object_id for r in reads} == {r.pk for r in registrations}


def test_an_administrator_reading_their_institutions_registrations_is_noted(
    client, event, setup, institution, institution_admin, institution_member
):
    setup.capacity = None
    setup.save()
    data = person_data("Inst Member", institution_member.person.email, organisation=institution)
    ours = services.register(institution_member, event, data, {}, True)
    client.force_login(institution_admin)
    assert "Inst Member" in client.get("/events/mine/").content.decode()
    reads = PersonalDataRead.objects.filter(reader=institution_admin)
    assert [(r.object_id, r.kind) for r in reads] == [(ours.pk, ReadKind.REGISTRATION)]
    client.force_login(institution_member)
    client.get("/events/mine/")
    assert not PersonalDataRead.objects.filter(reader=institution_member).exists()
