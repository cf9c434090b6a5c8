"""``liaison demo`` loads events: the MPF exchange event with its online follow-up, and the
meetings of the ILECU network, each with registrations and attendance."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from liaison.directory.models import NetworkKind
from liaison.events import services
from liaison.events.models import (
    Attendance,
    Event,
    EventType,
    Mode,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    Speaker,
    Talk,
)

pytestmark = pytest.mark.django_db

EXCHANGE = "MPF Exchange Event 2023"


def run(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def sizes() -> dict[str, int]:
    models = (Event, Session, Speaker, Talk, Registration, Attendance, Event.projects.through)
    return {model.__name__: model.objects.count() for model in models}


def test_the_exchange_event_has_its_sessions_panel_speakers_and_follow_up():
    run()
    event = Event.objects.get(title=EXCHANGE)
    assert event.published and event.timezone == "Europe/Brussels"
    assert event.registration_form is not None
    assert event.local_start.date().isoformat() == "2023-09-28"
    assert event.projects.filter(acronym__in=["PROMETHEUS II", "RAPAK", "INSigHT"]).count() == 3

    sessions = list(event.sessions.all())
    assert len(sessions) >= 2
    assert any(s.title.startswith("Morning session") for s in sessions)
    assert any(s.title.startswith("Afternoon session") for s in sessions)
    assert any(s.local_start.hour < 12 for s in sessions)
    assert any(s.local_start.hour >= 13 for s in sessions)

    panel = event.sessions.get(kind=SessionKind.PANEL)
    assert panel.moderator.name == "Borut Erzen"
    assert set(panel.panellists.values_list("name", flat=True)) == {
        "Erik Silfversten",
        "Vilim Lukas",
        "Silvia Carta",
        "Richard Ares Baumgartner",
    }
    speakers = set(
        Talk.objects.filter(session__event=event).values_list("speakers__name", flat=True)
    )
    assert {"Pawel Busiakiewicz", "Jean-Christophe Hilaire", "Oleg Chirita"} <= speakers
    tangney = event.speakers.get(name="Jennifer Tangney")
    assert tangney.person is not None and tangney.organisation.acronym == "ICMPD"

    follow_up = event.follow_ups.get()
    assert follow_up.mode == Mode.ONLINE and follow_up.type == EventType.ONLINE_SESSION
    assert follow_up.local_start.isoformat() == "2023-10-30T10:00:00+01:00"
    assert follow_up.online_url and follow_up.published
    assert follow_up.sessions.get().moderator.name == "Borut Erzen"


def test_the_exchange_event_has_registrations_attendance_and_outcomes():
    run()
    event = Event.objects.get(title=EXCHANGE)
    counts = services.attendance_counts(event)
    assert counts["registered"] >= 20 and 0 < counts["attended"] <= counts["registered"]
    assert len(counts["by_country"]) >= 5
    assert len(counts["by_institution_type"]) >= 4
    assert Attendance.objects.filter(registration__event=event, session__isnull=False).exists()
    assert event.decisions.count() == 2 and event.actions.exists()
    assert event.knowledge_items.filter(published=True).count() == 2
    assert event.synopsis


def test_the_ilecu_network_meets_with_registrations_and_attendance():
    run()
    meetings = Event.objects.filter(network__kind=NetworkKind.COORDINATION_UNITS)
    assert meetings.count() >= 5
    assert {EventType.MEETING, EventType.WORKSHOP, EventType.STUDY_VISIT} <= set(
        meetings.values_list("type", flat=True)
    )
    zones = dict(meetings.values_list("city", "timezone"))
    assert zones["Budapest"] == "Europe/Budapest"
    assert zones["Chișinău"] == "Europe/Chisinau"
    assert zones["The Hague"] == "Europe/Amsterdam"
    ilecu = meetings.first().projects.get()
    assert ilecu.title.startswith("Further strengthening of International Law Enforcement")

    past = [m for m in meetings if m.end < timezone.now()]
    assert len(past) >= 5
    for meeting in past:
        assert meeting.published and meeting.registration_form is not None
        assert meeting.sessions.count() >= 2
        assert meeting.local_start.hour == 9
        counts = services.attendance_counts(meeting)
        assert counts["attended"] > 0, meeting.title

    registrations = Registration.objects.filter(event__in=meetings)
    assert set(registrations.values_list("status", flat=True)) == set(RegistrationStatus.values)
    assert {"female", "male"} <= set(registrations.values_list("sex", flat=True))
    assert registrations.values("country").distinct().count() >= 5
    assert registrations.values("institution_type").distinct().count() >= 3
    assert registrations.filter(publish_consent=True).exists()
    assert registrations.filter(publish_consent=False).exists()
    assert all(r.email.endswith("@example.org") for r in registrations)


def test_one_network_meeting_is_upcoming_and_takes_registrations():
    run()
    upcoming = Event.objects.filter(network__isnull=False, end__gte=timezone.now()).get()
    form = upcoming.registration_form
    assert form.refusal(timezone.now()) == ""
    assert upcoming.organisers.filter(username="manager").exists()
    statuses = set(upcoming.registrations.values_list("status", flat=True))
    assert {RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED} <= statuses
    assert not Attendance.objects.filter(registration__event=upcoming).exists()


def test_demo_twice_does_not_duplicate_events():
    run("--if-empty")
    first = sizes()
    assert first["Event"] >= 8
    assert "already" in run("--if-empty", "--projects", "5")
    assert sizes() == first
    run()
    assert sizes() == first


def _snapshot(seed: int) -> list[tuple]:
    with transaction.atomic():
        run("--seed", str(seed))
        rows = list(
            Registration.objects.order_by("event__title", "email").values_list(
                "event__title", "name", "status", "sex", "country__code", "publish_consent"
            )
        )
        transaction.set_rollback(True)
    return rows


def test_the_same_seed_gives_the_same_participants():
    first = _snapshot(3)
    assert _snapshot(3) == first
    assert _snapshot(4) != first


def test_demo_events_show_on_the_pages_and_in_the_api(client):
    cache.clear()
    run()
    event = Event.objects.get(title=EXCHANGE)
    page = client.get(event.get_absolute_url())
    assert page.status_code == 200
    assert "Borut Erzen" in page.content.decode()
    data = client.get(f"/api/events/{event.pk}/").json()
    assert data["follow_ups"] == [event.follow_ups.get().pk]
    network = Event.objects.filter(network__isnull=False).first().network
    listed = client.get(f"/api/events/?network={network.pk}").json()
    assert listed["count"] == network.events.count() >= 5
    cache.clear()
