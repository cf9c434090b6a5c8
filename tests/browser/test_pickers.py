"""Issue 13, item 17: one plain click in the country list dropped a project's other countries.

The long multi-selects are searchable pickers now: an item is added or removed on its own and the
chosen ones stay listed. Without JavaScript the plain select is still there and still submits.
"""

import re

import pytest
from playwright.sync_api import expect

from liaison.core.models import Role, User
from liaison.directory.models import Country
from liaison.portfolio.models import Project
from tests.browser.test_journeys import sign_in
from tests.conftest import PASSWORD, make_project

pytestmark = pytest.mark.browser

SEVEN = ["AL", "BA", "ME", "MK", "RS", "XK", "MD"]


def seven_country_project():
    manager = User.objects.create_user("pm", password=PASSWORD, role=Role.PROJECT_MANAGER)
    return make_project(
        "Western Balkans border management",
        acronym="WBBM",
        instrument="BMVI",
        countries=Country.objects.filter(code__in=SEVEN),
        managers=[manager],
    )


def pick(page, label, option):
    """Add one item to the picker labelled ``label``, as a person would: type, then choose."""
    page.get_by_role("combobox", name=label).fill(option[:4])
    page.get_by_role("listbox", name=label).get_by_role("option", name=option, exact=True).click()


def codes(project):
    return set(Project.objects.get(pk=project.pk).countries.values_list("code", flat=True))


def test_adding_one_country_keeps_the_existing_seven(page):
    project = seven_country_project()
    sign_in(page, "pm")
    page.goto(f"/projects/{project.pk}/edit/")
    chosen = page.locator(".ts-control .item")
    expect(chosen).to_have_count(7)
    pick(page, "Countries", "Georgia")
    expect(chosen).to_have_count(8)
    expect(chosen.filter(has_text="Georgia")).to_have_count(1)
    page.get_by_role("button", name="Save project").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    assert codes(project) == {*SEVEN, "GE"}


def test_the_keyboard_adds_and_removes_one_country_at_a_time(page):
    project = seven_country_project()
    sign_in(page, "pm")
    page.goto(f"/projects/{project.pk}/edit/")
    picker = page.get_by_role("combobox", name="Countries")
    chosen = page.locator(".ts-control .item")
    picker.focus()
    picker.press_sequentially("Bulg")
    expect(page.get_by_role("listbox", name="Countries").get_by_role("option")).to_have_text(
        ["Bulgaria"]
    )
    page.keyboard.press("Enter")
    expect(chosen).to_have_count(8)
    expect(chosen.last).to_contain_text("Bulgaria")
    expect(picker).to_have_value("")
    # Backspace in the empty search takes away the last chosen country only.
    page.keyboard.press("Backspace")
    expect(chosen).to_have_count(7)
    page.keyboard.press("Escape")
    page.locator(".ts-control .item", has_text="Albania").locator(".remove").click()
    page.get_by_role("button", name="Save project").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    assert codes(project) == set(SEVEN) - {"AL"}


def test_without_javascript_the_plain_select_still_keeps_the_countries(
    browser, live_server, reference_data
):
    project = seven_country_project()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("pm")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"/projects/{project.pk}/edit/")
        expect(page.locator("select[multiple][name=countries] option:checked")).to_have_count(7)
        page.get_by_role("button", name="Save project").click()
        assert codes(project) == set(SEVEN)
    finally:
        context.close()


def test_a_manager_adds_a_partner_from_the_project_page(page):
    """Issue 13, item 18: partners were kept in the admin only."""
    from liaison.core.models import AuditEntry
    from liaison.directory.models import Organisation

    project = seven_country_project()
    Organisation.objects.create(name="Border Police Academy of Georgia")
    sign_in(page, "pm")
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Edit partners").click()
    pick(page, "Organisation (row 1)", "Border Police Academy of Georgia")
    page.get_by_label("Role (row 1)").select_option(label="Implementer")
    page.get_by_label("Reason for the change").fill("Signed the partnership agreement")
    page.get_by_role("button", name="Save Partners").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    expect(page.get_by_role("heading", name="Implementer")).to_be_visible()
    assert list(project.participations.values_list("organisation__name", "role")) == [
        ("Border Police Academy of Georgia", "implementer")
    ]
    assert AuditEntry.objects.get().reason == "Signed the partnership agreement"


def test_a_country_on_the_map_still_opens_its_page(page):
    """Issue 13, item 19: the map's shapes are no longer links, yet a click still leads on."""
    project = seven_country_project()
    page.goto(project.get_absolute_url())
    map_box = page.locator("[data-map='map-project']")
    expect(map_box).to_have_attribute("data-drawn", "true")
    # Nothing inside the picture takes keyboard focus; the list of countries carries the links.
    assert page.locator(".map-svg a, .map-svg [tabindex]").count() == 0
    page.locator(".map-svg path.is-link").filter(has_text="Albania").click()
    expect(page).to_have_url(re.compile(r"/directory/countries/AL/$"))
