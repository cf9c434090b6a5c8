"""Reads of trainees' enrolments and results (item 7 of issue 14): the centre's and trainers'
pages and the API note whose record they showed; a trainee reading their own notes nothing."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from liaison.directory.readlog import PersonalDataRead, ReadKind
from liaison.training.models import Enrolment, EnrolmentStatus

from ..conftest import make_user
from .conftest import person_for
from .test_assessment import taken

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle(db):
    cache.clear()
    yield
    cache.clear()


def people_read(**filters):
    return {r.person.name for r in PersonalDataRead.objects.filter(**filters)}


def test_the_enrolment_list_and_its_export_note_each_trainee(
    client, centre_staff, course, enrolment, other_enrolment
):
    client.force_login(centre_staff)
    url = reverse("training:enrolments", args=[course.pk])
    assert client.get(url).status_code == 200
    assert people_read(kind=ReadKind.ENROLMENT, reader=centre_staff) == {
        "Tara Trainee",
        "Theo Other",
    }
    assert {r.object_id for r in PersonalDataRead.objects.all()} == {
        enrolment.pk,
        other_enrolment.pk,
    }
    response = client.get(url, {"export": "csv"})
    b"".join(response.streaming_content)
    assert PersonalDataRead.objects.filter(path__contains="export=csv").count() == 2


def test_the_enrolment_list_costs_the_same_for_more_trainees(
    client, centre_staff, course, enrolment, organisation, django_assert_max_num_queries
):
    client.force_login(centre_staff)
    url = reverse("training:enrolments", args=[course.pk])
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    for i in range(5):
        user = make_user(f"extra{i}", "public")
        Enrolment.objects.create(
            course=course,
            person=person_for(user, organisation, f"Extra {i}"),
            organisation=organisation,
            status=EnrolmentStatus.NOMINATED,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)
    assert PersonalDataRead.objects.count() == 1 + 6


def test_the_trainee_page_notes_a_reader_but_not_the_trainee(
    client, centre_staff, trainee, enrolment
):
    url = reverse("training:trainee", args=[trainee.person.pk])
    client.force_login(trainee)
    assert client.get(url).status_code == 200
    assert not PersonalDataRead.objects.exists()
    client.force_login(centre_staff)
    assert client.get(url).status_code == 200
    assert people_read(reader=centre_staff, kind=ReadKind.ENROLMENT) == {"Tara Trainee"}


def test_results_pages_note_the_trainees_shown(
    client, trainer, trainee, enrolment, other_enrolment, module, course
):
    from .test_assessment import make_quiz

    quiz = make_quiz(module)
    attempt = taken(trainee, quiz, right=3)
    client.force_login(trainer)
    assert client.get(reverse("training:course_results", args=[course.pk])).status_code == 200
    assert people_read(kind=ReadKind.RESULT, path__endswith="/results/") == {
        "Tara Trainee",
        "Theo Other",
    }
    listing = reverse("training:quiz_attempts", args=[course.pk, quiz.pk])
    assert client.get(listing).status_code == 200
    assert people_read(path=listing) == {"Tara Trainee"}
    detail = reverse("training:attempt", args=[attempt.pk])
    assert client.get(detail).status_code == 200
    assert people_read(path=detail) == {"Tara Trainee"}
    # The trainee reading their own attempt leaves no entry.
    client.force_login(trainee)
    before = PersonalDataRead.objects.count()
    assert client.get(detail).status_code == 200
    assert PersonalDataRead.objects.count() == before


def test_the_api_notes_enrolments_and_results_read_by_others_only(
    client, centre_staff, trainer, trainee, enrolment, module, course
):
    from .test_assessment import make_quiz

    taken(trainee, make_quiz(module), right=3)
    client.force_login(trainee)
    assert client.get("/api/training/enrolments/").status_code == 200
    assert client.get("/api/training/results/").status_code == 200
    assert not PersonalDataRead.objects.exists()

    client.force_login(centre_staff)
    assert client.get(f"/api/training/enrolments/{enrolment.pk}/").status_code == 200
    client.force_login(trainer)
    assert client.get("/api/training/results/", {"course": course.pk}).status_code == 200
    assert people_read(reader=centre_staff, kind=ReadKind.ENROLMENT) == {"Tara Trainee"}
    assert people_read(reader=trainer, kind=ReadKind.RESULT) == {"Tara Trainee"}


def test_attendance_pages_note_the_trainees_shown_to_the_trainer(
    client, trainer, course, enrolment
):
    client.force_login(trainer)
    session = course.sessions.order_by("starts_at").first()
    assert client.get(reverse("training:attendance", args=[session.pk])).status_code == 200
    assert people_read(reader=trainer, path__contains="/sessions/") == {"Tara Trainee"}
    assert client.get(reverse("training:course_attendance", args=[course.pk])).status_code == 200
    assert people_read(reader=trainer, path__contains="/attendance/") == {"Tara Trainee"}


def test_the_trainer_page_notes_the_trainees_it_names(client, trainer, course, enrolment):
    client.force_login(trainer)
    url = reverse("training:trainer", args=[trainer.person.trainer.pk])
    assert "Tara Trainee" in client.get(url).content.decode()
    assert people_read(reader=trainer, kind=ReadKind.ENROLMENT) == {"Tara Trainee"}
