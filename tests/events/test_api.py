"""The events API: the pages' visibility and checks, writes through the services, clear errors.

The owner is the manager of the event's project, the member a staff viewer who may only read,
the outsider a manager of another project (or a public account, or nobody signed in).
"""

import datetime
import json

import pytest
from django.core.cache import cache

from liaison.core.models import AuditEntry
from liaison.events.models import (
    Attendance,
    Event,
    KnowledgeItem,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    Speaker,
)
from tests.conftest import make_project

from .conftest import at, make_event, sign_up

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    # The anonymous rate limit counts in the cache, which outlives a single test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def draft_event(countries):
    return make_event("Internal planning meeting", published=False, country=countries["RS"])


@pytest.fixture
def other_event(other_manager, countries):
    """An event of another project, managed by the outsider."""
    project = make_project("Other project", acronym="OTHER", managers=[other_manager])
    return make_event("Other workshop", projects=[project], country=countries["GE"])


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def register_body(event, **extra):
    body = {
        "event": event.pk,
        "name": "Mira Officer",
        "email": "mira@example.org",
        "organisation_name": "Border Police Directorate",
        "country": "RS",
        "institution_type": "border_guard",
        "sex": "female",
        "consent": True,
    }
    body.update(extra)
    return body


# Events: who sees what ------------------------------------------------------------------------


def test_anonymous_sees_published_events_only(client, event, draft_event):
    assert ids(client.get("/api/events/")) == {event.pk}
    assert client.get(f"/api/events/{event.pk}/").status_code == 200
    assert client.get(f"/api/events/{draft_event.pk}/").status_code == 404


def test_staff_member_sees_drafts(client, viewer, event, draft_event):
    client.force_login(viewer)
    assert ids(client.get("/api/events/")) == {event.pk, draft_event.pk}


def test_event_times_come_in_the_venue_zone(client, event):
    row = client.get("/api/events/").json()["results"][0]
    assert row["timezone"] == "Europe/Belgrade"
    start = datetime.datetime.fromisoformat(row["start"])
    assert start == event.start
    assert (start.hour, start.minute) == (9, 0)
    assert row["country"] == "RS"
    assert row["registration_open"] is False


def test_event_detail_hides_link_and_minutes_from_the_public(client, event, manager, setup):
    event.minutes = "Only for the organisers."
    event.save()
    data = client.get(f"/api/events/{event.pk}/").json()
    assert "online_url" not in data and "minutes" not in data
    assert b"secret-room" not in client.get(f"/api/events/{event.pk}/").content
    assert data["registration_form"]["open_now"] is True
    assert data["registration_open"] is True

    client.force_login(manager)
    data = client.get(f"/api/events/{event.pk}/").json()
    assert data["online_url"] == "https://meet.example.org/secret-room"
    assert data["minutes"] == "Only for the organisers."


def test_approved_participant_sees_the_link_in_event_and_sessions(
    client, event, setup, session, participants
):
    user = participants[0]
    sign_up(user, event)
    session.online_url = "https://meet.example.org/session-room"
    session.save()
    client.force_login(user)
    assert client.get(f"/api/events/{event.pk}/").json()["online_url"].endswith("secret-room")
    row = client.get(f"/api/sessions/?event={event.pk}").json()["results"][0]
    assert row["online_url"].endswith("session-room")

    client.force_login(participants[1])  # not registered
    row = client.get(f"/api/sessions/?event={event.pk}").json()["results"][0]
    assert "online_url" not in row


def test_draft_projects_are_not_named_to_the_public(client, event, draft_project, project):
    event.projects.add(draft_project)
    row = client.get("/api/events/").json()["results"][0]
    assert row["projects"] == [project.pk]
    assert client.get(f"/api/events/{event.pk}/").json()["projects"] == [project.pk]


def test_follow_up_event_is_listed_on_its_parent(client, event, countries):
    follow_up = make_event("Online follow-up", parent=event, mode="online", country=None)
    make_event("Hidden follow-up", parent=event, published=False, country=countries["RS"])
    data = client.get(f"/api/events/{event.pk}/").json()
    assert data["follow_ups"] == [follow_up.pk]
    assert client.get(f"/api/events/{follow_up.pk}/").json()["parent"] == event.pk


# Events: the page's filters -------------------------------------------------------------------


def test_event_filters_are_the_page_filters(client, event, other_event, countries):
    past = make_event("Last year's meeting", start=at(-400), end=at(-399), country=countries["HU"])
    assert ids(client.get("/api/events/?country=GE")) == {other_event.pk}
    assert ids(client.get("/api/events/?when=past")) == {past.pk}
    assert ids(client.get("/api/events/?when=upcoming")) == {event.pk, other_event.pk}
    assert ids(client.get("/api/events/?q=other")) == {other_event.pk}
    assert ids(client.get(f"/api/events/?project={event.projects.get().pk}")) == {event.pk}
    assert ids(client.get("/api/events/?type=workshop&country=HU")) == {past.pk}


@pytest.mark.parametrize(
    "query", ["type=party", "country=ZZ", "when=someday", "start_from=yesterday", "network=abc"]
)
def test_bad_event_filters_are_400(client, event, query):
    response = client.get(f"/api/events/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_a_draft_project_cannot_be_used_as_a_filter_by_the_public(client, event, draft_project):
    event.projects.add(draft_project)
    assert client.get(f"/api/events/?project={draft_project.pk}").status_code == 400


# Events: writing ------------------------------------------------------------------------------


NEW_EVENT = {
    "title": "Study visit to Europol",
    "type": "study_visit",
    "mode": "in_person",
    "city": "The Hague",
    "country": "NL",
    "timezone": "Europe/Amsterdam",
    "start": "2030-03-04T09:00",
    "end": "2030-03-05T16:00",
    "published": True,
}


def test_manager_creates_an_event_for_their_project(client, manager, project):
    client.force_login(manager)
    response = post(client, "/api/events/", {**NEW_EVENT, "projects": [project.pk]})
    assert response.status_code == 201, response.content
    event = Event.objects.get(title="Study visit to Europol")
    # Typed without an offset: the venue's clock, 09:00 in The Hague (UTC+1 in March).
    assert event.start == datetime.datetime(2030, 3, 4, 8, 0, tzinfo=datetime.UTC)
    assert response.json()["start"] == "2030-03-04T09:00:00+01:00"
    assert list(event.organisers.all()) == [manager]
    assert list(event.projects.all()) == [project]
    assert AuditEntry.objects.filter(action="event.created", object_id=str(event.pk)).exists()


def test_manager_cannot_link_a_project_they_do_not_manage(client, manager, other_event):
    client.force_login(manager)
    response = post(
        client, "/api/events/", {**NEW_EVENT, "projects": [other_event.projects.get().pk]}
    )
    assert response.status_code == 403
    assert "projects you manage" in response.json()["detail"]
    assert not Event.objects.filter(title="Study visit to Europol").exists()


@pytest.mark.parametrize("who", [None, "public_user", "viewer"])
def test_only_the_secretariat_and_managers_create_events(client, request, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = post(client, "/api/events/", NEW_EVENT)
    assert response.status_code in {401, 403}
    assert not Event.objects.filter(title="Study visit to Europol").exists()


def test_event_rules_give_400_with_the_field(client, manager):
    client.force_login(manager)
    response = post(client, "/api/events/", {**NEW_EVENT, "end": "2030-03-01T09:00"})
    assert response.status_code == 400
    assert "end" in response.json()
    response = post(client, "/api/events/", {**NEW_EVENT, "timezone": "Mars/Olympus"})
    assert response.status_code == 400
    assert "timezone" in response.json()
    assert not Event.objects.exists()


def test_owner_edits_member_and_outsider_may_not(client, event, manager, viewer, other_manager):
    for outsider in (viewer, other_manager):
        client.force_login(outsider)
        response = patch(client, f"/api/events/{event.pk}/", {"title": "Hijacked"})
        assert response.status_code == 403
    client.force_login(manager)
    response = patch(
        client, f"/api/events/{event.pk}/", {"title": "Renamed", "reason": "Typo in the title"}
    )
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert event.title == "Renamed"
    entry = AuditEntry.objects.get(action="event.updated", object_id=str(event.pk))
    assert entry.reason == "Typo in the title"
    assert entry.changes["title"] == ["Regional workshop on risk analysis", "Renamed"]


def test_events_cannot_be_deleted(client, event, manager):
    client.force_login(manager)
    assert client.delete(f"/api/events/{event.pk}/").status_code == 405


# Sessions -------------------------------------------------------------------------------------


def test_sessions_of_one_event_with_panel(client, event, session, speaker, other_event):
    moderator = Speaker.objects.create(event=event, name="Moderator")
    panel = Session.objects.create(
        event=event,
        title="Looking ahead",
        kind=SessionKind.PANEL,
        start=at(30, 11, 30),
        end=at(30, 13),
        moderator=moderator,
    )
    panel.panellists.set([speaker])
    Session.objects.create(event=other_event, title="Elsewhere", start=at(30), end=at(30, 10))

    rows = client.get(f"/api/sessions/?event={event.pk}").json()["results"]

    assert [r["title"] for r in rows] == ["Opening", "Looking ahead"]
    assert rows[1]["moderator"] == moderator.pk
    assert rows[1]["panellists"] == [speaker.pk]
    assert rows[0]["start"].endswith("+02:00") or rows[0]["start"].endswith("+01:00")
    speakers = client.get(f"/api/events/{event.pk}/").json()["speakers"]
    assert {s["name"] for s in speakers} == {"Moderator", "Dr Lena Speaker"}


def test_sessions_of_a_draft_event_are_hidden(client, draft_event):
    Session.objects.create(event=draft_event, title="Secret", start=at(30), end=at(30, 10))
    assert ids(client.get("/api/sessions/")) == set()
    assert client.get(f"/api/sessions/?event={draft_event.pk}").status_code == 400


def test_manager_adds_a_panel_through_the_service(client, event, manager, speaker):
    client.force_login(manager)
    body = {
        "event": event.pk,
        "title": "Panel",
        "kind": "panel",
        "start": at(30, 14).strftime("%Y-%m-%dT%H:%M"),
        "end": at(30, 15).strftime("%Y-%m-%dT%H:%M"),
        "moderator": speaker.pk,
        "panellists": [speaker.pk],
    }
    response = post(client, "/api/sessions/", body)
    assert response.status_code == 201, response.content
    panel = Session.objects.get(title="Panel")
    assert list(panel.panellists.all()) == [speaker]
    assert panel.local_start.hour == 14  # Belgrade clock
    assert AuditEntry.objects.filter(action="session.created").exists()


def test_sessions_refuse_another_events_speaker_and_outsiders(
    client, event, manager, other_manager, other_event
):
    stranger = Speaker.objects.create(event=other_event, name="Stranger")
    body = {
        "event": event.pk,
        "title": "Panel",
        "start": "2030-01-01T14:00",
        "end": "2030-01-01T15:00",
    }
    client.force_login(manager)
    assert post(client, "/api/sessions/", {**body, "panellists": [stranger.pk]}).status_code == 400
    assert post(client, "/api/sessions/", {**body, "chair": stranger.pk}).status_code == 400
    client.force_login(other_manager)
    assert post(client, "/api/sessions/", body).status_code == 403
    assert not Session.objects.filter(title="Panel").exists()


# Registrations --------------------------------------------------------------------------------


def test_anonymous_sees_no_registrations(client, event, setup, participants):
    registration = sign_up(participants[0], event)
    assert client.get("/api/registrations/").status_code in {401, 403}
    assert client.get(f"/api/registrations/{registration.pk}/").status_code in {401, 403}
    assert b"participant0" not in client.get(f"/api/events/{event.pk}/").content


def test_register_without_consent_is_400_and_saves_nothing(client, event, setup, public_user):
    client.force_login(public_user)
    response = post(client, "/api/registrations/", register_body(event, consent=False))
    assert response.status_code == 400
    assert "consent" in response.json()["detail"]
    assert not Registration.objects.exists()
    response = post(client, "/api/registrations/", {**register_body(event), "consent": None})
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_register_through_the_api(client, event, setup, public_user):
    question = Question.objects.create(
        form=setup, label="Dietary needs", kind=QuestionKind.TEXT, required=True
    )
    client.force_login(public_user)
    form = client.get(f"/api/events/{event.pk}/").json()["registration_form"]
    assert form["questions"][0]["key"] == question.key

    missing = post(client, "/api/registrations/", register_body(event))
    assert missing.status_code == 400
    assert "Dietary needs" in missing.json()["detail"]

    body = register_body(event, answers={question.key: "None"}, publish_consent=True)
    response = post(client, "/api/registrations/", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "approved"
    assert data["email"] == "mira@example.org"
    assert "token" not in data
    registration = Registration.objects.get()
    assert registration.user == public_user and registration.publish_consent
    assert registration.country.code == "RS" and registration.consent_given_at

    again = post(client, "/api/registrations/", register_body(event))
    assert again.status_code == 400
    assert "already registered" in again.json()["detail"]


def test_register_follows_the_page_form_rules(client, event, setup, public_user):
    client.force_login(public_user)
    body = register_body(event)
    del body["country"], body["institution_type"]
    response = post(client, "/api/registrations/", body)
    assert response.status_code == 400
    assert {"country", "institution_type"} <= set(response.json())
    response = post(client, "/api/registrations/", register_body(event, sex="robot"))
    assert response.status_code == 400 and "sex" in response.json()


def test_cannot_register_for_an_unseen_or_closed_event(client, draft_event, event, public_user):
    client.force_login(public_user)
    response = post(client, "/api/registrations/", register_body(draft_event))
    assert response.status_code == 400 and "event" in response.json()
    response = post(client, "/api/registrations/", register_body(event))  # no form yet
    assert response.status_code == 400
    assert "not open" in response.json()["detail"]
    assert not Registration.objects.exists()


def test_each_sees_their_own_and_the_owner_sees_the_events(
    client, event, setup, participants, manager, viewer, other_manager
):
    first = sign_up(participants[0], event)
    second = sign_up(participants[1], event)

    client.force_login(participants[0])
    response = client.get("/api/registrations/")
    assert ids(response) == {first.pk}
    assert b"p1@example.org" not in response.content
    assert client.get(f"/api/registrations/{second.pk}/").status_code == 404

    client.force_login(manager)
    assert ids(client.get(f"/api/registrations/?event={event.pk}")) == {first.pk, second.pk}
    assert ids(client.get("/api/registrations/?status=approved")) == {first.pk, second.pk}

    for outsider in (viewer, other_manager):
        client.force_login(outsider)
        assert ids(client.get(f"/api/registrations/?event={event.pk}")) == set()
        assert client.get(f"/api/registrations/{first.pk}/").status_code == 404
        assert post(client, f"/api/registrations/{first.pk}/cancel/").status_code == 404
    assert Registration.objects.filter(status=RegistrationStatus.APPROVED).count() == 2


def test_outsider_cannot_approve_or_see_counts(client, event, setup, participants, other_manager):
    setup.needs_approval = True
    setup.save()
    registration = sign_up(participants[0], event)
    client.force_login(other_manager)
    assert post(client, f"/api/registrations/{registration.pk}/approve/").status_code == 404
    assert client.get(f"/api/events/{event.pk}/counts/").status_code == 403
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_participant_cannot_approve_their_own_registration(client, event, setup, participants):
    setup.needs_approval = True
    setup.save()
    registration = sign_up(participants[0], event)
    client.force_login(participants[0])
    response = post(client, f"/api/registrations/{registration.pk}/approve/")
    assert response.status_code == 403
    assert "organisers" in response.json()["detail"]
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING


def test_owner_approves_with_an_audit_entry(client, event, setup, participants, manager):
    setup.needs_approval = True
    setup.save()
    registration = sign_up(participants[0], event)
    client.force_login(manager)

    response = post(
        client, f"/api/registrations/{registration.pk}/approve/", {"reason": "Nominated"}
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "approved"
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    entry = AuditEntry.objects.get(action="registration.approved")
    assert entry.actor == manager and entry.object_id == str(registration.pk)
    assert entry.reason == "Nominated"
    assert entry.changes == {"status": ["pending", "approved"]}
    # A second decision on the same registration is refused with the service's reason.
    again = post(client, f"/api/registrations/{registration.pk}/approve/")
    assert again.status_code == 400
    assert "cannot be changed" in again.json()["detail"]


def test_reject_and_cancel(client, event, setup, participants, manager):
    setup.needs_approval = True
    setup.save()
    first = sign_up(participants[0], event)
    second = sign_up(participants[1], event)
    client.force_login(manager)
    assert post(client, f"/api/registrations/{first.pk}/reject/").json()["status"] == "rejected"
    client.force_login(participants[1])
    response = post(client, f"/api/registrations/{second.pk}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert post(client, f"/api/registrations/{second.pk}/cancel/").status_code == 400
    assert AuditEntry.objects.filter(action="registration.rejected").count() == 1
    assert AuditEntry.objects.filter(action="registration.cancelled").count() == 1


def test_attendance_and_counts(client, event, setup, session, participants, manager, check_in_open):
    registration = sign_up(participants[0], event, country=event.country)
    client.force_login(manager)
    url = f"/api/registrations/{registration.pk}/attendance/"
    response = post(client, url, {"session": session.pk, "present": True})
    assert response.status_code == 200, response.content
    assert Attendance.objects.filter(registration=registration, session=session).exists()
    day = (event.local_start.date() - datetime.timedelta(days=3)).isoformat()
    assert post(client, url, {"day": day}).status_code == 400
    assert post(client, url, {}).status_code == 400

    counts = client.get(f"/api/events/{event.pk}/counts/").json()
    assert counts["registered"] == 1 and counts["attended"] == 1
    assert counts["by_country"][0]["label"] == "Serbia"

    client.force_login(participants[0])
    assert post(client, url, {"session": session.pk}).status_code == 403


# Bad input ------------------------------------------------------------------------------------


def test_malformed_json_and_ids(client, event, setup, public_user, manager):
    client.force_login(public_user)
    response = client.post("/api/registrations/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
    assert client.get("/api/events/abc/").status_code == 404
    assert client.get("/api/events/999999/").status_code == 404
    assert client.get("/api/registrations/abc/").status_code == 404
    assert post(client, "/api/registrations/999999/approve/").status_code == 404
    response = post(client, "/api/registrations/", {**register_body(event), "event": "x"})
    assert response.status_code == 400 and "event" in response.json()
    response = post(client, "/api/registrations/", {**register_body(event), "event": 999999})
    assert response.status_code == 400 and "event" in response.json()
    client.force_login(manager)
    response = patch(client, f"/api/events/{event.pk}/", {"projects": ["one"]})
    assert response.status_code == 400
    assert not Registration.objects.exists()


# Knowledge ------------------------------------------------------------------------------------


def test_knowledge_items_follow_visibility(client, event, draft_event, manager):
    shown = KnowledgeItem.objects.create(kind="lesson", title="Shared", body="Text", event=event)
    KnowledgeItem.objects.create(kind="lesson", title="Hidden", body="Text", event=draft_event)
    KnowledgeItem.objects.create(kind="lesson", title="Unpublished", body="Text", published=False)
    assert ids(client.get("/api/knowledge-items/")) == {shown.pk}
    assert ids(client.get("/api/knowledge-items/?q=shared&kind=lesson")) == {shown.pk}
    client.force_login(manager)
    assert len(ids(client.get("/api/knowledge-items/"))) == 3


def test_knowledge_items_written_by_authors(client, event, manager, other_manager, public_user):
    body = {
        "kind": "good_practice",
        "title": "Joint patrols",
        "body": "Plan them together.",
        "themes": ["border-management"],
        "event": event.pk,
    }
    client.force_login(public_user)
    assert post(client, "/api/knowledge-items/", body).status_code == 403
    client.force_login(manager)
    response = post(client, "/api/knowledge-items/", body)
    assert response.status_code == 201, response.content
    item = KnowledgeItem.objects.get()
    assert item.created_by == manager
    assert list(item.themes.values_list("code", flat=True)) == ["border-management"]
    assert AuditEntry.objects.filter(action="knowledge.created").exists()

    client.force_login(other_manager)
    response = patch(client, f"/api/knowledge-items/{item.pk}/", {"title": "Mine now"})
    assert response.status_code == 403
    client.force_login(manager)
    response = patch(client, f"/api/knowledge-items/{item.pk}/", {"title": "Joint patrols 2"})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.title == "Joint patrols 2"


# Cost per page --------------------------------------------------------------------------------


def _populate(n, project, countries, participants):
    for i in range(n):
        event = make_event(f"Event {i}", projects=[project], country=countries["RS"])
        speaker = Speaker.objects.create(event=event, name=f"Speaker {i}")
        session = Session.objects.create(
            event=event, title=f"Session {i}", start=at(30), end=at(30, 10), chair=speaker
        )
        session.panellists.set([speaker])
        session.talks.create(title="Talk").speakers.set([speaker])
        Registration.objects.create(
            event=event, name="x", email=f"x{i}@example.org", status="approved", country=None
        )
        KnowledgeItem.objects.create(kind="lesson", title=f"Lesson {i}", body="b", event=event)


@pytest.mark.parametrize(
    ("url", "limit"),
    [
        ("/api/events/", 5),
        ("/api/sessions/", 8),
        ("/api/registrations/", 4),
        ("/api/knowledge-items/", 5),
    ],
)
def test_list_query_count_does_not_grow(
    client, manager, project, countries, participants, django_assert_max_num_queries, url, limit
):
    client.force_login(manager)
    _populate(2, project, countries, participants)
    with django_assert_max_num_queries(limit):
        assert client.get(url).status_code == 200
    _populate(20, project, countries, participants)
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.json()["count"] >= 22


# Schema ---------------------------------------------------------------------------------------


def test_schema_lists_the_events_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    for path in (
        "/api/events/",
        "/api/events/{id}/",
        "/api/events/{id}/counts/",
        "/api/sessions/",
        "/api/registrations/",
        "/api/registrations/{id}/approve/",
        "/api/registrations/{id}/cancel/",
        "/api/knowledge-items/{id}/",
    ):
        assert path in paths
    assert "post" in paths["/api/registrations/"]
    assert "delete" not in paths["/api/events/{id}/"]
