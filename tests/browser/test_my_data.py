"""My data and erasure, clicked through in Chromium (issue 14, item 6).

A trainee downloads everything Liaison holds about her and asks to be forgotten; the
secretariat carries it out; afterwards her name is on no page, while the course still counts
her place and her certificate still verifies, without the name.
"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from liaison.core.models import Role, User
from liaison.training.models import Certificate, Enrolment
from liaison.training.services import certificates
from tests.browser.test_journeys import sign_in, sign_out
from tests.browser.test_training_certificates import COURSE, cohort  # noqa: F401
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def certified(cohort):  # noqa: F811
    User.objects.create_user("sophie", password=PASSWORD, role=Role.SECRETARIAT)
    enrolment = Enrolment.objects.get(course=cohort)
    certificates.issue_certificate(cohort.centre.staff.get(), enrolment)
    return cohort


def test_a_trainee_takes_her_data_and_is_forgotten(page, certified):
    certificate = Certificate.objects.get()

    # 1. Lena downloads her data, reads it as a page, and asks to be erased.
    sign_in(page, "lena")
    page.get_by_role("link", name="My data").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a JSON file").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["records"]["directory.person"][0]["name"] == "Lena Learner"
    assert data["records"]["training.enrolment"][0]["_records"]["training.certificate"]
    page.get_by_role("link", name="Read it as a page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Everything Liaison holds about you")
    expect(page.locator("main")).to_contain_text(COURSE)
    page.get_by_role("link", name="My data").first.click()
    page.get_by_label("Anything the secretariat should know").fill("I have left the service.")
    page.get_by_role("button", name="Ask for my data to be erased").click()
    expect(page.get_by_role("status")).to_contain_text("Your request is with the secretariat")
    sign_out(page)

    # 2. The secretariat reads the request and carries it out.
    sign_in(page, "sophie")
    page.get_by_role("link", name="Erasure requests").click()
    page.get_by_role("link", name="#1").click()
    expect(page.locator("main")).to_contain_text("I have left the service.")
    page.get_by_role("button", name="Erase this person's data").click()
    expect(page.get_by_role("status")).to_contain_text("The person's data has been erased.")
    page.goto(certified.get_absolute_url())
    expect(page.locator("main")).not_to_contain_text("Lena")
    page.goto("/audit/")
    expect(page.locator("main")).not_to_contain_text("Lena Learner")
    sign_out(page)

    # 3. The centre still counts the place; the certificate verifies without the name.
    sign_in(page, "registrar")
    page.goto(f"/training/courses/{certified.pk}/completion/")
    table = page.get_by_test_id("completion-table")
    expect(table.get_by_role("row")).to_have_count(2)  # the header and the erased trainee
    expect(table).not_to_contain_text("Lena")
    sign_out(page)
    page.goto(f"/training/verify/{certificate.code}/")
    expect(page.get_by_test_id("certificate-status")).to_have_text("Valid")
    expect(page.get_by_test_id("holder")).to_have_text("Name erased at the holder's request")

    # 4. Lena's account no longer opens.
    page.goto("/accounts/login/")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
