"""A training centre with its people: staff who run it, a focal point who nominates, a trainer,
two trainees (each sees only their own results) and an outsider; a module and a course with
three sessions on which the first trainee is approved."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from liaison.core.models import Role
from liaison.directory.models import Organisation, OrganisationType, Person
from liaison.training.models import (
    Accreditation,
    Course,
    CourseSession,
    CourseStatus,
    CourseType,
    Enrolment,
    EnrolmentStatus,
    FocalPoint,
    Module,
    Trainer,
    TrainingCentre,
)

from ..conftest import make_user


def person_for(user, organisation, name):
    return Person.objects.create(
        name=name, organisation=organisation, email=f"{user.username}@example.org", user=user
    )


@pytest.fixture
def academy(db, countries):
    return Organisation.objects.create(
        name="Regional Migration Academy",
        acronym="RMA",
        type=OrganisationType.TRAINING,
        country=countries["RS"],
    )


@pytest.fixture
def centre_staff(db):
    return make_user("centre", Role.PUBLIC, first_name="Cora", last_name="Centre")


@pytest.fixture
def centre(db, academy, centre_staff):
    centre = TrainingCentre.objects.create(
        name="Regional Migration Training Centre", organisation=academy
    )
    centre.staff.add(centre_staff)
    return centre


@pytest.fixture
def focal_point(db, centre, organisation):
    user = make_user("focal", Role.PUBLIC, first_name="Fiona", last_name="Focal")
    person = person_for(user, organisation, "Fiona Focal")
    FocalPoint.objects.create(centre=centre, organisation=organisation, person=person)
    return user


@pytest.fixture
def officer(db, organisation):
    """An officer of the focal point's institution with no account yet."""
    return Person.objects.create(
        name="Oskar Officer", organisation=organisation, email="oskar@example.org"
    )


@pytest.fixture
def trainee(db, organisation):
    user = make_user("trainee", Role.PUBLIC, first_name="Tara", last_name="Trainee")
    person_for(user, organisation, "Tara Trainee")
    return user


@pytest.fixture
def other_trainee(db, organisation):
    user = make_user("trainee2", Role.PUBLIC, first_name="Theo", last_name="Other")
    person_for(user, organisation, "Theo Other")
    return user


@pytest.fixture
def outsider(db):
    return make_user("outsider", Role.PUBLIC)


@pytest.fixture
def trainer(db, centre, academy):
    user = make_user("trainer", Role.PUBLIC, first_name="Tomas", last_name="Trainer")
    person = person_for(user, academy, "Tomas Trainer")
    Trainer.objects.create(person=person, centre=centre, expertise="Asylum law")
    return user


@pytest.fixture
def module(db, centre):
    return Module.objects.create(
        centre=centre,
        code="RMT-01",
        title="Migration law basics",
        languages=["en", "sr"],
        level=5,
        duration_hours=Decimal("16"),
        delivery_modes=["classroom", "online_self_paced"],
        learning_outcomes="Explain the asylum procedure\nIdentify vulnerable persons",
        accreditation=Accreditation.ACCREDITED,
        accrediting_body="National Qualifications Agency",
        accredited_on=datetime.date(2025, 3, 1),
        published=True,
    )


@pytest.fixture
def course(db, centre, module, trainer):
    course = Course.objects.create(
        centre=centre,
        code="RMT-01/2026-1",
        title="Migration law basics, spring cohort",
        type=CourseType.BLENDED,
        status=CourseStatus.RUNNING,
        starts_on=datetime.date(2026, 3, 2),
        ends_on=datetime.date(2026, 3, 4),
        venue="Belgrade",
        capacity=20,
    )
    course.modules.add(module)
    course.trainers.add(trainer.person.trainer)
    for day in range(3):
        start = timezone.make_aware(datetime.datetime(2026, 3, 2 + day, 9))
        CourseSession.objects.create(
            course=course,
            title=f"Day {day + 1}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=6),
            module=module,
        )
    return course


@pytest.fixture
def enrolment(db, course, trainee, organisation):
    return Enrolment.objects.create(
        course=course,
        person=trainee.person,
        organisation=organisation,
        sex="female",
        status=EnrolmentStatus.APPROVED,
    )


@pytest.fixture
def other_enrolment(db, course, other_trainee, organisation):
    return Enrolment.objects.create(
        course=course,
        person=other_trainee.person,
        organisation=organisation,
        sex="male",
        status=EnrolmentStatus.APPROVED,
    )


@pytest.fixture(autouse=True)
def _every_statement_keeps_the_xapi_rules(request):
    """Whatever a training test did, every xAPI statement it left must be one a learning record
    store accepts (``xapi_rules``): each path that records statements (lessons, SCORM, quizzes)
    is checked by the tests that already drive it."""
    if "db" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("db")
    yield
    from liaison.training.models import Statement

    from .xapi_rules import problems

    broken = {
        str(pk): found
        for pk, data in Statement.objects.values_list("pk", "data")
        if (found := problems(data))
    }
    assert not broken, f"Statements an xAPI 1.0.3 store refuses: {broken}"
