"""Who may read and change an application: the applicant (owner), a partner's contact
(member), somebody of another consortium (outsider), staff and visitors."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from liaison.grants import permissions, services
from liaison.grants.models import Application, CostCategory, Partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(application, applicant, partner_org, partner_contact):
    return services.add_partner(
        applicant, application, partner_org, contact=partner_contact.person, currency="RSD"
    )


def test_who_reads_an_application(
    application, partner, applicant, partner_contact, outsider, secretariat, staff_viewer
):
    readers = Application.objects.visible_to
    assert list(readers(applicant)) == [application]
    assert list(readers(partner_contact)) == [application]
    assert list(readers(outsider)) == []
    assert list(readers(AnonymousUser())) == []
    assert list(readers(secretariat)) == [application]
    assert list(readers(staff_viewer)) == [application]


def test_a_partners_contact_edits_their_own_part_only(
    application, partner, applicant, partner_contact, outsider
):
    lead = Partner.objects.get(application=application, role="lead")
    line = [{"category": CostCategory.STAFF, "year": 1, "amount": Decimal("10")}]

    services.set_budget_lines(partner_contact, partner, line)
    assert partner.lines.count() == 1
    with pytest.raises(PermissionDenied):
        services.set_budget_lines(partner_contact, lead, line)
    with pytest.raises(PermissionDenied):
        services.update_application(partner_contact, application, {"title": "Theirs"})
    with pytest.raises(PermissionDenied):
        services.submit(partner_contact, application)
    # The contact cannot hand the part to somebody else: only the applicant names contacts.
    services.update_partner(partner_contact, partner, {"contact": None, "co_financing": 5})
    partner.refresh_from_db()
    assert partner.contact == partner_contact.person and partner.co_financing == 5


def test_an_outsider_changes_nothing(application, partner, outsider):
    line = [{"category": CostCategory.STAFF, "year": 1, "amount": Decimal("10")}]
    for attempt in (
        lambda: services.set_budget_lines(outsider, partner, line),
        lambda: services.update_partner(outsider, partner, {"co_financing": 1}),
        lambda: services.update_application(outsider, application, {"title": "Mine"}),
        lambda: services.remove_partner(outsider, partner),
        lambda: services.submit(outsider, application),
        lambda: services.withdraw(outsider, application),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    application.refresh_from_db()
    assert application.title == "Safer green border"
    assert partner.lines.count() == 0


def test_applying_needs_an_account_with_a_person_and_an_open_call(call, lot, public_user):
    assert not permissions.can_apply(AnonymousUser(), call)[0]
    allowed, why = permissions.can_apply(public_user, call)
    assert not allowed and "verify your e-mail" in why
    call.published = False
    assert not permissions.can_apply(public_user, call)[0]


def test_the_lead_must_be_eligible_to_lead(applicant, call, lot, partner_org):
    with pytest.raises(Exception, match="may not lead"):
        services.start_application(applicant, call, lot, partner_org, "Led from Serbia")
    assert not Application.objects.exists()
