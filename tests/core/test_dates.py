"""Issue 13, item 5: a date outside 1900–2100 is refused by every door with one message.

Before the fix ``PATCH /api/events/<id>/ {"start": "0001-01-01T00:00:00"}`` was accepted; on
PostgreSQL (Europe/Brussels is ahead of UTC) the stored value fell in year 0 and every page
listing events answered 500. ``?start_from=0001-01-01`` and year-1 dates in the event, session
and registration forms answered 500 on SQLite. Run on PostgreSQL with ``LIAISON_DATABASE_URL``.
"""

import json

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison.events.models import Event, RegistrationForm
from tests.conftest import make_project
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db

MESSAGE = "Enter a date between 1900 and 2100."
YEAR_ONE = "0001-01-01T00:00:00"


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def project(manager):
    return make_project(managers=[manager])


@pytest.fixture
def event(project, countries):
    return make_event(projects=[project], country=countries["RS"])


def patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def lists_still_work(client):
    """Every list of events still answers, for the public and the organiser alike."""
    for url in ("/api/events/", reverse("events:events"), reverse("web:dashboard")):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_api_refuses_a_year_one_start_and_keeps_the_event(client, manager, event):
    before = Event.objects.get(pk=event.pk).start
    client.force_login(manager)
    for start in (YEAR_ONE, "0001-01-01T00:00:00+05:00", "2101-01-01T00:00:00"):
        response = patch(client, f"/api/events/{event.pk}/", {"start": start})
        assert response.status_code == 400, response.content
        assert response.json()["start"] == [MESSAGE]
    assert Event.objects.get(pk=event.pk).start == before
    lists_still_work(client)


def test_no_list_of_events_breaks_after_a_year_one_patch(client, manager, event):
    """The PostgreSQL crash: a year-1 start stored from Europe/Brussels fell in year 0 in UTC,
    and every page and feed listing events answered 500 until the row was repaired by SQL."""
    client.force_login(manager)
    patch(client, f"/api/events/{event.pk}/", {"start": YEAR_ONE, "end": "0001-01-02T00:00:00"})
    lists_still_work(client)
    client.logout()
    lists_still_work(client)
    assert Event.objects.get(pk=event.pk).start.year > 1


def test_api_refuses_a_year_one_event_when_created(client, manager, project):
    client.force_login(manager)
    body = {
        "title": "Study visit",
        "type": "study_visit",
        "mode": "in_person",
        "city": "The Hague",
        "country": "NL",
        "start": YEAR_ONE,
        "end": "2030-03-05T16:00",
        "projects": [project.pk],
    }
    response = client.post("/api/events/", json.dumps(body), content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["start"] == [MESSAGE]
    assert not Event.objects.filter(title="Study visit").exists()


def test_year_one_in_the_date_filter_is_a_message(client, event):
    response = client.get("/api/events/?start_from=0001-01-01")
    assert response.status_code == 400
    assert response.json()["start_from"] == [MESSAGE]
    response = client.get("/api/events/?start_to=9999-12-31")
    assert response.status_code == 400
    page = client.get(reverse("events:events") + "?start_from=0001-01-01")
    assert page.status_code == 200
    assert MESSAGE in page.content.decode()


def test_event_form_refuses_year_one(client, manager, event, project, countries):
    client.force_login(manager)
    data = {
        "title": "Year one",
        "type": "workshop",
        "mode": "in_person",
        "venue": "Hall",
        "city": "Belgrade",
        "country": countries["RS"].pk,
        "timezone": "Europe/Belgrade",
        "start": "0001-01-01T09:00",
        "end": "0001-01-02T17:00",
        "projects": [project.pk],
    }
    response = client.post(reverse("events:event_create"), data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Event.objects.filter(title="Year one").exists()
    response = client.post(reverse("events:event_edit", args=[event.pk]), data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    lists_still_work(client)


def test_session_form_refuses_year_one(client, manager, event):
    client.force_login(manager)
    data = {"title": "Opening", "kind": "plenary", "start": "0001-01-01T09:00"}
    data["end"] = "0001-01-01T10:00"
    response = client.post(reverse("events:part_create", args=[event.pk, "sessions"]), data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not event.sessions.exists()


def test_registration_form_refuses_year_one(client, manager, event):
    client.force_login(manager)
    data = {
        "is_open": "on",
        "capacity": "20",
        "retention_days": "30",
        "opens_at": "0001-01-01T09:00",
        "closes_at": "0001-01-02T12:00",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("events:registration_setup", args=[event.pk]), data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not RegistrationForm.objects.filter(event=event).exists()


def test_the_model_refuses_year_one_for_the_admin_and_every_model_form(event):
    event.start = event.start.replace(year=1)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["start"] == [MESSAGE]


def test_admin_refuses_year_one(client, secretariat, event):
    client.force_login(secretariat)
    url = reverse("admin:events_event_change", args=[event.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name in form.fields:
        data.update(_admin_values(form, name))
    data["start_0"], data["start_1"] = "0001-01-01", "09:00:00"
    response = client.post(url, data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert Event.objects.get(pk=event.pk).start.year != 1


def _admin_values(form, name):
    """The POST data the admin's change form sends for one field, as the browser would."""
    bound = form[name]
    widget = bound.field.widget
    html_name = bound.html_name
    value = bound.value()
    if hasattr(widget, "widgets"):  # a split date and time
        parts = widget.decompress(value)
        return {f"{html_name}_{i}": "" if p is None else str(p) for i, p in enumerate(parts)}
    if isinstance(value, list | tuple):
        return {html_name: [str(v) for v in value]}
    if isinstance(value, bool):
        return {html_name: "on"} if value else {}
    return {} if value is None else {html_name: str(value)}
