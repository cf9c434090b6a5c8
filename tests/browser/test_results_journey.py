"""The reporting cycle end to end, as the issue names it: a project manager types a period's
actuals, submits the report, the secretariat returns it with a comment and, once resubmitted,
approves it; the approved period can then no longer be edited."""

import datetime

import pytest
from playwright.sync_api import expect

from liaison.core.models import Role
from liaison.directory.models import Country
from liaison.results.models import Dimension, Target, Value
from tests.browser.test_journeys import sign_in, sign_out
from tests.conftest import make_project, make_user
from tests.results.logframe_helpers import make_indicator, make_logframe, make_period

pytestmark = pytest.mark.browser


@pytest.fixture
def cycle(reference_data):
    manager = make_user("petra", Role.PROJECT_MANAGER)
    make_user("sam", Role.SECRETARIAT)
    project = make_project(
        "Border police cooperation", acronym="BPC", countries=[Country.objects.get(code="TR")]
    )
    project.managers.add(manager)
    tree = make_logframe(project)
    indicator = make_indicator(
        tree["output"],
        "1.1.a",
        name="Joint patrol officers trained",
        disaggregations=[Dimension.SEX],
        end_target=60,
    )
    period = make_period(
        project, "First year", datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)
    )
    Target.objects.create(indicator=indicator, period=period, value=30)
    return indicator, period


def test_actuals_entered_report_returned_then_approved_and_period_locked(page, cycle):
    indicator, period = cycle
    values_url = f"/results/indicators/{indicator.pk}/periods/{period.pk}/"
    report_url = f"/results/periods/{period.pk}/report/"

    sign_in(page, "petra")
    page.goto(values_url)
    page.get_by_label("Female", exact=True).fill("9")
    page.get_by_label("Male", exact=True).fill("15")
    page.get_by_role("button", name="Save values").click()
    expect(page.get_by_test_id("grand-total")).to_have_text("24")

    page.goto(report_url)
    row = page.get_by_test_id("indicator-table").get_by_role(
        "row", name="Joint patrol officers trained"
    )
    expect(row).to_contain_text("24")
    expect(row).to_contain_text("80%")  # 24 of the period's target of 30
    page.get_by_label("Progress in the period").fill("Two joint courses ran at the border.")
    page.get_by_role("button", name="Save the report").click()
    page.get_by_role("button", name="Submit to the secretariat").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Submitted")
    sign_out(page)

    sign_in(page, "sam")
    page.goto(report_url)
    page.get_by_label("What should change").fill("Give the number of joint patrols as well.")
    page.get_by_role("button", name="Return for changes").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Returned for changes")
    sign_out(page)

    sign_in(page, "petra")
    page.goto(report_url)
    expect(page.get_by_test_id("returned-comment")).to_contain_text("number of joint patrols")
    page.get_by_label("Progress in the period").fill(
        "Two joint courses ran at the border; twelve joint patrols followed."
    )
    page.get_by_role("button", name="Save the report").click()
    page.get_by_role("button", name="Submit to the secretariat").click()
    sign_out(page)

    sign_in(page, "sam")
    page.goto(report_url)
    page.get_by_role("button", name="Approve the report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Approved")
    sign_out(page)

    sign_in(page, "petra")
    page.goto(values_url)
    expect(page.get_by_test_id("refusal")).to_contain_text("approved")
    expect(page.get_by_role("button", name="Save values")).to_have_count(0)
    expect(page.get_by_label("Female", exact=True)).to_have_count(0)
    page.goto(report_url)
    expect(page.get_by_test_id("report-form")).to_have_count(0)
    assert sorted(Value.objects.filter(indicator=indicator).values_list("value", flat=True)) == [
        9,
        15,
    ]
