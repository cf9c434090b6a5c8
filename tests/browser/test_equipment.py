"""Equipment from request to hand-over, clicked through in Chromium: a project manager asks,
the secretariat approves, the manager records the purchase and the signed hand-over."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison.core.models import Role, User
from liaison.directory.models import Country, Organisation, OrganisationType
from liaison.equipment.models import Item, ItemStatus
from liaison.portfolio.models import Participation, ParticipationRole, Project
from tests.browser.test_journeys import sign_in
from tests.browser.test_training_nominations import sign_out
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def project(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    manager = User.objects.create_user(
        "petra", password=PASSWORD, role=Role.PROJECT_MANAGER, first_name="Petra"
    )
    User.objects.create_user("sam", password=PASSWORD, role=Role.SECRETARIAT, first_name="Sam")
    project = Project.objects.create(
        title="Connecting the coordination units", acronym="CONNECT", total_budget=Decimal(1)
    )
    project.managers.add(manager)
    unit = Organisation.objects.create(
        name="Coordination Unit of Moldova",
        type=OrganisationType.COORDINATION_UNIT,
        country=Country.objects.get(code="MD"),
    )
    Participation.objects.create(
        project=project, organisation=unit, role=ParticipationRole.BENEFICIARY
    )
    return project


def test_a_request_goes_from_the_manager_to_the_hand_over(page, project):
    today = timezone.localdate()
    # The manager requests a router for the unit.
    sign_in(page, "petra")
    page.goto("/equipment/")
    page.get_by_role("link", name="Request equipment").click()
    page.get_by_label("Funding project").select_option(
        label="CONNECT — Connecting the coordination units"
    )
    page.get_by_label("Institution").select_option(label="Coordination Unit of Moldova")
    page.get_by_label("Category").select_option(label="IT and communication")
    page.get_by_label("Item", exact=True).fill("Secure router with VPN")
    page.get_by_label("Quantity").fill("2")
    page.get_by_label("Estimated cost").fill("6400")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_test_id("item-status")).to_have_text("Requested")
    expect(page.get_by_role("heading", name="Approve the request")).to_have_count(0)
    item = Item.objects.get()
    sign_out(page)

    # The secretariat approves it.
    sign_in(page, "sam")
    page.goto(item.get_absolute_url())
    page.get_by_label("Note").fill("Within the equipment budget line.")
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The request was approved.")
    expect(page.get_by_test_id("item-status")).to_have_text("Approved")
    sign_out(page)

    # The manager records the purchase, then the hand-over with the signed record.
    sign_in(page, "petra")
    page.goto(item.get_absolute_url())
    page.get_by_label("Procured on").fill(today.isoformat())
    page.get_by_label("Supplier").fill("Nistru Networks")
    page.get_by_label("Actual cost").fill("6180")
    page.get_by_role("button", name="Record the procurement").click()
    expect(page.get_by_test_id("item-status")).to_have_text("Procured")

    page.get_by_label("Handed over on").fill(today.isoformat())
    page.get_by_label("Receiving officer").fill("Ion Rusu")
    page.get_by_label("Position").fill("Duty officer")
    page.get_by_label("Signed hand-over document").set_input_files(
        files=[{"name": "signed.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Record the hand-over").click()
    expect(page.get_by_role("status")).to_contain_text("The hand-over was recorded.")
    expect(page.get_by_test_id("item-status")).to_have_text("Delivered")
    handover = page.get_by_test_id("handover")
    expect(handover).to_contain_text("Ion Rusu, Duty officer")
    link = handover.get_by_role("link", name="Download the signed hand-over document")
    expect(link).to_have_attribute("href", f"/equipment/{item.pk}/hand-over/document/")
    download = page.request.get(link.get_attribute("href"))
    assert download.status == 200 and download.body() == PDF
    expect(page.get_by_test_id("path")).to_contain_text("recorded by Sam")

    item.refresh_from_db()
    assert item.status == ItemStatus.DELIVERED and item.delivered_on == today
    assert item.use_check_due == today + datetime.timedelta(days=182)
