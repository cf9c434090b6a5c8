"""A certificate from the closing of a course to its revocation, clicked through in Chromium.

The centre closes a course and certifies the trainee who attended; the trainee finds the
certificate on her own page and downloads the PDF; a visitor without an account types the code
on the public page and reads that it is valid; the centre revokes it and the public page then
says revoked.
"""

import datetime
import io
import re
from decimal import Decimal

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison.core.models import Role, User
from liaison.directory.models import Organisation, OrganisationType, Person
from liaison.training.models import (
    Certificate,
    Course,
    CourseSession,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Module,
    SessionAttendance,
    TrainingCentre,
)
from tests.browser.test_journeys import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

COURSE = "Detecting forged travel documents, autumn cohort"


@pytest.fixture
def cohort(reference_data):
    academy = Organisation.objects.create(
        name="Border Police Academy", type=OrganisationType.TRAINING
    )
    staff = User.objects.create_user(
        "registrar", password=PASSWORD, role=Role.PUBLIC, first_name="Rita", last_name="Registrar"
    )
    learner = User.objects.create_user(
        "lena", password=PASSWORD, role=Role.PUBLIC, first_name="Lena", last_name="Learner"
    )
    Person.objects.create(name="Lena Learner", organisation=academy, user=learner)
    centre = TrainingCentre.objects.create(
        name="Border Police Training Centre", organisation=academy
    )
    centre.staff.add(staff)
    module = Module.objects.create(
        centre=centre, code="DOC-1", title="Document examination", duration_hours=Decimal("12")
    )
    course = Course.objects.create(
        centre=centre,
        title=COURSE,
        status=CourseStatus.RUNNING,
        starts_on=datetime.date(2026, 10, 5),
        ends_on=datetime.date(2026, 10, 6),
        requires_quiz=False,
        certificate_valid_years=2,
    )
    course.modules.add(module)
    enrolment = Enrolment.objects.create(
        course=course, person=learner.person, status=EnrolmentStatus.APPROVED
    )
    for day in (5, 6):
        start = timezone.make_aware(datetime.datetime(2026, 10, day, 9))
        session = CourseSession.objects.create(
            course=course, title=f"Day {day - 4}", starts_at=start, ends_at=start.replace(hour=16)
        )
        SessionAttendance.objects.create(session=session, enrolment=enrolment)
    return course


def test_certificate_from_closing_to_revocation(page, cohort):
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. The centre sees the trainee meets the rule, closes the course and issues certificates.
    sign_in(page, "registrar")
    page.goto(f"/training/courses/{cohort.pk}/completion/")
    row = page.get_by_test_id("completion-table").get_by_role("row", name=re.compile("Lena"))
    expect(row).to_contain_text("2/2 (100%)")
    expect(row).to_contain_text("Nothing: completion rule met")
    page.get_by_role("button", name="Close course and issue certificates").click()
    expect(page.get_by_role("status")).to_contain_text("1 completed, 0 did not")
    expect(row).to_contain_text("Completed")
    certificate = Certificate.objects.get()
    expect(row.get_by_role("link", name=certificate.code)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # 2. The trainee finds it on her own page and downloads the PDF.
    sign_in(page, "lena")
    page.get_by_role("link", name="My page").click()
    certificates = page.get_by_test_id("transcript-certificates")
    expect(certificates).to_contain_text(certificate.code)
    certificates.get_by_role("link", name=COURSE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Certificate {certificate.code}")
    expect(page.get_by_test_id("certificate-status")).to_have_text("Valid")
    expect(page.get_by_role("button", name="Revoke the certificate")).to_have_count(0)
    pdf_href = page.get_by_test_id("certificate-pdf").get_attribute("href")
    pdf = page.request.get(pdf_href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text()
    assert "Lena Learner" in text and COURSE in text and certificate.code in text
    page.get_by_role("button", name="Sign out").click()

    # 3. A visitor without an account types the code as read off paper, in lower case.
    page.goto("/training/verify/")
    page.get_by_label("Certificate code").fill(certificate.code.lower().replace("-", " "))
    page.get_by_role("button", name="Check").click()
    verification = page.get_by_test_id("verification")
    expect(page.get_by_test_id("certificate-status")).to_have_text("Valid")
    expect(page.get_by_test_id("holder")).to_have_text("Lena Learner")
    expect(verification).to_contain_text(COURSE)
    verify_url = page.url
    assert verify_url.endswith(f"/training/verify/{certificate.code}/")

    # 4. The centre revokes it, giving a reason.
    sign_in(page, "registrar")
    page.goto(certificate.get_absolute_url())
    page.get_by_role("button", name="Revoke the certificate").click()
    expect(page.get_by_role("alert")).to_contain_text("This field is required.")
    page.errors.remove(next(e for e in page.errors if e.startswith("400 ")))
    page.get_by_label("Reason for revocation").fill("The attendance sheet was filled in wrongly.")
    page.get_by_role("button", name="Revoke the certificate").click()
    expect(page.get_by_role("status")).to_contain_text("The certificate is revoked.")
    expect(page.get_by_test_id("certificate-status")).to_contain_text("Revoked on")
    page.get_by_role("button", name="Sign out").click()

    # 5. The public page now says revoked, and not why.
    page.goto(verify_url)
    expect(page.get_by_test_id("certificate-status")).to_contain_text("Revoked on")
    expect(page.get_by_test_id("verification")).not_to_contain_text("attendance sheet")
