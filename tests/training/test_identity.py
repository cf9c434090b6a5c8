"""Nobody becomes someone else by typing their e-mail address (issue 13, item 1).

A new account registers for an open event with a trainee's address in another letter case. The
trainee's person record, enrolments and certificate stay theirs and stay out of the newcomer's
sight, and every change of an account's person is in the audit trail.
"""

import datetime

import pytest

from liaison.core.models import AuditEntry, Role
from liaison.directory.models import Person
from liaison.events import services as event_services
from liaison.events.models import Registration, RegistrationForm
from liaison.training.models import Certificate
from tests.conftest import make_user
from tests.events.conftest import make_event, person_data

REGISTRATIONS = "/api/registrations/"


@pytest.fixture
def open_event(project, countries):
    event = make_event(projects=[project], country=countries["RS"])
    RegistrationForm.objects.create(
        event=event, is_open=True, capacity=20, retention_days=30, allow_nominations=True
    )
    return event


@pytest.fixture
def certificate(enrolment):
    return Certificate.objects.create(
        enrolment=enrolment,
        holder_name="Tara Trainee",
        course_title=enrolment.course.title,
        issued_on=datetime.date(2026, 3, 4),
    )


@pytest.fixture
def newcomer(db):
    return make_user("newcomer", Role.PUBLIC, email="newcomer@example.net")


def test_registering_with_someone_elses_e_mail_takes_over_nothing(
    client, open_event, newcomer, trainee, enrolment, certificate
):
    victim = trainee.person
    client.force_login(newcomer)
    response = client.post(
        REGISTRATIONS,
        {
            "event": open_event.pk,
            "name": "Tara Trainee",
            "email": victim.email.upper(),
            "sex": "female",
            "organisation_name": "Border Police Directorate",
            "country": "RS",
            "institution_type": "border_guard",
            "consent": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "own e-mail address" in str(response.json())
    victim.refresh_from_db()
    assert victim.user == trainee
    assert not Person.objects.filter(user=newcomer).exists()
    assert not Registration.objects.exists()
    # What the victim has stays out of the newcomer's sight.
    assert client.get("/api/training/enrolments/").json()["results"] == []
    assert client.get("/api/training/certificates/").json()["results"] == []
    assert client.get(victim.get_absolute_url()).status_code in (403, 404)
    # ... and stays the victim's.
    client.force_login(trainee)
    assert [row["id"] for row in client.get("/api/training/certificates/").json()["results"]] == [
        certificate.pk
    ]


def test_an_account_without_a_person_never_gets_an_existing_one(open_event, newcomer, officer):
    """Even with the account's own address, an unlinked directory person is not attached: the
    account has not proved it owns the address; the secretariat links them if they are one."""
    newcomer.email = officer.email.upper()
    newcomer.save()
    registration = event_services.register(
        newcomer, open_event, person_data("Oskar Officer", officer.email), {}, True
    )
    officer.refresh_from_db()
    assert officer.user is None
    assert registration.person != officer and registration.person.user == newcomer
    entry = AuditEntry.objects.get(action="person.account_linked")
    assert entry.object_id == str(registration.person.pk)
    assert entry.changes == {"user": [None, "newcomer"]}


def test_an_account_without_an_address_gets_a_new_person_only(open_event, trainee, db):
    lonely = make_user("lonely", Role.PUBLIC)
    registration = event_services.register(
        lonely, open_event, person_data("Someone", trainee.person.email.upper()), {}, True
    )
    assert registration.person.user == lonely
    assert Person.objects.get(pk=trainee.person.pk).user == trainee


def test_the_register_page_keeps_the_accounts_own_address(client, open_event, newcomer, trainee):
    client.force_login(newcomer)
    page = client.get(f"/events/{open_event.pk}/register/").content.decode()
    assert 'value="newcomer@example.net"' in page
    response = client.post(
        f"/events/{open_event.pk}/register/",
        {
            "name": "Tara Trainee",
            "email": trainee.person.email,
            "organisation_name": "Border Police Directorate",
            "country": open_event.country.pk,
            "institution_type": "border_guard",
            "sex": "female",
            "consent": "on",
        },
    )
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert registration.email == "newcomer@example.net"
    assert Person.objects.get(pk=trainee.person.pk).user == trainee


def test_a_focal_point_registers_another_person_without_linking_anyone(
    open_event, secretariat, trainee
):
    """A registration that names another e-mail is a registration *of* that person."""
    registration = event_services.nominate(
        secretariat,
        open_event,
        trainee.person.organisation,
        [person_data("Tara Trainee", trainee.person.email.upper())],
        True,
    )[0]
    assert registration.person == trainee.person
    assert Person.objects.get(pk=trainee.person.pk).user == trainee
    assert not Person.objects.filter(user=secretariat).exists()
