"""An event of the ``project`` fixture, managed by its manager, with a registration form.

The event meets in Belgrade (Europe/Belgrade) in the future; the form is open with two places
and a waiting list. Participants are people with public accounts.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from liaison.core.models import Role
from liaison.directory.models import OrganisationType
from liaison.events import services
from liaison.events.models import Event, EventType, Mode, RegistrationForm, Session, Speaker
from tests.conftest import make_user

BELGRADE = "Europe/Belgrade"


def at(days: int, hour: int = 9, minute: int = 0) -> datetime.datetime:
    """A moment ``days`` from today at a venue-clock time in Belgrade."""
    from zoneinfo import ZoneInfo

    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ZoneInfo(BELGRADE))


def make_event(title="Regional workshop on risk analysis", *, projects=(), **extra) -> Event:
    values = {
        "type": EventType.WORKSHOP,
        "mode": Mode.HYBRID,
        "venue": "Palace of Serbia",
        "city": "Belgrade",
        "timezone": BELGRADE,
        "start": at(30, 9),
        "end": at(31, 17),
        "online_url": "https://meet.example.org/secret-room",
        "published": True,
    }
    values.update(extra)
    event = Event.objects.create(title=title, **values)
    event.projects.set(projects)
    return event


def person_data(name="Mira Officer", email="mira@example.org", **extra) -> dict:
    data = {
        "name": name,
        "email": email,
        "position": "Inspector",
        "organisation": None,
        "organisation_name": "Border Police Directorate",
        "country": None,
        "institution_type": OrganisationType.BORDER_GUARD,
        "sex": "female",
        "publish_consent": False,
    }
    data.update(extra)
    return data


@pytest.fixture
def event(project, countries):
    return make_event(projects=[project], country=countries["RS"])


@pytest.fixture
def setup(event):
    return RegistrationForm.objects.create(
        event=event, is_open=True, capacity=2, waiting_list=True, retention_days=30
    )


@pytest.fixture
def session(event):
    return Session.objects.create(event=event, title="Opening", start=at(30, 9, 30), end=at(30, 11))


@pytest.fixture
def speaker(event, organisation):
    return Speaker.objects.create(event=event, name="Dr Lena Speaker", organisation=organisation)


@pytest.fixture
def participants(db):
    return [make_user(f"participant{i}", Role.PUBLIC, email=f"p{i}@example.org") for i in range(5)]


def sign_up(user, event, *, consent=True, answers=None, **extra):
    """Register ``user`` under their own name and e-mail."""
    data = person_data(user.username, user.email, **extra)
    return services.register(user, event, data, answers or {}, consent)


@pytest.fixture
def check_in_open(monkeypatch):
    """The services' clock set to the first morning of events made by ``make_event``, when
    check-in is open (it opens only the day before an event). Only the services' clock moves,
    so ``at()`` keeps counting from today."""
    moment = at(30, 10)
    monkeypatch.setattr(services, "timezone", SimpleNamespace(now=lambda: moment))
    return moment
