"""Importing factsheets through the web interface, clicked through in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from liaison.core.models import Role, User
from liaison.ingest.models import Factsheet, FactsheetStatus, ImportBatch
from liaison.ingest.tasks import read_factsheet
from liaison.portfolio.models import Project
from tests.browser.test_journeys import sign_in
from tests.conftest import PASSWORD
from tests.ingest.factsheets import COUNSEL, DANUBE, FINTRACE, HOSTILE_HTML

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def manager(transactional_db):
    return User.objects.create_user("pm", password=PASSWORD, role=Role.PROJECT_MANAGER)


def test_upload_two_review_one_correct_it_confirm_and_find_it(page, manager, tmp_path):
    danube, counsel = tmp_path / "danube.txt", tmp_path / "counsel.md"
    danube.write_text(DANUBE)
    counsel.write_text(COUNSEL)
    sign_in(page, "pm")
    page.get_by_role("link", name="Import factsheets").click()
    page.get_by_label("Factsheets", exact=True).set_input_files([danube, counsel])
    # The drop zone lists what was chosen.
    expect(page.locator("[data-dropzone-list] li")).to_have_count(2)
    page.get_by_role("button", name="Upload and read").click()

    expect(page.get_by_role("status")).to_contain_text("2 files were uploaded")
    expect(page.get_by_test_id("progress")).to_have_text("2 of 2 read")
    expect(page.get_by_test_id("factsheets").get_by_text("Ready for review")).to_have_count(2)
    assert not Project.objects.exists()

    page.get_by_role("link", name="Review danube.txt").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("danube.txt")
    title_mark = page.locator("#hl-title-0")
    expect(title_mark).to_have_text("Joint training for border guards on the Danube")
    expect(title_mark).to_have_attribute("title", "Title")
    # "found in text" jumps to the highlight.
    page.locator("a.found[href='#hl-acronym-0']").click()
    expect(page).to_have_url(re.compile("#hl-acronym-0$"))
    expect(page.locator("#hl-acronym-0")).to_be_in_viewport()

    acronym = page.get_by_label("Acronym")
    expect(acronym).to_have_value("DANUBE-GUARD")
    acronym.fill("DANUBE-SAFE")
    expect(page.get_by_test_id("project-match")).to_contain_text("create a new draft project")
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("DANUBE-SAFE")
    expect(page.get_by_role("status")).to_contain_text("added to the portfolio as a draft")
    project = Project.objects.get()
    assert project.acronym == "DANUBE-SAFE"

    page.get_by_role("link", name="Projects", exact=True).click()
    page.get_by_label("Search").fill("DANUBE-SAFE")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 project")
    row = page.locator(".project-table tbody tr")
    expect(row).to_contain_text("DANUBE-SAFE")
    expect(row).to_contain_text("Joint training for border guards on the Danube")
    expect(row).to_contain_text("Draft")

    # The other file still waits for its review.
    assert Factsheet.objects.get(name="counsel.md").status == FactsheetStatus.READY


def test_a_hostile_html_factsheet_shows_as_text(page, manager, tmp_path):
    hostile = tmp_path / "ports.html"
    hostile.write_text(HOSTILE_HTML)
    dialogs = []

    def answer_no(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer_no)
    sign_in(page, "pm")
    page.goto("/imports/")
    page.get_by_label("Factsheets", exact=True).set_input_files(hostile)
    page.get_by_role("button", name="Upload and read").click()
    page.get_by_role("link", name="Review ports.html").click()
    expect(page.get_by_test_id("document-text")).to_contain_text("Safer ports & harbours <pilot>")
    expect(page.get_by_label("Title")).to_have_value("Safer ports & harbours <pilot>")
    assert page.locator("main script, main img").count() == 0
    assert dialogs == []
    # Discarding asks first; dismissing the question keeps the factsheet.
    page.get_by_role("button", name="Discard").click()
    assert dialogs == ["Discard this factsheet? Nothing from it will reach the portfolio."]
    assert Factsheet.objects.get().status == FactsheetStatus.READY


def test_batch_page_follows_the_reading_and_then_stops_polling(page, manager):
    batch = ImportBatch.objects.create(uploaded_by=manager)
    waiting = Factsheet.objects.create(
        batch=batch, name="danube.txt", size=len(DANUBE), content=DANUBE.encode()
    )
    sign_in(page, "pm")
    page.goto(batch.get_absolute_url())
    expect(page.get_by_test_id("progress")).to_have_text("0 of 1 read")
    expect(page.locator("#batch-status")).to_have_attribute("hx-trigger", "every 2s")
    # The worker reads the file; the page notices without being reloaded.
    read_factsheet.call(waiting.pk)
    expect(page.get_by_test_id("progress")).to_have_text("1 of 1 read")
    expect(page.get_by_role("link", name="Review danube.txt")).to_be_visible()
    expect(page.locator("#batch-status")).not_to_have_attribute("hx-trigger", "every 2s")


def test_confirmed_factsheet_shows_its_eu_contribution_and_known_funder(page, manager, tmp_path):
    """Issue 13, item 9: the money stated reaches the funding line; the EU is not a new body."""
    sheet = tmp_path / "fintrace.txt"
    sheet.write_text(FINTRACE)
    sign_in(page, "pm")
    page.goto("/imports/")
    page.get_by_label("Factsheets", exact=True).set_input_files(sheet)
    page.get_by_role("button", name="Upload and read").click()
    page.get_by_role("link", name="Review fintrace.txt").click()
    expect(page.get_by_label("EU contribution")).to_have_value("871393.95")
    expect(page.get_by_label("Co-financing")).to_have_value("")
    funder = page.locator("tr", has=page.locator("input[value='European Union']"))
    expect(funder).to_contain_text("A known body: will be added as European Union")
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("FINTRACE")
    expect(page.get_by_role("main")).not_to_contain_text("flagged for review: European Union")
    line = page.get_by_role("row", name=re.compile("^ISF-P"))
    expect(line).to_contain_text("871,393.95")
    expect(line).to_contain_text("96,821.55")
    expect(line).to_contain_text("968,215.50")
