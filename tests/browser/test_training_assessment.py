"""A trainee takes a quiz in Chromium: starts it from the course's link, answers each kind of
question, confirms the submission and reads that they passed, with their score."""

import datetime

import pytest
from playwright.sync_api import expect

from liaison.core.models import Role, User
from liaison.directory.models import Country, Organisation, OrganisationType, Person
from liaison.training.models import (
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Module,
    QuizAttempt,
    TrainingCentre,
)
from tests.browser.test_journeys import sign_in
from tests.conftest import PASSWORD
from tests.training.test_assessment import make_quiz

pytestmark = pytest.mark.browser


@pytest.fixture
def quiz_and_course(reference_data):
    serbia = Country.objects.get(code="RS")
    academy = Organisation.objects.create(
        name="Border Police Academy", type=OrganisationType.TRAINING, country=serbia
    )
    centre = TrainingCentre.objects.create(
        name="Border Police Training Centre", organisation=academy
    )
    module = Module.objects.create(
        centre=centre, code="BP-02", title="Asylum at the border", published=True
    )
    course = Course.objects.create(
        centre=centre,
        title="Asylum at the border, autumn cohort",
        status=CourseStatus.RUNNING,
        starts_on=datetime.date(2026, 10, 5),
        ends_on=datetime.date(2026, 10, 7),
    )
    course.modules.add(module)
    user = User.objects.create_user(
        "nadia", password=PASSWORD, role=Role.PUBLIC, first_name="Nadia", last_name="Novak"
    )
    person = Person.objects.create(name="Nadia Novak", organisation=academy, user=user)
    Enrolment.objects.create(course=course, person=person, status=EnrolmentStatus.APPROVED)
    return make_quiz(module, randomise=True), course


def test_a_trainee_takes_a_quiz_and_passes(page, quiz_and_course):
    quiz, course = quiz_and_course
    sign_in(page, "nadia")
    page.goto(f"/training/quizzes/{quiz.pk}/?course={course.pk}")
    expect(page.get_by_role("heading", name="Asylum procedure check")).to_be_visible()
    page.get_by_role("button", name="Start the quiz").click()

    page.get_by_label("The determining authority").check()
    page.get_by_label("Passport").check()
    page.get_by_label("National identity card").check()
    page.get_by_label("True", exact=True).check()
    page.get_by_label("Which EU regulation decides which state examines a claim?").fill(
        "  dublin   III "
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit my answers").click()

    result = page.get_by_test_id("quiz-result")
    expect(result.get_by_role("heading", name="Passed")).to_be_visible()
    expect(result).to_contain_text("Score: 4 of 4 (100%)")
    attempt = QuizAttempt.objects.get()
    assert attempt.passed and attempt.course == course

    # The quiz page lists the attempt and offers another try.
    page.get_by_role("link", name="Back to the quiz").click()
    expect(page.get_by_role("button", name="Try again")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("100")
