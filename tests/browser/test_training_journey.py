"""The training centre end to end, as a trainee lives it: from "My training" to a lesson, the
SCORM self-check played to the end, the graded quiz passed, the certificate taken and
downloaded; then a visitor with no account checks the certificate's code."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from liaison.core.models import Role, User
from liaison.directory.models import Country, Organisation, OrganisationType, Person
from liaison.training.demo_scorm import build_demo_package
from liaison.training.models import (
    Certificate,
    Choice,
    Course,
    CourseStatus,
    CourseType,
    Enrolment,
    EnrolmentStatus,
    Module,
    PartKind,
    Question,
    QuestionKind,
    Quiz,
    TrainingCentre,
)
from liaison.training.services import content
from tests.browser.test_journeys import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def self_paced_course(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    serbia = Country.objects.get(code="RS")
    academy = Organisation.objects.create(
        name="Migration Academy", type=OrganisationType.TRAINING, country=serbia
    )
    staff = User.objects.create_user("cora", password=PASSWORD, role=Role.PUBLIC)
    centre = TrainingCentre.objects.create(name="Migration Training Centre", organisation=academy)
    centre.staff.add(staff)
    module = Module.objects.create(
        centre=centre, code="MT-03", title="First contact with vulnerable persons", published=True
    )
    course = Course.objects.create(
        centre=centre,
        title="First contact, online and self-paced",
        type=CourseType.ONLINE_SELF_PACED,
        status=CourseStatus.RUNNING,
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2027, 6, 30),
    )
    course.modules.add(module)
    trainee = User.objects.create_user(
        "tara", password=PASSWORD, role=Role.PUBLIC, first_name="Tara", last_name="Trainee"
    )
    person = Person.objects.create(name="Tara Trainee", organisation=academy, user=trainee)
    Enrolment.objects.create(
        course=course, person=person, organisation=academy, status=EnrolmentStatus.APPROVED
    )
    quiz = Quiz.objects.create(module=module, title="First contact quiz", pass_mark=100)
    question = Question.objects.create(
        quiz=quiz, kind=QuestionKind.SINGLE, text="When is a referral made?"
    )
    Choice.objects.create(question=question, text="The same day", is_correct=True)
    Choice.objects.create(question=question, text="After the interview", is_correct=False)
    lesson = content.save_lesson(staff, module, None, {"title": "Meeting people at the border"})
    content.save_part(
        staff,
        lesson,
        None,
        {"kind": PartKind.SCORM, "title": "Self-check"},
        package_upload=SimpleUploadedFile("self-check.zip", build_demo_package()),
    )
    content.save_part(staff, lesson, None, {"kind": PartKind.QUIZ, "title": "Quiz", "quiz": quiz})
    return course


def test_a_trainee_learns_passes_and_a_visitor_verifies_the_certificate(
    page, browser, live_server, self_paced_course
):
    sign_in(page, "tara")
    page.goto("/training/courses/mine/")
    page.get_by_role("link", name="First contact, online and self-paced").click()
    expect(page.get_by_test_id("course-completion")).to_contain_text("Not completed yet")
    page.get_by_role("link", name="MT-03", exact=False).first.click()
    page.get_by_role("link", name="Meeting people at the border").click()

    # The SCORM self-check, played in its frame to the end.
    page.get_by_role("link", name="Start the package").click()
    player = page.frame_locator("#scorm-player")  # from the content origin
    expect(player.locator("#scorm-state")).to_have_attribute("data-state", "ready")
    package = player.frame_locator("#scorm-frame")
    package.get_by_role("button", name="Start the self-check").click()
    package.get_by_label("Speak to the teenager on their own").check()
    package.get_by_label("They do not know the address").check()
    package.get_by_label("An expression of a wish to apply").check()
    package.get_by_label("Only the airline or carrier").check()
    package.get_by_role("button", name="Check my answers").click()
    expect(package.get_by_role("status")).to_contain_text("You passed.")
    package.get_by_role("button", name="Finish").click()
    expect(player.locator("#scorm-state")).to_have_attribute("data-state", "finished")

    # Back in the lesson, the graded quiz.
    page.get_by_role("link", name="Meeting people at the border").click()
    page.get_by_role("link", name="Take the quiz: First contact quiz").click()
    page.get_by_role("button", name="Start the quiz").click()
    page.get_by_label("The same day").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_test_id("quiz-result").get_by_role("heading", name="Passed")).to_be_visible()

    # The course page now offers the certificate, which the trainee takes and downloads.
    page.goto(self_paced_course.get_absolute_url())
    page.get_by_role("button", name="Get my certificate").click()
    certificate = Certificate.objects.get()
    pdf = page.request.get(f"/training/certificates/{certificate.pk}/pdf/")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    expect(page.get_by_text(certificate.code).first).to_be_visible()

    # A visitor with no account checks the code typed from the paper, in lower case.
    visitor = browser.new_context(base_url=live_server.url)
    public = visitor.new_page()
    public.goto("/training/verify/")
    public.get_by_label("Certificate code").fill(certificate.code.lower())
    public.get_by_role("button", name="Check").click()
    expect(public.get_by_role("main")).to_contain_text("Tara Trainee")
    expect(public.get_by_role("main")).to_contain_text("First contact, online and self-paced")
    expect(public.get_by_role("main")).to_contain_text("Valid")
    visitor.close()
