"""A trainee plays the team's SCORM self-check to the end in Chromium: the runtime installed from
npm talks to the package in its frame, the platform keeps the score, and the lesson shows the
part as done."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from liaison.core.models import Role, User
from liaison.directory.models import Country, Organisation, Person
from liaison.training.demo_scorm import build_demo_package
from liaison.training.models import (
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    LessonProgress,
    Module,
    PartKind,
    ScormAttempt,
    Statement,
    TrainingCentre,
)
from liaison.training.services import content as services
from liaison.training.xapi import VERBS
from tests.browser.test_journeys import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def lesson_with_package(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    serbia = Country.objects.get(code="RS")
    academy = Organisation.objects.create(name="Border Police Academy", country=serbia)
    staff = User.objects.create_user("cora", password=PASSWORD, role=Role.PUBLIC)
    trainee = User.objects.create_user(
        "tara", password=PASSWORD, role=Role.PUBLIC, first_name="Tara", last_name="Trainee"
    )
    person = Person.objects.create(name="Tara Trainee", organisation=academy, user=trainee)
    centre = TrainingCentre.objects.create(
        name="Border Police Training Centre", organisation=academy
    )
    centre.staff.add(staff)
    module = Module.objects.create(
        centre=centre, code="BP-07", title="Protection-sensitive border checks", published=True
    )
    course = Course.objects.create(
        centre=centre,
        title="Protection-sensitive border checks, autumn cohort",
        status=CourseStatus.RUNNING,
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 9, 30),
    )
    course.modules.add(module)
    Enrolment.objects.create(
        course=course,
        person=person,
        organisation=academy,
        sex="female",
        status=EnrolmentStatus.APPROVED,
    )
    lesson = services.save_lesson(staff, module, None, {"title": "Spotting vulnerability"})
    services.save_part(
        staff,
        lesson,
        None,
        {"kind": PartKind.PAGE, "title": "Why it matters", "body": "Officers see people first."},
    )
    part = services.save_part(
        staff,
        lesson,
        None,
        {"kind": PartKind.SCORM, "title": "Self-check"},
        package_upload=SimpleUploadedFile("self-check.zip", build_demo_package()),
    )
    return trainee, lesson, part


def test_a_trainee_plays_the_package_to_the_end(page, lesson_with_package):
    trainee, lesson, part = lesson_with_package
    sign_in(page, "tara")
    page.goto(lesson.get_absolute_url())
    expect(page.get_by_role("heading", name="Spotting vulnerability")).to_be_visible()
    page.get_by_role("link", name="Start the package").click()

    player = page.frame_locator("#scorm-player")  # from the content origin
    expect(player.locator("#scorm-state")).to_have_attribute("data-state", "ready")
    package = player.frame_locator("#scorm-frame")
    package.get_by_role("button", name="Start the self-check").click()
    package.get_by_label("Speak to the teenager on their own").check()
    package.get_by_label("They do not know the address").check()
    package.get_by_label("An expression of a wish to apply").check()
    package.get_by_label("Only the airline or carrier").check()  # the one wrong answer
    package.get_by_role("button", name="Check my answers").click()
    expect(package.get_by_role("status")).to_contain_text("3 of 4 correctly (75%). You passed.")
    expect(player.locator("#scorm-state")).to_have_attribute("data-state", "saved")
    package.get_by_role("button", name="Finish").click()
    expect(package.get_by_text("Your result has been saved.")).to_be_visible()
    expect(player.locator("#scorm-state")).to_have_attribute("data-state", "finished")

    tracking = ScormAttempt.objects.get(user=trainee, package=part.scorm)
    assert tracking.completion_status == "completed"
    assert tracking.success_status == "passed"
    assert tracking.score_raw == 75 and tracking.score_max == 100
    assert tracking.completed_at is not None
    assert tracking.scos.get().cmi["core"]["student_id"] == str(trainee.pk)
    assert LessonProgress.objects.filter(part=part, user=trainee).exists()
    verbs = set(Statement.objects.filter(user=trainee).values_list("verb", flat=True))
    assert {VERBS["launched"], VERBS["completed"], VERBS["passed"]} <= verbs

    page.get_by_role("link", name=re.compile("Spotting vulnerability")).click()
    done_part = page.get_by_test_id(f"part-{part.pk}")
    expect(done_part.get_by_test_id("part-status")).to_have_text("Done")
    expect(done_part.get_by_test_id("scorm-score")).to_have_text("75 / 100")
    expect(done_part.get_by_test_id("scorm-status")).to_have_text("completed, passed")
    expect(page.get_by_test_id("lesson-progress")).to_have_text("1 of 2 parts done")
    # The page is marked done with its button.
    page.get_by_role("button", name="Mark as done Why it matters").click()
    expect(page.get_by_test_id("lesson-progress")).to_have_text("2 of 2 parts done")
