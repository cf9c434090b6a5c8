"""An assessor answers a needs assessment in Chromium, area by area, and sees the gap chart
drawn on the assessment page with the same figures in its table."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from liaison.assessments.models import Answer
from liaison.core.models import Role, User
from liaison.directory.models import Country, Organisation, OrganisationType
from tests.assessments.conftest import make_template, start
from tests.browser.test_journeys import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def assessment(reference_data):
    secretariat = User.objects.create_user("sec", password=PASSWORD, role=Role.SECRETARIAT)
    assessor = User.objects.create_user(
        "assessor", password=PASSWORD, role=Role.PUBLIC, first_name="Ada", last_name="Assessor"
    )
    unit = Organisation.objects.create(
        name="Coordination Unit of Moldova",
        type=OrganisationType.COORDINATION_UNIT,
        country=Country.objects.get(code="MD"),
    )
    return start(secretariat, make_template(), unit, assessor, on=datetime.date(2025, 3, 1))


def test_an_assessor_answers_two_areas_and_sees_the_gap_chart(page, assessment):
    sign_in(page, "assessor")
    page.get_by_role("link", name="Assessments", exact=True).first.click()
    page.get_by_role("link", name="Coordination Unit of Moldova").click()
    expect(page.get_by_test_id("progress")).to_have_text("0 of 6 questions answered.")

    page.get_by_test_id("areas").get_by_role(
        "link", name=re.compile(r"^Answer\W+Information exchange")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Information exchange")
    page.get_by_role("group", name="Requests answered on time").get_by_label("1 — Ad hoc").check()
    page.get_by_role("group", name="Secure channel to partners").get_by_label("2 — Defined").check()
    page.get_by_role("group", name="Is there a 24/7 desk?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save and next area").click()
    expect(page.get_by_role("status")).to_contain_text("were saved")
    expect(page.get_by_role("heading", level=1)).to_have_text("Analysis")

    page.get_by_role("group", name="Threat assessments produced").get_by_label(
        "3 — Managed"
    ).check()
    page.get_by_role("group", name="Analysts in post").get_by_label("Answer").fill("4")
    page.get_by_role("group", name="Threat assessments produced").get_by_label(
        "Evidence or comment"
    ).fill("Three reports seen")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The answers of “Analysis” were saved")
    assert Answer.objects.filter(assessment=assessment).count() == 5

    page.get_by_role("link", name=str(assessment)).click()
    expect(page.get_by_test_id("progress")).to_have_text("5 of 6 questions answered.")
    expect(page.locator("#gap-chart")).to_have_attribute("data-drawn", "true")
    box = page.locator("#gap-chart").bounding_box()
    assert box["width"] > 100 and box["height"] > 100
    exchange = page.get_by_test_id("gap-exchange")
    expect(exchange.get_by_test_id("current")).to_have_text("1.5")
    expect(exchange.get_by_test_id("target")).to_have_text("3.0")
    expect(exchange.get_by_test_id("gap")).to_have_text("1.5")
    analysis = page.get_by_test_id("gap-analysis")
    expect(analysis.get_by_test_id("current")).to_have_text("3.0")
    expect(analysis.get_by_test_id("gap")).to_have_text("1.0")
