"""Event rules that every path obeys: the page, the API and the admin (issue 13, item 8).

Regressions: "Give a place" took an event of 2 places to 3 approved participants with no
warning; a session on another day than the event's was accepted; check-in was accepted months
before the event.
"""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.events import services
from liaison.events.models import Attendance, RegistrationStatus, Session

from .conftest import at, sign_up

APPROVED, WAITLISTED = RegistrationStatus.APPROVED, RegistrationStatus.WAITLISTED


def post_json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def full(setup, event, participants):
    """Two places taken, a third participant on the waiting list."""
    return [sign_up(user, event) for user in participants[:3]]


# A place beyond the capacity -----------------------------------------------------------------


def test_give_a_place_on_the_page_asks_for_a_reason_and_shows_it(client, full, event, manager):
    waiting = full[2]
    client.force_login(manager)
    page = client.get(reverse("events:participants", args=[event.pk])).content.decode()
    assert "The event is full" in page
    assert "Reason for a place beyond the capacity" in page
    action = reverse("events:participant_action", args=[event.pk, waiting.pk, "promote"])

    response = client.post(action, follow=True)
    assert "2 of 2 places are taken" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == WAITLISTED

    response = client.post(action, {"reason": "Keynote speaker's deputy"}, follow=True)
    body = response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == APPROVED
    assert "over capacity: Keynote speaker&#x27;s deputy" in body
    assert (
        f"{waiting.name} has a place at {event.title}, beyond the capacity: "
        "Keynote speaker&#x27;s deputy." in body
    )
    assert AuditEntry.objects.filter(
        action="registration.promoted", reason="Keynote speaker's deputy"
    ).exists()


def test_give_a_place_through_the_api_asks_for_a_reason(client, full, manager):
    waiting = full[2]
    client.force_login(manager)
    url = f"/api/registrations/{waiting.pk}/promote/"
    response = post_json(client, url, {})
    assert response.status_code == 400
    assert "2 of 2 places are taken" in response.content.decode()
    response = post_json(client, url, {"reason": "Host country's delegate"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == APPROVED
    waiting.refresh_from_db()
    assert waiting.over_capacity_reason == "Host country's delegate"


def test_the_admin_refuses_an_approval_beyond_the_capacity_without_a_reason(
    client, full, event, secretariat
):
    waiting = full[2]
    client.force_login(secretariat)
    url = f"/admin/events/registration/{waiting.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, (list, dict))
    }
    data.update(
        {
            "event": event.pk,
            "status": APPROVED,
            "answers": "{}",
            "follow_up_answers": "{}",
            "attendances-TOTAL_FORMS": "0",
            "attendances-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "2 of 2 places are taken" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == WAITLISTED


# Sessions within their event's days -----------------------------------------------------------


def test_a_session_outside_the_event_is_refused_by_the_model(event):
    session = Session(event=event, title="Late", start=at(50, 9), end=at(50, 10))
    with pytest.raises(ValidationError, match="during its event"):
        session.full_clean()
    Session(event=event, title="Second day", start=at(31, 9), end=at(31, 10)).full_clean()


def test_a_session_outside_the_event_is_refused_on_the_page(client, event, manager):
    client.force_login(manager)
    late = at(50, 14)
    response = client.post(
        reverse("events:part_create", args=[event.pk, "sessions"]),
        {
            "title": "Wrap-up",
            "kind": "session",
            "start": late.strftime("%Y-%m-%dT%H:%M"),
            "end": late.strftime("%Y-%m-%dT15:00"),
        },
    )
    assert response.status_code == 200
    assert "A session takes place during its event" in response.content.decode()
    assert not event.sessions.exists()


def test_a_session_outside_the_event_is_refused_by_the_api(client, event, manager):
    client.force_login(manager)
    body = {
        "event": event.pk,
        "title": "Wrap-up",
        "kind": "session",
        "start": at(50, 14).strftime("%Y-%m-%dT%H:%M"),
        "end": at(50, 15).strftime("%Y-%m-%dT%H:%M"),
    }
    response = post_json(client, "/api/sessions/", body)
    assert response.status_code == 400
    assert "during its event" in response.content.decode()
    assert not event.sessions.exists()


def test_a_session_outside_the_event_is_refused_in_the_admin(client, event, secretariat):
    client.force_login(secretariat)
    late = at(50, 14)
    response = client.post(
        "/admin/events/session/add/",
        {
            "event": event.pk,
            "title": "Wrap-up",
            "kind": "session",
            "start_0": late.strftime("%Y-%m-%d"),
            "start_1": "14:00",
            "end_0": late.strftime("%Y-%m-%d"),
            "end_1": "15:00",
            "talks-TOTAL_FORMS": "0",
            "talks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "A session takes place during its event" in response.content.decode()
    assert not Session.objects.exists()


def test_moving_an_event_away_from_its_sessions_is_refused(event, session, manager):
    event.start, event.end = at(60, 9), at(61, 17)
    with pytest.raises(ValidationError, match="Opening"):
        services.save_event(manager, event, {"start": event.start, "end": event.end})


# Check-in within its window ------------------------------------------------------------------


def test_check_in_months_before_the_event_is_refused_with_the_window(
    setup, event, session, participants, manager
):
    registration = sign_up(participants[0], event)
    with pytest.raises(services.RegistrationRefused) as refused:
        services.set_attendance(
            manager, registration, True, session=session, now=event.start - datetime.timedelta(90)
        )
    first, last = event.days[0], event.days[-1]
    opens = (first - datetime.timedelta(days=1)).strftime("%-d %B %Y")
    closes = (last + datetime.timedelta(days=7)).strftime("%-d %B %Y")
    assert f"open from {opens} to {closes}" in str(refused.value)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    "offset, allowed",
    [
        (datetime.timedelta(days=-1, hours=-9), True),  # the day before, at midnight
        (datetime.timedelta(days=-1, hours=-9, minutes=-1), False),
        (datetime.timedelta(days=8, hours=-10), True),  # the seventh day after the end
        (datetime.timedelta(days=9), False),
    ],
)
def test_check_in_window_edges(setup, event, participants, manager, offset, allowed):
    # The event runs from 09:00 on its first day to 17:00 on its second, Belgrade time.
    registration = sign_up(participants[0], event)
    now = event.start + offset
    if allowed:
        services.set_attendance(manager, registration, True, day=event.days[0], now=now)
        assert Attendance.objects.count() == 1
    else:
        with pytest.raises(services.RegistrationRefused, match="Check-in for this event"):
            services.set_attendance(manager, registration, True, day=event.days[0], now=now)


def test_check_in_too_early_through_the_api_and_the_page(
    client, setup, event, session, participants, manager
):
    # Today is a month before the event.
    registration = sign_up(participants[0], event)
    client.force_login(manager)
    response = post_json(
        client, f"/api/registrations/{registration.pk}/attendance/", {"session": session.pk}
    )
    assert response.status_code == 400
    assert "Check-in for this event is open from" in response.json()["detail"]
    page = client.get(reverse("events:check_in", args=[event.pk]) + f"?session={session.pk}")
    assert "Check-in for this event is open from" in page.content.decode()
    toggle = client.post(
        reverse("events:check_in_toggle", args=[event.pk, registration.pk]),
        {"session": session.pk, "present": "1"},
    )
    assert toggle.status_code == 400
    assert not Attendance.objects.exists()


def test_the_admin_refuses_a_check_in_outside_the_window(setup, event, participants):
    registration = sign_up(participants[0], event)
    attendance = Attendance(registration=registration, day=event.days[0])
    with pytest.raises(ValidationError, match="Check-in for this event"):
        attendance.full_clean()


def test_decisions_say_what_happened_to_whom(client, setup, event, participants, manager):
    """Regression (issue 13, item 20): the participant list answered "Vera Viewer: done."."""
    setup.needs_approval = True
    setup.save()
    pending = sign_up(participants[0], event)
    client.force_login(manager)
    action = reverse("events:participant_action", args=[event.pk, pending.pk, "approve"])
    response = client.post(action, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert shown == [f"{pending.name}'s registration for {event.title} is approved."]


def test_moving_an_event_away_from_its_sessions_is_refused_by_the_api(
    client, event, session, manager
):
    client.force_login(manager)
    later = {"start": at(60, 9).isoformat(), "end": at(61, 17).isoformat()}
    response = client.patch(
        f"/api/events/{event.pk}/", json.dumps(later), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert "Opening" in response.content.decode()
    event.refresh_from_db()
    assert event.start == at(30, 9)
