"""Check-in, counts by country, institution type and sex, and erasure after retention."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from liaison.core.models import AuditEntry
from liaison.directory.models import OrganisationType, Person
from liaison.events import services
from liaison.events.models import Attendance, Registration, RegistrationStatus, Session
from tests.events.conftest import at, make_event, sign_up


@pytest.fixture
def crowd(setup, event, participants, countries, check_in_open):
    """Four approved participants from two countries, one on the waiting list."""
    setup.capacity = 4
    setup.save()
    rs, ge = countries["RS"], countries["GE"]
    plan = [
        (rs, OrganisationType.POLICE, "female"),
        (rs, OrganisationType.POLICE, "male"),
        (ge, OrganisationType.MINISTRY, "female"),
        (ge, OrganisationType.TRAINING, "not_stated"),
        (ge, OrganisationType.TRAINING, "male"),
    ]
    return [
        sign_up(user, event, country=country, institution_type=kind, sex=sex)
        for user, (country, kind, sex) in zip(participants, plan, strict=True)
    ]


def test_check_in_per_session_and_per_day(crowd, event, session, manager):
    first = crowd[0]
    services.set_attendance(manager, first, True, session=session)
    services.set_attendance(manager, first, True, session=session)  # a second tap changes nothing
    services.set_attendance(manager, first, True, day=event.days[1])
    assert Attendance.objects.filter(registration=first).count() == 2
    services.set_attendance(manager, first, False, session=session)
    assert list(Attendance.objects.filter(registration=first).values_list("day", flat=True)) == [
        event.days[1]
    ]


def test_check_in_refusals(crowd, event, session, manager, viewer, project, countries):
    waiting = crowd[4]
    assert waiting.status == RegistrationStatus.WAITLISTED
    with pytest.raises(services.RegistrationRefused):
        services.set_attendance(manager, waiting, True, session=session)
    other = make_event("Another", projects=[project], country=countries["RS"])
    elsewhere = Session.objects.create(event=other, title="X", start=at(30), end=at(30, 10))
    with pytest.raises(services.RegistrationRefused):
        services.set_attendance(manager, crowd[0], True, session=elsewhere)
    with pytest.raises(services.RegistrationRefused):
        services.set_attendance(manager, crowd[0], True, day=datetime.date(2001, 1, 1))
    with pytest.raises(services.PermissionDenied):
        services.set_attendance(viewer, crowd[0], True, session=session)
    assert not Attendance.objects.exists()


def test_counts_by_country_institution_type_and_sex_in_one_query(
    crowd, event, session, manager, django_assert_num_queries
):
    for registration in crowd[:3]:
        services.set_attendance(manager, registration, True, session=session)
    with django_assert_num_queries(1):
        counts = services.attendance_counts(event)
    assert counts["registered"] == 4 and counts["attended"] == 3
    by_country = {
        row["label"]: (row["registered"], row["attended"]) for row in counts["by_country"]
    }
    assert by_country == {"Serbia": (2, 2), "Georgia": (2, 1)}
    by_type = {row["label"]: row["attended"] for row in counts["by_institution_type"]}
    assert by_type == {"Police": 2, "Ministry": 1, "Training institution": 0}
    by_sex = {row["label"]: row["registered"] for row in counts["by_sex"]}
    assert by_sex == {"Female": 2, "Male": 1, "Prefer not to say": 1}


def test_erasure_after_the_retention_period_keeps_the_counts(
    crowd, setup, event, session, manager, contact, organisation
):
    setup.allow_nominations = True
    setup.capacity = None
    setup.save()
    nominee = {"name": "Nominee", "email": "nominee@example.org"}
    services.nominate(manager, event, organisation, [nominee], consent=True)
    for registration in crowd[:3]:
        services.set_attendance(manager, registration, True, session=session)
    before = services.attendance_counts(event)
    # Not yet: the retention period (30 days after the end) is still running.
    assert services.erase_expired_registrations(now=event.end + datetime.timedelta(days=29)) == 0
    later = event.end + datetime.timedelta(days=31)
    assert services.erase_expired_registrations(now=later) == 6
    assert services.attendance_counts(event) == before
    for registration in Registration.objects.filter(event=event):
        assert registration.name == registration.email == registration.position == ""
        assert registration.person is None and registration.user is None
        assert registration.answers == {} and registration.erased_at == later
        assert registration.country is not None
    # A person created only for this event is gone; a contact point of the directory and the
    # record of someone with an account (their own profile) stay, without this event.
    assert not Person.objects.filter(email="nominee@example.org").exists()
    assert Person.objects.filter(pk=contact.pk).exists()
    kept = Person.objects.get(user__username="participant0")
    assert not kept.registrations.exists()
    assert AuditEntry.objects.filter(action="event.participants_erased").count() == 1
    assert services.erase_expired_registrations(now=later) == 0


def test_erasure_keeps_a_person_who_has_another_event(
    setup, event, participants, project, countries
):
    from liaison.events.models import RegistrationForm

    old = sign_up(participants[0], event)
    later_event = make_event(
        "Later",
        projects=[project],
        country=countries["RS"],
        start=at(300),
        end=at(301),
    )
    RegistrationForm.objects.create(event=later_event, is_open=True, retention_days=30)
    sign_up(participants[0], later_event)
    services.erase_expired_registrations(now=event.end + datetime.timedelta(days=31))
    assert Person.objects.filter(pk=old.person_id).exists()


def test_erasure_command(crowd, event):
    event.start = timezone.now() - datetime.timedelta(days=100)
    event.end = timezone.now() - datetime.timedelta(days=99)
    event.save()
    call_command("erase_expired_registrations")
    assert not Registration.objects.filter(event=event, erased_at__isnull=True).exists()
