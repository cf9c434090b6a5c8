"""An institution's administrator nominates its officers at any centre and follows their
enrolments, never another institution's; a forged institution or officer is refused with
nothing saved. Pages and API."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.directory.models import Person
from liaison.training import permissions
from liaison.training.models import CourseStatus, Enrolment, EnrolmentStatus

pytestmark = pytest.mark.django_db

ENROLMENTS = "/api/training/enrolments/"


@pytest.fixture
def open_course(course):
    course.status = CourseStatus.NOMINATIONS
    course.nominations_close = timezone.localdate() + datetime.timedelta(days=10)
    course.save()
    return course


@pytest.fixture
def our_officer(institution):
    return Person.objects.create(
        name="Dragan Officer", organisation=institution, email="dragan@example.org"
    )


@pytest.fixture
def their_officer(other_institution):
    return Person.objects.create(
        name="Ion Officer", organisation=other_institution, email="ion@example.org"
    )


@pytest.fixture
def enrolments(open_course, our_officer, their_officer, institution, other_institution):
    return [
        Enrolment.objects.create(
            course=open_course, person=person, organisation=organisation, sex="male"
        )
        for person, organisation in (
            (our_officer, institution),
            (their_officer, other_institution),
        )
    ]


def nominate(client, course, **data):
    return client.post(reverse("training:nominate", args=[course.pk]), {"sex": "male", **data})


def test_the_administrator_nominates_an_officer_of_their_institution(
    client, open_course, institution, our_officer, institution_admin
):
    client.force_login(institution_admin)
    response = nominate(client, open_course, organisation=institution.pk, person=our_officer.pk)
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(person=our_officer)
    assert enrolment.status == EnrolmentStatus.NOMINATED
    assert enrolment.nominated_by == institution_admin


def test_a_forged_institution_is_refused_and_nothing_saved(
    client, open_course, other_institution, their_officer, institution_admin
):
    client.force_login(institution_admin)
    response = nominate(
        client, open_course, organisation=other_institution.pk, person=their_officer.pk
    )
    assert response.status_code == 403
    response = nominate(client, open_course, organisation=other_institution.pk, name="Forged One")
    assert response.status_code == 403
    assert not Enrolment.objects.exists()
    assert not Person.objects.filter(name="Forged One").exists()


def test_a_forged_officer_of_another_institution_is_refused_and_nothing_saved(
    client, open_course, institution, their_officer, institution_admin
):
    client.force_login(institution_admin)
    response = nominate(client, open_course, organisation=institution.pk, person=their_officer.pk)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("who", ["institution_member", "other_member"])
def test_members_do_not_nominate(client, request, open_course, institution, our_officer, who):
    client.force_login(request.getfixturevalue(who))
    response = nominate(client, open_course, organisation=institution.pk, person=our_officer.pk)
    assert response.status_code == 403
    assert not Enrolment.objects.exists()


def test_the_administrator_follows_their_institutions_enrolments_only(
    client, enrolments, institution_admin, other_admin
):
    ours, theirs = enrolments
    client.force_login(institution_admin)
    rows = client.get(ENROLMENTS).json()["results"]
    assert [row["id"] for row in rows] == [ours.pk]
    assert client.get(f"{ENROLMENTS}{theirs.pk}/").status_code == 404
    page = client.get(reverse("training:nominate", args=[ours.course_id])).content.decode()
    assert "Dragan Officer" in page and "Ion Officer" not in page
    client.force_login(other_admin)
    assert [row["id"] for row in client.get(ENROLMENTS).json()["results"]] == [theirs.pk]


def test_the_administrator_withdraws_their_officer_only(enrolments, institution_admin):
    ours, theirs = enrolments
    assert permissions.can_withdraw(institution_admin, ours)[0]
    assert not permissions.can_withdraw(institution_admin, theirs)[0]


@pytest.mark.parametrize("who", ["institution_member", "other_member"])
def test_members_see_no_enrolment_of_others(client, request, enrolments, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(ENROLMENTS).json()["count"] == 0


def test_the_enrolments_list_costs_the_same_for_more_rows(
    client, enrolments, open_course, institution, institution_admin, django_assert_max_num_queries
):
    client.force_login(institution_admin)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(ENROLMENTS)
    for n in range(10):
        person = Person.objects.create(name=f"Cadet {n}", organisation=institution)
        Enrolment.objects.create(course=open_course, person=person, organisation=institution)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(ENROLMENTS)
    assert response.json()["count"] == 11


def test_trainers_see_their_courses_participants(enrolments, trainer, other_admin):
    """The trainer of the course reads every enrolment on it; an administrator only theirs."""
    ours, theirs = enrolments
    assert set(Enrolment.objects.visible_to(trainer)) == {ours, theirs}
    assert set(Enrolment.objects.visible_to(other_admin)) == {theirs}
