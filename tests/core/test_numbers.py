"""Issue 13, item 6: an id or a number too large for the database is a message, not a 500.

Before the fix ``99999999999999999999`` in ``/api/events/?project=``,
``/api/networks/?organisation=``, ``/api/people/?organisation=``,
``/api/training/results/?course=`` and in the multi-select fields of ``/events/new/``
(projects) and ``/assessments/new/`` (team) answered 500 on SQLite and 400 on PostgreSQL. Both
now answer 400 (API) or the form again (pages), with a message. Run on PostgreSQL with
``LIAISON_DATABASE_URL``.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from liaison.assessments.models import Assessment
from liaison.events.models import Event
from tests.assessments.conftest import make_template
from tests.conftest import make_project

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
INVALID_CHOICE = "Select a valid choice."


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


def messages(response, name):
    assert response.status_code == 400, response.content
    return " ".join(response.json()[name])


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/events/", "project"),
        ("/api/networks/", "organisation"),
        ("/api/people/", "organisation"),
        ("/api/training/results/", "course"),
        ("/api/training/results/", "quiz"),
        ("/api/organisations/", "parent"),
        ("/api/projects/", "facility"),
        ("/api/sessions/", "event"),
    ],
)
def test_an_id_out_of_range_in_a_filter_is_a_400_with_a_message(client, secretariat, url, name):
    client.force_login(secretariat)
    assert INVALID_CHOICE in messages(client.get(url, {name: HUGE}), name)
    # Out of range among good values, and below the range, alike.
    assert INVALID_CHOICE in messages(client.get(url, {name: ["1", HUGE]}), name)
    assert INVALID_CHOICE in messages(client.get(url, {name: "-" + HUGE}), name)


def test_a_number_out_of_range_in_a_filter_is_a_400_with_a_message(client, secretariat):
    client.force_login(secretariat)
    text = messages(client.get("/api/training/modules/", {"level": HUGE}), "level")
    assert "Enter a number between" in text
    text = messages(client.get("/api/projects/", {"budget_min": "1e400"}), "budget_min")
    assert "Enter a number between" in text


def test_event_form_refuses_a_project_id_out_of_range(client, manager, countries):
    project = make_project(managers=[manager])
    client.force_login(manager)
    data = {
        "title": "Huge id",
        "type": "workshop",
        "mode": "in_person",
        "venue": "Hall",
        "city": "Belgrade",
        "country": countries["RS"].pk,
        "timezone": "Europe/Belgrade",
        "start": "2030-01-01T09:00",
        "end": "2030-01-02T17:00",
        "projects": [str(project.pk), HUGE],
    }
    response = client.post(reverse("events:event_create"), data)
    assert response.status_code == 200
    assert INVALID_CHOICE in response.content.decode()
    assert not Event.objects.filter(title="Huge id").exists()


def test_assessment_form_refuses_a_team_member_id_out_of_range(client, secretariat, organisation):
    template = make_template()
    client.force_login(secretariat)
    data = {
        "institution": organisation.pk,
        "template": template.pk,
        "assessed_on": "2025-03-01",
        "lead": secretariat.pk,
        "team": [HUGE],
    }
    response = client.post(reverse("assessments:create"), data)
    assert response.status_code == 200
    assert INVALID_CHOICE in response.content.decode()
    assert not Assessment.objects.exists()
