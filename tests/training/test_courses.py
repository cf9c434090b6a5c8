"""Courses: the form's rules, the list and its filters, the course page, status changes,
sessions and the trainer pool."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.core.models import AuditEntry, Role
from liaison.directory.models import Network, Organisation, Person
from liaison.training.forms.courses import CourseForm, SessionForm
from liaison.training.models import (
    Course,
    CourseSession,
    CourseStatus,
    CourseType,
    Module,
    Trainer,
    TrainingCentre,
)
from liaison.training.services import PermissionDenied, TrainingError
from liaison.training.services import courses as services

from ..conftest import make_user


def course_data(module, **extra):
    data = {
        "title": "Document fraud, autumn cohort",
        "type": CourseType.CLASSROOM,
        "language": "en",
        "modules": [module.pk],
        "starts_on": "2026-10-05",
        "ends_on": "2026-10-07",
        "venue": "Belgrade",
        "capacity": "12",
        "min_attendance": "80",
        "requires_quiz": "on",
        "certificate_valid_years": "3",
    }
    data.update(extra)
    return data


@pytest.fixture
def other_centre(db, countries):
    academy = Organisation.objects.create(name="Border Police Academy", country=countries["GE"])
    return TrainingCentre.objects.create(name="Border Police Training Centre", organisation=academy)


@pytest.fixture
def foreign_module(other_centre):
    return Module.objects.create(centre=other_centre, code="BP-07", title="Dog handling")


def make_course(centre, module, title, *, status=CourseStatus.NOMINATIONS, **extra):
    values = {
        "starts_on": datetime.date(2026, 10, 5),
        "ends_on": datetime.date(2026, 10, 7),
        "type": CourseType.CLASSROOM,
    }
    values.update(extra)
    course = Course.objects.create(centre=centre, title=title, status=status, **values)
    course.modules.add(module)
    return course


# The form ------------------------------------------------------------------------------------


def test_the_course_form_refuses_an_end_before_the_start(centre, module, centre_staff):
    form = CourseForm(course_data(module, ends_on="2026-10-01"), centre=centre, user=centre_staff)
    assert not form.is_valid()
    assert "ends_on" in form.errors


def test_the_course_form_offers_only_modules_the_centre_may_run(
    centre, module, foreign_module, other_centre, centre_staff
):
    form = CourseForm(course_data(foreign_module), centre=centre, user=centre_staff)
    assert not form.is_valid()
    assert "modules" in form.errors
    # Shared in a network both centres belong to, the module may be run.
    network = Network.objects.create(name="Academies of the region")
    TrainingCentre.objects.filter(pk__in=[centre.pk, other_centre.pk]).update(network=network)
    foreign_module.shared_with_network = True
    foreign_module.save()
    centre.refresh_from_db()
    form = CourseForm(course_data(foreign_module), centre=centre, user=centre_staff)
    assert form.is_valid(), form.errors


def test_the_service_refuses_a_module_of_another_centre(centre, foreign_module, centre_staff):
    course = Course(centre=centre)
    fields = {
        "title": "X",
        "starts_on": datetime.date(2026, 10, 5),
        "ends_on": datetime.date(2026, 10, 5),
    }
    with pytest.raises(TrainingError, match="may not run"):
        services.save_course(centre_staff, course, fields, modules=[foreign_module])
    assert not Course.objects.filter(title="X").exists()


def test_trainers_come_from_the_centres_active_pool(
    centre, module, other_centre, trainer, centre_staff
):
    stranger = Person.objects.create(name="Gia Guest")
    foreign = Trainer.objects.create(person=stranger, centre=other_centre)
    own = trainer.person.trainer
    form = CourseForm(course_data(module, trainers=[foreign.pk]), centre=centre, user=centre_staff)
    assert not form.is_valid() and "trainers" in form.errors
    course = Course(centre=centre)
    fields = {
        "title": "Y",
        "starts_on": datetime.date(2026, 1, 1),
        "ends_on": datetime.date(2026, 1, 1),
    }
    with pytest.raises(TrainingError, match="active pool"):
        services.save_course(centre_staff, course, fields, modules=[module], trainers=[foreign])
    own.active = False
    own.save()
    with pytest.raises(TrainingError, match="active pool"):
        services.save_course(
            centre_staff, Course(centre=centre), fields, modules=[module], trainers=[own]
        )


def test_nominations_must_close_before_the_course_ends(centre, module, centre_staff):
    form = CourseForm(
        course_data(module, nominations_close="2026-10-20"), centre=centre, user=centre_staff
    )
    assert not form.is_valid() and "nominations_close" in form.errors


def test_staff_create_a_course_with_its_completion_rule(
    client, centre, module, trainer, centre_staff
):
    client.force_login(centre_staff)
    url = reverse("training:course_create") + f"?centre={centre.pk}"
    response = client.post(url, course_data(module, trainers=[trainer.person.trainer.pk]))
    course = Course.objects.get(title="Document fraud, autumn cohort")
    assert response.status_code == 302 and response.url == course.get_absolute_url()
    assert course.centre == centre and course.status == CourseStatus.PLANNED
    assert list(course.modules.all()) == [module]
    assert course.certificate_valid_years == 3 and course.requires_quiz
    assert not course.requires_practical
    assert AuditEntry.objects.filter(action="course.created", object_id=str(course.pk)).exists()


def test_only_the_centre_creates_and_edits_courses(
    client, centre, course, module, focal_point, outsider
):
    url = reverse("training:course_create") + f"?centre={centre.pk}"
    for user in (focal_point, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, course_data(module)).status_code == 403
        assert client.get(reverse("training:course_edit", args=[course.pk])).status_code == 403
    assert client.get(reverse("training:course_create")).status_code == 404
    assert Course.objects.count() == 1


def test_changing_the_dates_may_not_strand_sessions(course, centre_staff):
    fields = {"starts_on": datetime.date(2026, 3, 3)}
    with pytest.raises(TrainingError, match="outside"):
        services.save_course(centre_staff, course, fields)
    course.refresh_from_db()
    assert course.starts_on == datetime.date(2026, 3, 2)


# List and page -------------------------------------------------------------------------------


def test_the_list_shows_offered_courses_and_filters_them(
    client, centre, module, other_centre, foreign_module, course
):
    make_course(centre, module, "Planned one", status=CourseStatus.PLANNED)
    make_course(other_centre, foreign_module, "Dog handling basics")
    make_course(
        centre,
        module,
        "Online refresher",
        type=CourseType.ONLINE_LIVE,
        starts_on=datetime.date(2025, 5, 1),
        ends_on=datetime.date(2025, 5, 2),
        status=CourseStatus.FINISHED,
    )
    url = reverse("training:course_list")

    def titles(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return sorted(c.title for c in response.context["page"])

    assert titles() == sorted(
        ["Dog handling basics", "Migration law basics, spring cohort", "Online refresher"]
    )
    assert titles(centre=other_centre.pk) == ["Dog handling basics"]
    assert titles(type=CourseType.ONLINE_LIVE) == ["Online refresher"]
    assert titles(status=CourseStatus.RUNNING) == ["Migration law basics, spring cohort"]
    assert titles(module=foreign_module.pk) == ["Dog handling basics"]
    assert titles(year=2025) == ["Online refresher"]
    assert titles(q="refresher") == ["Online refresher"]
    assert titles(q="dog", centre=centre.pk) == []
    # A bad filter value gives a message and no results, not an error page.
    assert titles(year="last") == []


def test_centre_staff_also_see_their_planned_courses(client, centre, module, centre_staff, course):
    make_course(centre, module, "Planned one", status=CourseStatus.PLANNED)
    client.force_login(centre_staff)
    response = client.get(reverse("training:course_list"))
    assert "Planned one" in {c.title for c in response.context["page"]}


def test_the_list_takes_the_same_queries_for_more_courses(
    client, centre, module, course, django_assert_max_num_queries
):
    url = reverse("training:course_list")
    with django_assert_max_num_queries(8):
        client.get(url)
    for n in range(15):
        make_course(centre, module, f"Cohort {n}")
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.context["page"].paginator.count == 16


def test_the_course_page_shows_modules_sessions_and_places(client, course, enrolment, module):
    response = client.get(course.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert reverse("training:module", args=[module.pk]) in text
    assert "Tomas Trainer" in text
    assert "Day 3" in text
    assert response.context["places_left"] == 19


def test_a_planned_course_is_not_found_by_outsiders(client, centre, module, outsider):
    planned = make_course(centre, module, "Planned one", status=CourseStatus.PLANNED)
    assert client.get(planned.get_absolute_url()).status_code == 404
    client.force_login(outsider)
    assert client.get(planned.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("who", "sees"),
    [("trainee", True), ("trainer", True), ("centre_staff", True), ("other", False), (None, False)],
)
def test_the_online_link_goes_to_approved_trainees_trainers_and_staff(
    client, course, enrolment, trainer, centre_staff, other_trainee, who, sees
):
    course.online_url = "https://meet.example.org/secret-room"
    course.save()
    users = {
        "trainee": enrolment.person.user,
        "trainer": trainer,
        "centre_staff": centre_staff,
        "other": other_trainee,
    }
    if who:
        client.force_login(users[who])
    text = client.get(course.get_absolute_url()).content.decode()
    assert ("secret-room" in text) is sees


def test_the_course_page_includes_the_learning_partials(client, course):
    response = client.get(course.get_absolute_url())
    names = {t.name for t in response.templates}
    assert "training/assessment/_course_quizzes.html" in names
    assert "training/certificates/_course_completion.html" in names


# Status --------------------------------------------------------------------------------------


def test_status_moves_forward_with_an_audit_entry(client, centre, module, centre_staff):
    planned = make_course(centre, module, "Planned one", status=CourseStatus.PLANNED)
    client.force_login(centre_staff)
    response = client.post(
        reverse("training:course_status", args=[planned.pk]),
        {"status": CourseStatus.NOMINATIONS, "reason": "Dates confirmed"},
    )
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.status == CourseStatus.NOMINATIONS
    entry = AuditEntry.objects.get(action="course.status", object_id=str(planned.pk))
    assert entry.changes == {"status": ["planned", "nominations"]}
    assert entry.reason == "Dates confirmed"


def test_a_finished_course_does_not_reopen(course, centre_staff, outsider):
    services.set_status(centre_staff, course, CourseStatus.FINISHED)
    with pytest.raises(TrainingError):
        services.set_status(centre_staff, course, CourseStatus.NOMINATIONS)
    with pytest.raises(PermissionDenied):
        services.set_status(outsider, course, CourseStatus.CANCELLED)
    course.refresh_from_db()
    assert course.status == CourseStatus.FINISHED


def test_only_the_centre_changes_the_status(client, course, trainer):
    client.force_login(trainer)
    url = reverse("training:course_status", args=[course.pk])
    assert client.post(url, {"status": CourseStatus.CANCELLED}).status_code == 403
    course.refresh_from_db()
    assert course.status == CourseStatus.RUNNING


# Sessions ------------------------------------------------------------------------------------


def at(day, hour):
    return timezone.make_aware(datetime.datetime(2026, 3, day, hour))


def test_a_session_outside_the_course_dates_is_refused(client, course, centre_staff):
    form = SessionForm(
        {"title": "Extra day", "starts_at": "2026-03-05T09:00", "ends_at": "2026-03-05T12:00"},
        course=course,
    )
    assert not form.is_valid() and "starts_at" in form.errors
    session = CourseSession(title="Extra", starts_at=at(5, 9), ends_at=at(5, 12))
    with pytest.raises(TrainingError, match="within the course"):
        services.save_session(centre_staff, course, session)
    client.force_login(centre_staff)
    response = client.post(
        reverse("training:session_create", args=[course.pk]),
        {"title": "Extra day", "starts_at": "2026-03-01T09:00", "ends_at": "2026-03-01T12:00"},
    )
    assert response.status_code == 200
    assert course.sessions.count() == 3


def test_staff_add_edit_and_remove_sessions(client, course, centre_staff, trainer):
    client.force_login(centre_staff)
    response = client.post(
        reverse("training:session_create", args=[course.pk]),
        {
            "title": "Field visit",
            "starts_at": "2026-03-04T16:00",
            "ends_at": "2026-03-04T18:00",
            "trainer": trainer.person.trainer.pk,
        },
    )
    assert response.status_code == 302
    session = course.sessions.get(title="Field visit")
    assert session.trainer.person.name == "Tomas Trainer"
    response = client.post(
        reverse("training:session_edit", args=[session.pk]),
        {
            "title": "Field visit to the border",
            "starts_at": "2026-03-04T15:00",
            "ends_at": "2026-03-04T18:00",
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Field visit to the border"
    client.post(reverse("training:session_delete", args=[session.pk]))
    assert not CourseSession.objects.filter(pk=session.pk).exists()
    assert AuditEntry.objects.filter(action="course_session.deleted").exists()


def test_trainers_do_not_edit_sessions(client, course, trainer):
    client.force_login(trainer)
    session = course.sessions.first()
    assert client.get(reverse("training:session_edit", args=[session.pk])).status_code == 403
    assert client.post(reverse("training:session_delete", args=[session.pk])).status_code == 403
    assert course.sessions.count() == 3


# Trainer pool --------------------------------------------------------------------------------


def test_staff_add_a_trainer_trained_in_a_training_of_trainers(
    client, centre, module, course, trainer, centre_staff, academy
):
    tot = make_course(
        centre,
        module,
        "Training of trainers",
        type=CourseType.TRAINING_OF_TRAINERS,
        status=CourseStatus.FINISHED,
    )
    tot.trainers.add(trainer.person.trainer)
    newcomer = Person.objects.create(name="Nina New", organisation=academy)
    client.force_login(centre_staff)
    response = client.post(
        reverse("training:trainer_pool", args=[centre.pk]),
        {"person": newcomer.pk, "modules": [module.pk], "trained_in": tot.pk, "expertise": "Law"},
    )
    assert response.status_code == 302
    added = Trainer.objects.get(person=newcomer)
    assert added.centre == centre and list(added.modules.all()) == [module]
    # Who trained whom: the new trainer was trained by the ToT course's trainers.
    assert [t.person.name for t in added.trained_in.trainers.all()] == ["Tomas Trainer"]
    assert AuditEntry.objects.filter(action="trainer.added", object_id=str(added.pk)).exists()
    page = client.get(reverse("training:trainer_pool", args=[centre.pk]))
    assert "Nina New" in page.content.decode()


def test_trainer_pool_rules(centre, module, course, trainer, centre_staff, academy, outsider):
    person = Person.objects.create(name="Ola Other", organisation=academy)
    with pytest.raises(TrainingError, match="training-of-trainers"):
        services.add_trainer(centre_staff, centre, person, trained_in=course)
    with pytest.raises(TrainingError, match="already in the trainer pool"):
        services.add_trainer(centre_staff, centre, trainer.person)
    with pytest.raises(PermissionDenied):
        services.add_trainer(outsider, centre, person)
    assert not Trainer.objects.filter(person=person).exists()


def test_outsiders_do_not_see_the_trainer_pool(client, centre, outsider, trainer):
    client.force_login(outsider)
    assert client.get(reverse("training:trainer_pool", args=[centre.pk])).status_code == 403
    client.force_login(trainer)
    assert client.get(reverse("training:trainer_pool", args=[centre.pk])).status_code == 403


def test_the_secretariat_runs_every_centre(client, centre, module):
    secretariat = make_user("sec2", Role.SECRETARIAT)
    client.force_login(secretariat)
    url = reverse("training:course_create") + f"?centre={centre.pk}"
    assert client.get(url).status_code == 200


def test_the_centre_pages_open_for_staff(client, course, centre, centre_staff):
    client.force_login(centre_staff)
    session = course.sessions.first()
    for url in (
        reverse("training:course_edit", args=[course.pk]),
        reverse("training:session_create", args=[course.pk]),
        reverse("training:session_edit", args=[session.pk]),
        reverse("training:trainer_pool", args=[centre.pk]) + "?q=Tomas",
        reverse("training:enrolments", args=[course.pk]),
        reverse("training:course_attendance", args=[course.pk]),
        course.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("training:session_edit", args=[session.pk])).content.decode()
    assert 'value="2026-03-02T09:00"' in page
