"""My data: a person's copy of everything held about them, and erasure (issue 14, item 6).

Beside the training centre's fixtures, since the copy and the erasure reach enrolments and
certificates as well as event registrations.
"""

import datetime
import json
import re

import pytest

from liaison.core.models import AuditEntry
from liaison.directory.models import Person
from liaison.events.models import Registration
from liaison.privacy import services
from liaison.privacy.models import DataExport, ErasureRequest, ErasureStatus
from liaison.training.models import Certificate, Enrolment

from ..events.conftest import make_event

MY_DATA = "/privacy/my-data/"


@pytest.fixture
def history(trainee, enrolment, project, organisation):
    event = make_event(projects=[project])
    registration = Registration.objects.create(
        event=event,
        person=trainee.person,
        user=trainee,
        name="Tara Trainee",
        email=trainee.person.email,
        sex="female",
        status="approved",
        answers={"diet": "vegetarian"},
    )
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        holder_name="Tara Trainee",
        course_title=enrolment.course.title,
        issued_on=datetime.date(2026, 3, 4),
    )
    AuditEntry.objects.create(
        action="certificate.issued",
        object_type="training.certificate",
        object_id=str(certificate.pk),
        object_repr=f"Certificate of Tara Trainee ({certificate.code})",
        changes={"holder": "Tara Trainee"},
    )
    return {"registration": registration, "certificate": certificate, "event": event}


def test_the_copy_holds_the_profile_registrations_answers_enrolments_and_certificates(
    client, trainee, history
):
    client.force_login(trainee)
    response = client.get(f"{MY_DATA}download/")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    records = data["records"]
    assert records["directory.person"][0]["name"] == "Tara Trainee"
    assert records["core.user"][0]["username"] == "trainee"
    assert "password" not in records["core.user"][0]
    registration = records["events.registration"][0]
    assert registration["answers"] == {"diet": "vegetarian"}
    assert "token" not in registration
    enrolment = records["training.enrolment"][0]
    assert enrolment["_records"]["training.certificate"][0]["holder_name"] == "Tara Trainee"
    assert DataExport.objects.get().format == "json"


def test_the_readable_copy_shows_the_same(client, trainee, history):
    client.force_login(trainee)
    page = client.get(f"{MY_DATA}summary/").content.decode()
    assert "Tara Trainee" in page and "vegetarian" in page and "Migration law basics" in page


def test_the_readable_copy_shows_values_as_people_read_them_and_the_file_keeps_them_raw(
    client, trainee, history
):
    """Regression: the page showed "Contact point False", "Role public", "Outcome in_progress"
    and ISO timestamps; it now shows yes/no, choices by their label and dates as elsewhere,
    while the JSON file keeps the stored values for programs."""
    Person.objects.filter(pk=trainee.person.pk).update(is_contact_point=False)
    client.force_login(trainee)
    page = client.get(f"{MY_DATA}summary/").content.decode()
    assert "<dt>Contact point</dt><dd>No</dd>" in page
    assert "<dt>Role</dt><dd>Public</dd>" in page
    assert "<dt>Outcome</dt><dd>In progress</dd>" in page
    assert "<dt>Issued on</dt><dd>4 Mar 2026</dd>" in page
    assert "False" not in page and "in_progress" not in page
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:", page)

    records = json.loads(client.get(f"{MY_DATA}download/").content)["records"]
    assert records["directory.person"][0]["is_contact_point"] is False
    assert records["core.user"][0]["role"] == "public"
    enrolment = records["training.enrolment"][0]
    assert enrolment["outcome"] == "in_progress"
    assert enrolment["_records"]["training.certificate"][0]["issued_on"] == "2026-03-04"
    assert re.match(r"\d{4}-\d{2}-\d{2}T\d{2}:", records["core.user"][0]["date_joined"])


def test_the_copy_holds_no_one_elses_data(client, trainee, other_enrolment, history):
    client.force_login(trainee)
    body = client.get(f"{MY_DATA}download/").content.decode()
    assert "Theo Other" not in body and "trainee2" not in body


def test_without_a_personal_record_there_is_nothing_to_show(client, outsider):
    client.force_login(outsider)
    assert "holds no record about you" in client.get(MY_DATA).content.decode()
    assert client.get("/privacy/my-data/download/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(MY_DATA).status_code == 302


def test_a_person_asks_once_and_sees_the_decision(client, trainee, secretariat):
    client.force_login(trainee)
    client.post(f"{MY_DATA}erasure/", {"note": "Leaving the service"})
    response = client.post(f"{MY_DATA}erasure/", {}, follow=True)
    assert "already with the secretariat" in response.content.decode()
    assert ErasureRequest.objects.count() == 1

    erasure = ErasureRequest.objects.get()
    services.refuse_erasure(secretariat, erasure, "Attendance lists are kept for the audit.")
    page = client.get(MY_DATA).content.decode()
    assert "Refused" in page and "kept for the audit" in page


@pytest.mark.parametrize("who", ["manager", "viewer", "trainee", "centre_staff"])
def test_only_the_secretariat_decides(client, request, who, trainee):
    erasure = services.request_erasure(trainee, trainee.person)
    client.force_login(request.getfixturevalue(who))
    assert client.get("/privacy/erasure-requests/").status_code == 403
    url = f"/privacy/erasure-requests/{erasure.pk}/"
    assert client.post(url, {"decision": "carry_out"}).status_code == 403
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.PENDING
    assert Person.objects.get(pk=trainee.person.pk).name == "Tara Trainee"


def test_a_refusal_needs_a_legal_reason(client, secretariat, trainee):
    erasure = services.request_erasure(trainee, trainee.person)
    client.force_login(secretariat)
    url = f"/privacy/erasure-requests/{erasure.pk}/"
    page = client.post(url, {"decision": "refuse", "legal_reason": "  "}).content.decode()
    assert "Give the legal reason" in page
    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.PENDING


def test_erasure_removes_the_name_everywhere_and_keeps_the_counts(
    client, secretariat, trainee, history, course, other_enrolment
):
    person = trainee.person
    counts = (
        Enrolment.objects.filter(course=course).count(),
        sorted(Enrolment.objects.filter(course=course).values_list("sex", flat=True)),
    )
    erasure = services.request_erasure(trainee, person)
    client.force_login(secretariat)
    response = client.post(f"/privacy/erasure-requests/{erasure.pk}/", {"decision": "carry_out"})
    assert response.status_code == 302

    erasure.refresh_from_db()
    assert erasure.status == ErasureStatus.CARRIED_OUT
    person.refresh_from_db()
    assert person.name == "Erased person" and person.email == "" and person.user is None
    trainee.refresh_from_db()
    assert not trainee.is_active and trainee.username == f"erased-{trainee.pk}"
    assert not trainee.has_usable_password() and trainee.email == ""
    registration = Registration.objects.get(pk=history["registration"].pk)
    assert registration.name == "" and registration.answers == {} and registration.person is None
    assert registration.sex == "female" and registration.erased_at
    certificate = Certificate.objects.get(pk=history["certificate"].pk)
    assert certificate.holder_name == ""
    verify = client.get(f"/training/verify/{certificate.code}/").content.decode()
    assert "Name erased" in verify and "Tara" not in verify
    assert not AuditEntry.objects.filter(object_repr__icontains="Tara").exists()
    assert "Tara" not in json.dumps(list(AuditEntry.objects.values_list("changes", flat=True)))

    after = (
        Enrolment.objects.filter(course=course).count(),
        sorted(Enrolment.objects.filter(course=course).values_list("sex", flat=True)),
    )
    assert after == counts
    for page in (person.get_absolute_url(), f"/training/courses/{course.pk}/", "/audit/"):
        body = client.get(page).content.decode()
        assert "Tara Trainee" not in body, page
    assert AuditEntry.objects.filter(action="person.erased").exists()


def test_the_erased_account_cannot_sign_in(client, secretariat, trainee):
    erasure = services.request_erasure(trainee, trainee.person)
    services.carry_out_erasure(secretariat, erasure)
    from ..conftest import PASSWORD

    response = client.post(
        "/accounts/login/", {"login": "trainee", "password": PASSWORD}, follow=True
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_a_decided_request_cannot_be_decided_again(secretariat, trainee):
    from django.core.exceptions import ValidationError

    erasure = services.request_erasure(trainee, trainee.person)
    services.carry_out_erasure(secretariat, erasure)
    with pytest.raises(ValidationError):
        services.refuse_erasure(secretariat, erasure, "Too late")


def test_nobody_asks_for_someone_else(trainee, other_trainee):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.request_erasure(other_trainee, trainee.person)
