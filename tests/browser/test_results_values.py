"""A project manager enters a period's actuals for an indicator broken down by sex and country:
from the logframe to the indicator, its value grid, typed cells, and the total Liaison derives
from them; then the indicator's chart draws target against actual."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from liaison.core.models import Role, User
from liaison.directory.models import Country
from liaison.results.models import Dimension, Target
from tests.browser.test_journeys import sign_in
from tests.conftest import PASSWORD, make_project
from tests.results.logframe_helpers import make_indicator, make_logframe, make_period

pytestmark = pytest.mark.browser


@pytest.fixture
def logframe(reference_data):
    manager = User.objects.create_user("pm", password=PASSWORD, role=Role.PROJECT_MANAGER)
    rs, ge = (Country.objects.get(code=c) for c in ("RS", "GE"))
    project = make_project(
        "Regional migration training centre",
        acronym="MIRCO",
        countries=[rs, ge],
        managers=[manager],
    )
    tree = make_logframe(project)
    indicator = make_indicator(
        tree["output"],
        "1.1.a",
        name="Officials trained",
        disaggregations=[Dimension.SEX, Dimension.COUNTRY],
        end_target=40,
    )
    period = make_period(
        project, "Interim report", datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)
    )
    Target.objects.create(indicator=indicator, period=period, value=20)
    return project, indicator, period


def test_a_manager_enters_cells_and_sees_the_derived_total(page, logframe):
    project, indicator, period = logframe
    sign_in(page, "pm")
    page.goto(f"/results/projects/{project.pk}/")
    expect(page.get_by_role("heading", name="Logframe of MIRCO")).to_be_visible()
    page.get_by_role("link", name="1.1.a Officials trained").click()
    page.get_by_role("link", name=re.compile(r"Enter values\W+Interim report")).click()
    expect(page.get_by_role("heading", name="Values of 1.1.a in Interim report")).to_be_visible()

    page.get_by_label("Female · Serbia", exact=True).fill("6")
    page.get_by_label("Male · Serbia", exact=True).fill("4")
    page.get_by_label("Female · Georgia", exact=True).fill("3")
    page.get_by_role("button", name="Save values").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Values of 1.1.a Officials trained for Interim report saved: 3 cells changed."
    )
    expect(page.get_by_test_id("grand-total")).to_have_text("13")
    expect(page.get_by_label("Female · Serbia", exact=True)).to_have_value(
        "6"
    )  # the cells stay typed

    # A changed value without a reason is refused and nothing changes.
    page.get_by_label("Female · Serbia", exact=True).fill("7")
    page.get_by_role("button", name="Save values").click()
    expect(page.get_by_role("alert").filter(has_text="Say why")).to_be_visible()
    expect(page.get_by_test_id("grand-total")).to_have_text("13")

    page.get_by_role("link", name="← 1.1.a Officials trained").click()
    expect(page.get_by_test_id("to-date").first).to_have_text("13")
    expect(page.locator("#indicator-chart")).to_have_attribute("data-drawn", "true")
