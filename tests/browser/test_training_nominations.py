"""A nomination from the focal point to the centre's approval, clicked through in Chromium."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison.core.models import Role, User
from liaison.directory.models import Country, Organisation, Person
from liaison.training.models import (
    Course,
    CourseStatus,
    CourseType,
    Enrolment,
    EnrolmentStatus,
    FocalPoint,
    Module,
    TrainingCentre,
)
from tests.browser.test_journeys import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TITLE = "Identifying victims of trafficking at the border, winter cohort"


@pytest.fixture
def open_course(reference_data):
    serbia = Country.objects.get(code="RS")
    academy = Organisation.objects.create(name="Regional Border Academy", country=serbia)
    ministry = Organisation.objects.create(name="Ministry of Interior of Serbia", country=serbia)
    staff = User.objects.create_user(
        "cora", password=PASSWORD, role=Role.PUBLIC, first_name="Cora", last_name="Centre"
    )
    focal = User.objects.create_user(
        "fiona", password=PASSWORD, role=Role.PUBLIC, first_name="Fiona", last_name="Focal"
    )
    centre = TrainingCentre.objects.create(
        name="Regional Border Training Centre", organisation=academy
    )
    centre.staff.add(staff)
    FocalPoint.objects.create(
        centre=centre,
        organisation=ministry,
        person=Person.objects.create(name="Fiona Focal", organisation=ministry, user=focal),
    )
    module = Module.objects.create(
        centre=centre, code="THB-01", title="Victims of trafficking", published=True
    )
    start = timezone.localdate() + datetime.timedelta(days=40)
    course = Course.objects.create(
        centre=centre,
        title=TITLE,
        type=CourseType.CLASSROOM,
        status=CourseStatus.NOMINATIONS,
        starts_on=start,
        ends_on=start + datetime.timedelta(days=2),
        nominations_close=start - datetime.timedelta(days=10),
        venue="Belgrade",
        capacity=16,
    )
    course.modules.add(module)
    return course


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_a_focal_point_nominates_and_the_centre_approves(page, open_course):
    # The focal point finds the course open for nominations and nominates a new officer.
    sign_in(page, "fiona")
    page.goto("/training/courses/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_test_id("course-status")).to_have_text("Open for nominations")
    page.get_by_role("link", name="Nominate officers").click()
    page.get_by_label("Nominating institution").select_option(
        label="Ministry of Interior of Serbia"
    )
    page.get_by_label("Name of a new officer").fill("Marko Markovic")
    page.get_by_label("E-mail").fill("marko@example.org")
    page.get_by_label("Position").fill("Border inspector")
    page.get_by_label("Sex").select_option(label="Male")
    page.get_by_label("Why this officer").fill("Works at the main crossing with North Macedonia.")
    page.get_by_role("button", name="Nominate", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Marko Markovic was nominated")
    row = page.get_by_test_id("nominations").get_by_role("row", name="Marko Markovic")
    expect(row).to_contain_text("Nominated")
    sign_out(page)

    # The centre's staff approve the nomination from the course's participant page.
    sign_in(page, "cora")
    page.goto(open_course.get_absolute_url())
    page.get_by_role("link", name="Nominations and participants").click()
    nominated = page.get_by_test_id("enrolments-nominated")
    nominated.get_by_role("button", name="Approve: Marko Markovic").click()
    expect(page.get_by_role("status")).to_contain_text("Marko Markovic has a place on")
    expect(page.get_by_test_id("enrolments-approved")).to_contain_text("Marko Markovic")
    expect(page.get_by_test_id("places")).to_contain_text("1 approved of 16 places; 15 left.")
    sign_out(page)

    # The focal point sees the nomination approved.
    sign_in(page, "fiona")
    page.goto(f"/training/courses/{open_course.pk}/nominate/")
    row = page.get_by_test_id("nominations").get_by_role("row", name="Marko Markovic")
    expect(row).to_contain_text("Approved")
    enrolment = Enrolment.objects.get(person__name="Marko Markovic")
    assert enrolment.status == EnrolmentStatus.APPROVED
    assert enrolment.organisation.name == "Ministry of Interior of Serbia"


def test_an_approved_nominee_accepts_the_invitation_and_opens_the_lesson(
    page, open_course, mailoutbox
):
    import re

    from liaison.training.models import PartKind
    from liaison.training.services import content as services

    staff = User.objects.get(username="cora")
    module = open_course.modules.get()
    lesson = services.save_lesson(staff, module, None, {"title": "Indicators of trafficking"})
    services.save_part(
        staff,
        lesson,
        None,
        {"kind": PartKind.PAGE, "title": "First contact", "body": "Listen before you ask."},
    )
    ministry = Organisation.objects.get(name="Ministry of Interior of Serbia")
    marko = Person.objects.create(
        name="Marko Markovic", organisation=ministry, email="marko@example.org"
    )
    Enrolment.objects.create(course=open_course, person=marko, organisation=ministry, sex="male")

    # The centre approves; the nominee has no account, so the approval invites him.
    sign_in(page, "cora")
    page.goto(open_course.get_absolute_url())
    page.get_by_role("link", name="Nominations and participants").click()
    nominated = page.get_by_test_id("enrolments-nominated")
    nominated.get_by_role("button", name="Approve: Marko Markovic").click()
    expect(page.get_by_role("status")).to_contain_text("Marko Markovic has a place on")
    sign_out(page)

    invitation = next(m for m in mailoutbox if m.subject == "Your invitation to Liaison")
    assert invitation.to == ["marko@example.org"]
    # The link names LIAISON_SITE_URL; the test server listens elsewhere, so its path is opened.
    link = re.search(r"/invitations/accept/\S+/", invitation.body).group(0)

    # Marko opens the link from the e-mail, chooses a password and lands on the course.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Marko Markovic")
    page.get_by_label("Choose a password").fill("a-long-and-quiet-river-42")
    page.get_by_label("The same password again").fill("a-long-and-quiet-river-42")
    page.get_by_role("button", name="Accept and open my account").click()
    expect(page.get_by_role("status")).to_contain_text("Welcome, Marko Markovic")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.goto(lesson.get_absolute_url())
    expect(page.get_by_role("heading", name="Indicators of trafficking")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Listen before you ask.")
    assert Person.objects.get(pk=marko.pk).user.email == "marko@example.org"

    # The link works once.
    sign_out(page)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link cannot be used")
    page.errors.remove(next(e for e in page.errors if e.startswith("410 ")))
