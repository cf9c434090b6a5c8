"""A trainee's transcript, on its own page and on the person page; a trainer's record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.core.models import Role
from liaison.directory.models import Person
from liaison.events.models import Attendance, Event, Registration, RegistrationStatus
from liaison.training.models import (
    Course,
    CourseStatus,
    CourseType,
    Enrolment,
    EnrolmentStatus,
    Quiz,
    QuizAttempt,
    SessionAttendance,
    Trainer,
    TrainingCentre,
)
from liaison.training.services import certificates as services

from ..conftest import make_user


@pytest.fixture
def certified(course, enrolment, centre_staff):
    course.requires_quiz = False
    course.save()
    for session in course.sessions.all()[:2]:
        SessionAttendance.objects.create(session=session, enrolment=enrolment)
    course.min_attendance = 60
    course.save()
    return services.issue_certificate(centre_staff, enrolment)


@pytest.fixture
def attended_event(trainee, countries):
    start = timezone.make_aware(datetime.datetime(2026, 1, 20, 9))
    event = Event.objects.create(
        title="Border cooperation roundtable",
        start=start,
        end=start + datetime.timedelta(hours=6),
        country=countries["RS"],
        timezone="Europe/Belgrade",
        published=True,
    )
    registration = Registration.objects.create(
        event=event,
        person=trainee.person,
        name="Tara Trainee",
        email="trainee@example.org",
        status=RegistrationStatus.APPROVED,
    )
    Attendance.objects.create(registration=registration, day=start.date())
    return event


def transcript_url(user):
    return reverse("training:trainee", args=[user.person.pk])


def test_the_transcript_shows_courses_progress_results_certificates_and_events(
    client, trainee, certified, module, course, attended_event
):
    quiz = Quiz.objects.create(module=module, title="Asylum procedure test")
    for percent, passed in ((40, False), (85, True)):
        QuizAttempt.objects.create(
            quiz=quiz,
            user=trainee,
            course=course,
            submitted=timezone.now(),
            percent=percent,
            passed=passed,
        )
    client.force_login(trainee)
    response = client.get(transcript_url(trainee))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Transcript of Tara Trainee" in html
    assert "Migration law basics, spring cohort" in html
    assert "Blended" in html
    assert "2/3 (67%)" in html
    assert "Completed" in html
    quizzes = html.split('data-testid="transcript-quizzes"')[1].split("</section>")[0]
    assert "Asylum procedure test" in quizzes and "85%" in quizzes and "<td>2</td>" in quizzes
    assert certified.code in html
    assert reverse("training:certificate_pdf", args=[certified.pk]) in html
    assert "Border cooperation roundtable" in html
    assert '<meta name="robots" content="noindex' in html


def test_a_trainee_is_refused_another_trainees_transcript(
    client, trainee, other_trainee, enrolment, outsider
):
    for user in (other_trainee, outsider):
        client.force_login(user)
        assert client.get(transcript_url(trainee)).status_code == 403
    client.logout()
    assert client.get(transcript_url(trainee)).status_code == 403


def test_the_centre_the_secretariat_and_staff_read_the_transcript(
    client, trainee, enrolment, centre_staff, secretariat, viewer, academy
):
    for user in (centre_staff, secretariat, viewer):
        client.force_login(user)
        assert client.get(transcript_url(trainee)).status_code == 200
    # Staff of another centre where the trainee never enrolled may not.
    other_staff = make_user("other-centre", Role.PUBLIC)
    TrainingCentre.objects.create(name="Coast Guard School", organisation=academy).staff.add(
        other_staff
    )
    client.force_login(other_staff)
    assert client.get(transcript_url(trainee)).status_code == 403


def test_the_transcript_takes_the_same_queries_for_many_courses(
    client, trainee, centre, module, organisation, django_assert_max_num_queries
):
    client.force_login(trainee)

    def enrol(count, start):
        for n in range(start, start + count):
            course = Course.objects.create(
                centre=centre,
                title=f"Course {n}",
                status=CourseStatus.FINISHED,
                starts_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
                ends_on=datetime.date(2025, 1, 2) + datetime.timedelta(days=n),
            )
            course.modules.add(module)
            Enrolment.objects.create(
                course=course, person=trainee.person, status=EnrolmentStatus.APPROVED
            )

    enrol(1, 0)
    with django_assert_max_num_queries(30) as few:
        client.get(transcript_url(trainee))
    enrol(8, 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Course 8" in client.get(transcript_url(trainee)).content.decode()


def test_the_person_page_carries_the_transcript(client, trainee, certified, attended_event):
    client.force_login(trainee)
    html = client.get(reverse("web:person", args=[trainee.person.pk])).content.decode()
    assert "Border cooperation roundtable" in html  # the events history stays
    assert "Training courses" in html
    assert certified.code in html
    followed = client.get(reverse("web:me"), follow=True).content.decode()
    assert certified.code in followed


def test_the_person_page_of_someone_without_courses_shows_no_training_section(
    client, secretariat, officer
):
    client.force_login(secretariat)
    html = client.get(reverse("web:person", args=[officer.pk])).content.decode()
    assert "Training courses" not in html


# Trainers ------------------------------------------------------------------------------------


@pytest.fixture
def trained_trainer(db, centre, course, academy):
    """A trainer certified by a training-of-trainers course the fixture trainer taught."""
    course.type = CourseType.TRAINING_OF_TRAINERS
    course.save()
    user = make_user("newtrainer", Role.PUBLIC)
    person = Person.objects.create(name="Nadia Newtrainer", organisation=academy, user=user)
    return Trainer.objects.create(person=person, centre=centre, trained_in=course)


def test_the_trainer_page_shows_who_trained_whom(client, trainer, trained_trainer):
    senior = trainer.person.trainer
    senior_page = client.get(reverse("training:trainer", args=[senior.pk])).content.decode()
    assert "Nadia Newtrainer" in senior_page
    assert "Migration law basics, spring cohort" in senior_page
    junior_page = client.get(reverse("training:trainer", args=[trained_trainer.pk]))
    assert junior_page.status_code == 200
    trained_by = junior_page.content.decode().split('data-testid="trained-by"')[1]
    assert "Tomas Trainer" in trained_by.split("</dd>")[0]


def test_trainee_names_are_for_the_trainer_the_centre_and_the_secretariat(
    client, trainer, enrolment, other_enrolment, centre_staff, secretariat, trainee, outsider
):
    url = reverse("training:trainer", args=[trainer.person.trainer.pk])
    for user in (trainer, centre_staff, secretariat):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert "Tara Trainee" in html and "Theo Other" in html
        assert "2 trainees taught." in html
    for user in (trainee, outsider, None):
        if user:
            client.force_login(user)
        else:
            client.logout()
        html = client.get(url).content.decode()
        section = html.split('data-testid="trainer-trainees"')[1].split("</section>")[0]
        assert "2 trainees taught." in section
        assert "Tara Trainee" not in section and "Theo Other" not in section


def test_a_planned_course_is_not_listed_publicly_on_the_trainer_page(client, trainer, course):
    course.status = CourseStatus.PLANNED
    course.save()
    url = reverse("training:trainer", args=[trainer.person.trainer.pk])
    assert course.title not in client.get(url).content.decode()
    client.force_login(trainer)
    assert course.title in client.get(url).content.decode()


def test_an_unknown_trainer_or_person_is_a_404(client, secretariat):
    client.force_login(secretariat)
    assert client.get(reverse("training:trainer", args=[999])).status_code == 404
    assert client.get(reverse("training:trainee", args=[999])).status_code == 404
