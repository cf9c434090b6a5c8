"""The journeys that matter most, clicked through in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from liaison.core.models import Role, User
from liaison.directory.models import Country, Organisation
from liaison.portfolio.models import Project
from tests.conftest import PASSWORD, make_project

pytestmark = pytest.mark.browser


def portfolio(manager=None):
    rs, ge, tr = (Country.objects.get(code=c) for c in ("RS", "GE", "TR"))
    ministry = Organisation.objects.create(name="Ministry of Interior of Serbia", country=rs)
    make_project(
        "Regional migration training centre",
        acronym="MIRCO",
        countries=[rs],
        instrument="AMIF",
        typologies=["capacity"],
        organisations=[(ministry, "lead")],
        managers=[manager] if manager else [],
    )
    make_project(
        "Border surveillance in Georgia",
        acronym="GBP",
        countries=[ge],
        instrument="BMVI",
        typologies=["operational", "capacity"],
    )
    make_project(
        "Safer borders across the Maritsa",
        acronym="JSB",
        countries=[tr],
        instrument="Interreg",
        typologies=["operational"],
    )


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def sign_out(page):
    """Drop the session cookie: the next sign-in starts afresh without a round trip."""
    page.context.clear_cookies()


def test_dashboard_draws_the_chart_and_the_map(page):
    portfolio()
    page.goto("/")
    expect(page.get_by_test_id("total-projects")).to_have_text("3")
    expect(page.locator("#instrument-chart")).to_have_attribute("data-drawn", "true")
    box = page.locator("#instrument-chart").bounding_box()
    assert box["width"] > 100 and box["height"] > 100
    map_box = page.locator("[data-map='map-dashboard']")
    expect(map_box).to_have_attribute("data-drawn", "true")
    expect(map_box).to_have_attribute("data-countries", "3")
    assert page.locator(".map-svg path.country.has-data").count() == 3
    assert page.locator(".map-svg path.country").count() > 150
    expect(page.locator(".timeline-svg rect.bar")).to_have_count(3)


def test_project_list_filters_by_country_and_instrument(page):
    portfolio()
    page.goto("/projects/")
    expect(page.get_by_test_id("result-count")).to_have_text("3 projects")
    page.get_by_label("Country").select_option(["RS", "GE"])
    expect(page.get_by_test_id("result-count")).to_have_text("2 projects")
    expect(page).to_have_url(re.compile(r"country=RS.*country=GE|country=GE.*country=RS"))
    page.get_by_label("Funding instrument").select_option("BMVI")
    expect(page.get_by_test_id("result-count")).to_have_text("1 project")
    expect(page.locator(".project-table tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name=re.compile("GBP"))).to_be_visible()
    # The URL can be shared: opening it afresh shows the same list.
    shared = page.url
    page.goto("/")
    page.goto(shared)
    expect(page.get_by_test_id("result-count")).to_have_text("1 project")


def test_open_a_project_page(page):
    portfolio()
    page.goto("/projects/")
    page.get_by_role("link", name=re.compile("MIRCO")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Regional migration training centre"
    )
    expect(page.get_by_role("heading", name="Lead")).to_be_visible()
    expect(page.get_by_text("Ministry of Interior of Serbia")).to_be_visible()
    expect(page.locator("[data-map='map-project']")).to_have_attribute("data-drawn", "true")


def test_manager_edits_own_project_and_is_refused_another(page):
    manager = User.objects.create_user("pm", password=PASSWORD, role=Role.PROJECT_MANAGER)
    portfolio(manager)
    mine = Project.objects.get(acronym="MIRCO")
    other = Project.objects.get(acronym="GBP")
    sign_in(page, "pm")
    page.goto(mine.get_absolute_url())
    page.get_by_role("link", name="Edit project").click()
    page.get_by_label("Title").fill("Regional migration training centre, phase two")
    page.get_by_role("button", name="Save project").click()
    expect(page.get_by_role("status")).to_contain_text("saved")
    expect(page.get_by_role("heading", level=1)).to_contain_text("phase two")
    assert Project.objects.get(pk=mine.pk).title.endswith("phase two")

    page.goto(other.get_absolute_url())
    expect(page.get_by_role("link", name="Edit project")).to_have_count(0)
    response = page.goto(f"/projects/{other.pk}/edit/")
    assert response.status == 403
    page.errors.remove(f"403 {page.url}")
    assert Project.objects.get(pk=other.pk).title == "Border surveillance in Georgia"
