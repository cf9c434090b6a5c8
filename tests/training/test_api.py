"""The training API asks what the pages ask: who reads what, who writes what, and the same
validation, with clear 4xx answers and nothing half-saved."""

import datetime

import pytest
from django.core.cache import cache
from django.test.client import encode_multipart

from liaison.core.models import AuditEntry
from liaison.directory.models import Organisation, OrganisationType, Person
from liaison.training.models import (
    Certificate,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Module,
    Quiz,
    QuizAttempt,
)

MODULES = "/api/training/modules/"
COURSES = "/api/training/courses/"
ENROLMENTS = "/api/training/enrolments/"
RESULTS = "/api/training/results/"
CERTIFICATES = "/api/training/certificates/"


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()


@pytest.fixture
def draft(centre):
    return Module.objects.create(centre=centre, code="RMT-09", title="Secret draft")


@pytest.fixture
def certificate(enrolment):
    return Certificate.objects.create(
        enrolment=enrolment,
        holder_name="Tara Trainee",
        course_title=enrolment.course.title,
        issued_on=datetime.date(2026, 3, 4),
    )


def test_the_public_reads_published_modules_only(client, module, draft):
    body = client.get(MODULES).json()
    assert [row["code"] for row in body["results"]] == ["RMT-01"]
    assert client.get(f"{MODULES}{draft.pk}/").status_code == 404
    assert client.get(MODULES, {"language": "sr"}).json()["count"] == 1


def test_centre_staff_create_a_module_with_the_form_rules(client, centre_staff, centre, module):
    client.force_login(centre_staff)
    data = {
        "centre": centre.pk,
        "code": "RMT-05",
        "title": "Return counselling",
        "level_framework": "eqf",
        "duration_hours": "8",
        "assessment_method": "quiz",
        "accreditation": "draft",
        "languages": ["en"],
        "delivery_modes": ["classroom"],
    }
    response = client.post(MODULES, data, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert Module.objects.get(code="RMT-05").versions.count() == 1
    duplicate = client.post(MODULES, {**data, "code": "rmt-01"}, content_type="application/json")
    assert duplicate.status_code == 400 and "code" in duplicate.json()
    assert Module.objects.count() == 2
    change = client.patch(
        f"{MODULES}{module.pk}/",
        {"title": "Migration law, revised"},
        content_type="application/json",
    )
    assert change.status_code == 200, change.json()
    module.refresh_from_db()
    assert module.title == "Migration law, revised" and module.languages == ["en", "sr"]


def test_others_cannot_write_modules(client, trainee, centre, module):
    client.force_login(trainee)
    response = client.post(
        MODULES, {"centre": centre.pk, "code": "X", "title": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    response = client.patch(
        f"{MODULES}{module.pk}/", {"title": "X"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert Module.objects.count() == 1


def test_the_online_link_is_for_trainees_and_trainers(client, course, trainee, enrolment, outsider):
    course.online_url = "https://meet.example.org/room"
    course.save()
    assert client.get(f"{COURSES}{course.pk}/").json()["online_url"] == ""
    client.force_login(outsider)
    assert client.get(f"{COURSES}{course.pk}/").json()["online_url"] == ""
    client.force_login(trainee)
    assert client.get(f"{COURSES}{course.pk}/").json()["online_url"] == course.online_url


def test_a_focal_point_nominates_and_the_centre_approves(
    client, course, focal_point, officer, centre_staff
):
    course.status = CourseStatus.NOMINATIONS
    course.save()
    client.force_login(focal_point)
    response = client.post(
        ENROLMENTS,
        {"course": course.pk, "person": officer.pk, "sex": "male", "motivation": "Front line"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    enrolment = Enrolment.objects.get(person=officer)
    assert enrolment.status == EnrolmentStatus.NOMINATED
    refused = client.post(f"{ENROLMENTS}{enrolment.pk}/approve/", content_type="application/json")
    assert refused.status_code == 403
    client.force_login(centre_staff)
    response = client.post(f"{ENROLMENTS}{enrolment.pk}/approve/", content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert AuditEntry.objects.filter(object_type="training.enrolment").exists()


def test_a_focal_point_cannot_nominate_another_institutions_officer(
    client, course, focal_point, countries
):
    course.status = CourseStatus.NOMINATIONS
    course.save()
    elsewhere = Organisation.objects.create(
        name="Other ministry", type=OrganisationType.MINISTRY, country=countries["GE"]
    )
    stranger = Person.objects.create(name="Giorgi", organisation=elsewhere)
    client.force_login(focal_point)
    response = client.post(
        ENROLMENTS, {"course": course.pk, "person": stranger.pk}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Enrolment.objects.filter(person=stranger).exists()


def test_rejecting_needs_a_note(client, course, centre_staff, enrolment):
    client.force_login(centre_staff)
    response = client.post(f"{ENROLMENTS}{enrolment.pk}/reject/", content_type="application/json")
    assert response.status_code == 400
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.APPROVED


def test_a_trainee_sees_only_their_own_enrolment_and_results(
    client, trainee, enrolment, other_enrolment, other_trainee, module, course
):
    quiz = Quiz.objects.create(module=module, title="Final")
    for user in (trainee, other_trainee):
        QuizAttempt.objects.create(
            quiz=quiz,
            user=user,
            course=course,
            submitted=datetime.datetime.now(datetime.UTC),
            percent=80,
            passed=True,
        )
    client.force_login(trainee)
    enrolments = client.get(ENROLMENTS).json()["results"]
    assert [row["id"] for row in enrolments] == [enrolment.pk]
    assert client.get(f"{ENROLMENTS}{other_enrolment.pk}/").status_code == 404
    results = client.get(RESULTS).json()["results"]
    assert [row["learner"] for row in results] == ["Tara Trainee"]


def test_the_trainer_sees_the_course_results(
    client, trainer, enrolment, other_enrolment, module, course, trainee, other_trainee
):
    quiz = Quiz.objects.create(module=module, title="Final")
    for user in (trainee, other_trainee):
        QuizAttempt.objects.create(
            quiz=quiz,
            user=user,
            course=course,
            submitted=datetime.datetime.now(datetime.UTC),
            percent=80,
            passed=True,
        )
    client.force_login(trainer)
    assert client.get(RESULTS, {"course": course.pk}).json()["count"] == 2


def test_anyone_verifies_a_code_and_learns_only_what_the_page_shows(client, certificate):
    response = client.get(f"{CERTIFICATES}verify/", {"code": certificate.code.lower()})
    assert response.status_code == 200
    assert response.json() == {
        "code": certificate.code,
        "holder": "Tara Trainee",
        "course": certificate.course_title,
        "issued_on": "2026-03-04",
        "valid_until": None,
        "status": "valid",
    }
    assert client.get(f"{CERTIFICATES}verify/", {"code": "AAAA-BBBB-CCCC"}).status_code == 404
    assert client.get(f"{CERTIFICATES}verify/", {"code": "<script>"}).status_code == 404
    assert client.get(CERTIFICATES).json()["count"] == 0


def test_revoking_through_the_api(client, certificate, centre_staff, trainee):
    url = f"{CERTIFICATES}{certificate.pk}/revoke/"
    client.force_login(trainee)
    assert client.post(url, {"reason": "x"}, content_type="application/json").status_code == 403
    client.force_login(centre_staff)
    assert client.post(url, {}, content_type="application/json").status_code == 400
    assert client.post(url, {"reason": "Fraud"}, content_type="application/json").status_code == 200
    again = client.post(url, {"reason": "Again"}, content_type="application/json")
    assert again.status_code == 400
    client.logout()
    status = client.get(f"{CERTIFICATES}verify/", {"code": certificate.code}).json()["status"]
    assert status == "revoked"


def test_the_schema_lists_the_training_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in (MODULES, COURSES, ENROLMENTS, RESULTS, CERTIFICATES, f"{CERTIFICATES}verify/"):
        assert path.removeprefix("") in schema["paths"], path


# Issue 13, item 11: permission first, then validation; every advertised content type works.


@pytest.mark.parametrize(
    "body, content_type",
    [
        ("{not json", "application/json"),
        ('["a", "list"]', "application/json"),
        ("centre=abc&centre=&code=%00", "application/x-www-form-urlencoded"),
    ],
)
def test_a_visitors_malformed_module_is_refused_before_it_is_read(
    client, centre, module, body, content_type
):
    """Regression: a malformed body from an anonymous visitor answered 500, because the body
    was validated before anyone asked who was sending it."""
    response = client.post(MODULES, body, content_type=content_type)
    assert response.status_code == 403
    assert "detail" in response.json()
    response = client.patch(f"{MODULES}{module.pk}/", body, content_type=content_type)
    assert response.status_code == 403
    assert Module.objects.count() == 1


def test_a_trainee_gets_403_not_field_errors_for_an_empty_module(client, trainee, module):
    client.force_login(trainee)
    response = client.post(MODULES, {}, content_type="application/json")
    assert response.status_code == 403
    assert "centre" not in response.json()


def test_form_encoded_patch_and_put_change_a_module(client, centre_staff, module):
    """Regression: form-encoded PATCH and PUT answered 500 (a QueryDict merged as a dict)."""
    client.force_login(centre_staff)
    response = client.patch(
        f"{MODULES}{module.pk}/",
        "title=Migration+law%2C+revised&languages=en&languages=sr",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, response.json()
    module.refresh_from_db()
    assert module.title == "Migration law, revised"
    assert module.languages == ["en", "sr"]

    current = client.get(f"{MODULES}{module.pk}/").json()
    fields = {k: v for k, v in current.items() if k not in {"url", "translations", "id"}}
    fields["title"] = "Migration law, put"
    multipart = {k: v for k, v in fields.items() if v is not None}
    response = client.put(
        f"{MODULES}{module.pk}/",
        encode_multipart("BoUnDaRy", multipart),
        content_type="multipart/form-data; boundary=BoUnDaRy",
    )
    assert response.status_code == 200, response.json()
    module.refresh_from_db()
    assert module.title == "Migration law, put"


def test_form_encoded_patch_changes_a_course(client, centre_staff, course, module):
    client.force_login(centre_staff)
    response = client.patch(
        f"{COURSES}{course.pk}/",
        f"title=Spring+cohort%2C+renamed&modules={module.pk}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200, response.json()
    course.refresh_from_db()
    assert course.title == "Spring cohort, renamed"
    assert list(course.modules.all()) == [module]
