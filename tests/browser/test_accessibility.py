"""Issue 13, item 19: the main pages stay at zero axe-core violations (WCAG 2.1 A and AA).

axe-core, the engine auditors run, is injected into each page after its scripts have drawn the
maps, charts and pickers, as a visitor and as the secretariat, over the demo data
(``liaison demo``), which fills every page with real content. One test per role walks every
page and reports all violations at once, so one run names every defect.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from liaison.assessments.models import Assessment
from liaison.directory.models import Network, Organisation, Person
from liaison.equipment.models import Item
from liaison.events.models import Event, RegistrationForm
from liaison.portfolio.models import Project
from liaison.training.models import Course, Module
from tests.browser.test_journeys import sign_in

pytestmark = pytest.mark.browser

# node_modules/axe-core/axe.min.js as the site serves it: an inline copy (add_script_tag's
# ``path``) would be refused by the strict CSP, and bypassing the CSP would hide its own errors.
AXE = "/static/vendor/axe-core/axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """rules => axe.run(document, {runOnly: {type: 'tag', values: rules}}).then(r =>
  r.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ` +
    v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))"""


@pytest.fixture
def demo(reference_data):
    call_command("demo", verbosity=0)
    from liaison.core.models import User
    from tests.conftest import PASSWORD

    for user in User.objects.filter(username__in=["secretariat", "applicant"]):
        user.set_password(PASSWORD)
        user.save()


def public_pages() -> dict[str, str]:
    """The pages a visitor opens, each with the demo record that fills it best."""
    project = Project.objects.public().filter(countries__isnull=False).order_by("pk").first()
    organisation = Organisation.objects.filter(participations__isnull=False).order_by("pk")[0]
    event = Event.objects.filter(published=True).order_by("pk").first()
    network = Network.objects.order_by("pk").first()
    module = Module.objects.order_by("pk").first()
    return {
        "dashboard": "/",
        "project list": "/projects/",
        "project": f"/projects/{project.pk}/",
        "organisation": f"/directory/organisations/{organisation.pk}/",
        "organisation list": "/directory/organisations/",
        "network": f"/directory/networks/{network.pk}/",
        "country": "/directory/countries/RS/",
        "country list": "/directory/countries/",
        "event list": f"/events/?start_from={event.start:%Y-%m-%d}",
        "event": f"/events/{event.pk}/",
        "event registration": f"/events/{event.pk}/register/",
        "training catalogue": "/training/",
        "training module": f"/training/modules/{module.pk}/",
        "sign in": "/accounts/login/",
        "sign up": "/accounts/signup/",
        "password reset": "/accounts/password/reset/",
        "calls for proposals": "/grants/",
        "call": "/grants/calls/MPF-2026-BS/",
        "awarded grants": "/grants/awards/",
    }


def staff_pages() -> dict[str, str]:
    """What the secretariat opens besides the public pages."""
    # The training centre's project: the demo gives it a logframe, partners and funding.
    project = Project.objects.filter(results__isnull=False).distinct().order_by("pk").first()
    # A trainee of the demo courses: their page joins courses, results and events.
    person = Person.objects.filter(user__isnull=False).order_by("pk").first()
    event = RegistrationForm.objects.filter(event__published=True).order_by("pk").first().event
    course = Course.objects.order_by("pk").first()
    item = Item.objects.order_by("pk").first()
    assessment = Assessment.objects.order_by("pk").first()
    return {
        "project edit": f"/projects/{project.pk}/edit/",
        "project partners": f"/projects/{project.pk}/partners/",
        "project components": f"/projects/{project.pk}/components/",
        "person": f"/people/{person.pk}/",
        "event registration": f"/events/{event.pk}/register/",
        "event participants": f"/events/{event.pk}/participants/",
        "course list": "/training/courses/",
        "course": f"/training/courses/{course.pk}/",
        "equipment": "/equipment/",
        "equipment item": f"/equipment/{item.pk}/",
        "assessments": "/assessments/",
        "assessment": f"/assessments/{assessment.pk}/",
        "results": "/results/",
        "logframe": f"/results/projects/{project.pk}/",
        "e-mail addresses": "/accounts/email/",
        "password change": "/accounts/password/change/",
        "two-factor authentication": "/accounts/2fa/",
        "sessions": "/accounts/sessions/",
        **scorm_pages(),
        **grants_pages(),
    }


def scorm_pages() -> dict[str, str]:
    """The demo's SCORM part: its player page and what the package holds."""
    from liaison.training.models import LessonPart

    part = LessonPart.objects.filter(kind="scorm").order_by("pk").first()
    return {
        "SCORM part": f"/training/parts/{part.pk}/scorm/",
        "SCORM package": f"/training/parts/{part.pk}/package/",
    }


def grants_pages() -> dict[str, str]:
    """The secretariat's grants pages, over the demo's closed call."""
    from liaison.grants.models import Application

    selected = Application.objects.filter(status="selected").order_by("pk").first()
    submitted = Application.objects.filter(status="submitted").order_by("pk").first()
    return {
        "applications": "/grants/applications/",
        "application": f"/grants/applications/{selected.pk}/",
        "eligibility": f"/grants/applications/{submitted.pk}/eligibility/",
        "reviewers": "/grants/calls/MPF-2026-BS/reviewers/",
        "overview of a call": "/grants/calls/MPF-2026-BS/overview/",
        "ranking": "/grants/calls/MPF-2026-BS/lots/1/ranking/",
        "application form builder": "/grants/calls/MPF-2027-BS/form/",
    }


def violations(page, pages: dict[str, str]) -> dict[str, list[str]]:
    found = {}
    for name, url in pages.items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        for box in page.locator("[data-map]").all():
            expect(box).to_have_attribute("data-drawn", "true")
        page.add_script_tag(url=AXE)
        result = page.evaluate(RUN_AXE, RULES)
        if result:
            found[f"{name} {url}"] = result
    return found


def test_public_pages_have_no_accessibility_violations(page, demo):
    assert violations(page, public_pages()) == {}


def test_staff_pages_have_no_accessibility_violations(page, demo):
    sign_in(page, "secretariat")
    assert violations(page, {**public_pages(), **staff_pages()}) == {}


def test_the_scorm_player_has_no_accessibility_violations(page, demo):
    """The player on the content origin: contents, buttons, status and the package's frame."""
    from liaison.training.models import Lesson
    from tests.browser.test_scorm_player import add_package
    from tests.training import packages

    lesson = Lesson.objects.filter(module__centre__staff__isnull=False).order_by("pk").first()
    part = add_package(lesson, packages.multi_12(), "Document checks")
    sign_in(page, "secretariat")
    page.goto(f"/training/parts/{part.pk}/scorm/")
    player = page.locator("#scorm-player").get_attribute("src")
    page.goto(player)
    expect(page.locator('[data-item="topic-1"]')).to_have_attribute("aria-current", "step")
    page.add_script_tag(url=AXE)
    found = page.evaluate(RUN_AXE, RULES)
    page.goto("about:blank")  # the player's last commit lands before the database is emptied
    page.wait_for_timeout(1500)
    assert found == []


def test_applicant_pages_have_no_accessibility_violations(page, demo):
    """The consortium's pages of the demo applicant's draft in the open call."""
    from liaison.grants.models import Application

    draft = Application.objects.get(created_by__username="applicant")
    lead = draft.partners.get(role="lead")
    sign_in(page, "applicant")
    pages = {
        "draft application": f"/grants/applications/{draft.pk}/",
        "proposal": f"/grants/applications/{draft.pk}/edit/",
        "answers": f"/grants/applications/{draft.pk}/answers/",
        "work plan": f"/grants/applications/{draft.pk}/work-plan/",
        "budget": f"/grants/partners/{lead.pk}/budget/",
    }
    assert violations(page, pages) == {}


def test_a_page_with_messages_has_no_accessibility_violations(page, demo):
    """The messages were list items whose list had lost its role (``<ul role=status>``), as on
    the registration page after "You are already registered"; every message list is the same."""
    sign_in(page, "secretariat")
    project = Project.objects.filter(results__isnull=False).distinct().order_by("pk").first()
    page.goto(f"/projects/{project.pk}/partners/")
    page.get_by_role("button", name="Save Partners").click()
    expect(page.get_by_role("status")).to_contain_text("The project was saved.")
    page.add_script_tag(url=AXE)
    assert page.evaluate(RUN_AXE, RULES) == []


def test_exchange_pages_have_no_accessibility_violations(page, demo):
    """A supervisor of the demo's Georgian unit, whose second factor is the demo's secret: the
    inbox, a new request, a received request with every button, search and the read log."""
    from liaison.core.models import User
    from liaison.exchange.demo import DEMO_TOTP_SECRET
    from liaison.exchange.models import Case
    from tests.conftest import PASSWORD, authenticator_code

    user = User.objects.get(username="ge-cu-supervisor")
    user.set_password(PASSWORD)
    user.save()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(authenticator_code(DEMO_TOTP_SECRET))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    received = Case.objects.filter(unit__code="GE-ILECU", request__status="sent").order_by("pk")
    answered = received.filter(status="answered").first() or received.first()
    waiting = received.filter(status__in=["received", "assigned"]).first() or answered
    pages = {
        "exchange inbox": "/exchange/",
        "new request": "/exchange/new/",
        "answered request": f"/exchange/requests/{answered.request_id}/",
        "waiting request": f"/exchange/requests/{waiting.request_id}/",
        "search": "/exchange/search/?q=Japaridze",
        "read log": f"/exchange/requests/{answered.request_id}/log/",
    }
    assert violations(page, pages) == {}


def test_grants_pages_fit_a_phone(page, demo):
    """Regression: lists of facts (the call's rules, an application's answers and its SHA-256
    fingerprint) made pages wider than a 375-pixel phone, which then scrolled sideways."""
    from liaison.grants.models import Application

    submitted = Application.objects.filter(call__reference="MPF-2026-BS", status="selected")
    selected = submitted.order_by("pk").first()
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, "secretariat")
    for url in ["/grants/calls/MPF-2027-BS/", f"/grants/applications/{selected.pk}/"]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (url, width)
