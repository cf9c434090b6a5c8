"""A progress report from the manager's draft to the secretariat's approval, in Chromium."""

import pytest
from playwright.sync_api import expect

from liaison.core.models import Role
from liaison.directory.models import Country
from liaison.results.models import ReportStatus
from tests.browser.test_journeys import sign_in, sign_out
from tests.conftest import make_project, make_user
from tests.results.factories_reports import D, make_indicator, make_period, set_target, set_value

pytestmark = pytest.mark.browser


@pytest.fixture
def period(reference_data):
    manager = make_user("petra", Role.PROJECT_MANAGER, first_name="Petra", last_name="Manager")
    make_user("sam", Role.SECRETARIAT, first_name="Sam", last_name="Secretariat")
    project = make_project(countries=[Country.objects.get(code="RS")], managers=[manager])
    period = make_period(project, "First year", D(2022, 1, 1), D(2022, 12, 31), kind="annual")
    trained = make_indicator(project, "1.1", "Border officials trained", end_target=200)
    set_target(trained, period, 80)
    set_value(trained, period, 64)
    return period


def test_a_report_is_submitted_returned_resubmitted_and_approved(page, period):
    report_url = f"/results/periods/{period.pk}/report/"
    sign_in(page, "petra")
    page.goto(report_url)
    table = page.get_by_test_id("indicator-table")
    expect(table.get_by_role("row", name="Border officials trained")).to_contain_text("80%")
    page.get_by_label("Progress in the period").fill("Four courses ran for 64 officials.")
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("The report was saved.")).to_be_visible()
    page.get_by_role("button", name="Submit to the secretariat").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Submitted")
    expect(page.get_by_test_id("report-form")).to_have_count(0)
    sign_out(page)

    sign_in(page, "sam")
    page.goto(report_url)
    page.get_by_role("button", name="Return for changes").click()
    expect(page.get_by_test_id("step-return").get_by_role("alert")).to_contain_text("required")
    page.get_by_label("What should change").fill("Say which institutions the officials came from.")
    page.get_by_role("button", name="Return for changes").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Returned for changes")
    sign_out(page)

    sign_in(page, "petra")
    page.goto(report_url)
    expect(page.get_by_test_id("returned-comment")).to_contain_text(
        "Say which institutions the officials came from."
    )
    page.get_by_label("Progress in the period").fill(
        "Four courses ran for 64 officials of the border police and customs."
    )
    page.get_by_role("button", name="Save the report").click()
    page.get_by_role("button", name="Submit to the secretariat").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Submitted")
    sign_out(page)

    sign_in(page, "sam")
    page.goto(report_url)
    page.get_by_role("button", name="Approve the report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Approved")
    expect(page.get_by_test_id("history")).to_contain_text("Returned")
    sign_out(page)

    sign_in(page, "petra")
    page.goto(report_url)
    expect(page.get_by_test_id("narrative")).to_contain_text("border police and customs")
    expect(page.get_by_test_id("report-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Submit to the secretariat")).to_have_count(0)
    period.refresh_from_db()
    assert period.is_locked and period.report.status == ReportStatus.APPROVED
