"""Lost updates in the browser (issue 13, item 7): two people edit the same project in two
browser contexts; the second save is refused, shows what the first changed, keeps the second
person's input, and saving again replaces the first change on purpose."""

import pytest
from playwright.sync_api import expect

from liaison.core.models import Role, User
from liaison.portfolio.models import Project
from tests.browser.test_journeys import portfolio, sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_the_second_of_two_editors_sees_the_first_ones_change(page, browser, live_server):
    manager = User.objects.create_user(
        "pm", password=PASSWORD, role=Role.PROJECT_MANAGER, first_name="Petra", last_name="Manager"
    )
    User.objects.create_user("sec", password=PASSWORD, role=Role.SECRETARIAT)
    portfolio(manager)
    project = Project.objects.get(acronym="MIRCO")
    edit = f"/projects/{project.pk}/edit/"

    other_context = browser.new_context(base_url=live_server.url)
    other = other_context.new_page()
    other.set_default_timeout(10_000)
    try:
        sign_in(page, "pm")
        sign_in(other, "sec")
        page.goto(edit)
        other.goto(edit)

        page.get_by_label("Title").fill("Regional migration training centre, phase two")
        page.get_by_role("button", name="Save project").click()
        expect(page.get_by_role("status")).to_contain_text("saved")

        other.get_by_label("Acronym").fill("MIRCO-2")
        other.get_by_role("button", name="Save project").click()
        panel = other.locator("section.conflict")
        expect(panel).to_contain_text("Changed by someone else while you were editing")
        expect(panel).to_contain_text("Regional migration training centre, phase two")
        expect(panel).to_contain_text("Petra Manager")
        expect(other.get_by_label("Acronym")).to_have_value("MIRCO-2")
        saved = Project.objects.get(pk=project.pk)
        assert saved.acronym == "MIRCO" and saved.title.endswith("phase two")

        other.get_by_role("button", name="Save project").click()
        expect(other.get_by_role("status")).to_contain_text("saved")
        saved = Project.objects.get(pk=project.pk)
        assert saved.acronym == "MIRCO-2", "saving again after seeing the change stores it"
        assert saved.title == "Regional migration training centre", (
            "the second person's form held the title they opened; saving on purpose keeps it"
        )
    finally:
        other_context.close()
