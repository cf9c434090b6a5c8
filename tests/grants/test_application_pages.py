"""The consortium's pages, clicked through as the applicant (owner), a partner's contact
(member) and somebody of another consortium (outsider)."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from liaison.directory.models import Person
from liaison.grants.models import Application, ApplicationStatus, Partner
from liaison.invitations.models import Invitation

from .conftest import complete

pytestmark = pytest.mark.django_db


def lines_post(rows, currency="EUR", co_financing="0"):
    data = {
        "money-currency": currency,
        "money-co_financing": co_financing,
        "lines-TOTAL_FORMS": str(len(rows) + 1),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    for i, (year, category, amount) in enumerate(rows):
        data |= {
            f"lines-{i}-year": year,
            f"lines-{i}-category": category,
            f"lines-{i}-amount": amount,
        }
    return data


def test_the_applicant_starts_writes_and_builds_the_consortium(
    client,
    applicant,
    call,
    lot,
    lead_org,
    partner_org,
    countries,
    django_capture_on_commit_callbacks,
):
    client.force_login(applicant)
    page = client.get(reverse("grants:apply", args=[call.reference]))
    assert page.status_code == 200
    assert lead_org.name in page.content.decode()

    response = client.post(
        reverse("grants:apply", args=[call.reference]),
        {"lot": lot.pk, "lead": lead_org.pk, "title": "Safer green border"},
    )
    application = Application.objects.get()
    assert response.url == application.get_absolute_url()

    page = client.get(application.get_absolute_url()).content.decode()
    assert "Write the project summary." in page
    assert "Border Police of Hungary has no budget lines." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grants:partner_add", args=[application.pk]),
            {
                "organisation": partner_org.pk,
                "contact_name": "Petra Partner",
                "contact_email": "petra@example.org",
                "currency": "rsd",
            },
        )
    assert response.status_code == 302
    partner = Partner.objects.get(application=application, role="partner")
    assert partner.currency == "RSD"
    person = Person.objects.get(email="petra@example.org")
    assert person.organisation == partner_org and not person.is_contact_point
    invitation = Invitation.objects.get(person=person)
    assert invitation.next_url == application.get_absolute_url()
    assert [m.to for m in mail.outbox] == [["petra@example.org"]]

    response = client.post(
        reverse("grants:partner_budget", args=[partner.pk]),
        lines_post([(1, "equipment", "11720000")], currency="RSD"),
    )
    assert response.status_code == 302
    page = client.get(application.get_absolute_url()).content.decode()
    assert "107,000.00" in page  # 11,720,000 RSD + 7 % at 117.2


def test_budget_rows_left_empty_are_skipped_as_a_browser_sends_them(client, application, applicant):
    """A browser sends every row of the table, an empty one with its category's first option
    chosen: that option is blank, so the untouched rows are skipped, not refused."""
    lead = Partner.objects.get(application=application)
    client.force_login(applicant)
    url = reverse("grants:partner_budget", args=[lead.pk])
    page = client.get(url).content.decode()
    first = re.search(r'<select name="lines-0-category"[^>]*>\s*<option value="([^"]*)"', page)
    assert first is not None and first.group(1) == ""
    data = lines_post([(1, "staff", "1000")]) | {"lines-TOTAL_FORMS": "3"}
    for row in (1, 2):
        data |= {
            f"lines-{row}-year": "",
            f"lines-{row}-category": first.group(1),
            f"lines-{row}-description": "",
            f"lines-{row}-amount": "",
        }
    response = client.post(url, data)
    assert response.status_code == 302
    assert [(line.category, line.amount) for line in lead.lines.all()] == [
        ("staff", Decimal("1000"))
    ]


def test_bad_budget_input_is_refused_with_nothing_saved(client, application, applicant):
    lead = Partner.objects.get(application=application)
    client.force_login(applicant)
    url = reverse("grants:partner_budget", args=[lead.pk])
    client.post(url, lines_post([(1, "staff", "1000")]))
    assert [line.amount for line in lead.lines.all()] == [Decimal("1000")]

    for rows, currency in (
        ([(1, "staff", "-5")], "EUR"),
        ([(1, "staff", "1e15")], "EUR"),
        ([(11, "staff", "5")], "EUR"),
        ([(1, "bribes", "5")], "EUR"),
        ([(1, "staff", "5")], "XYZ"),
    ):
        response = client.post(url, lines_post(rows, currency=currency))
        assert response.status_code == 200, rows
        assert 'role="alert"' in response.content.decode()
        assert [line.amount for line in lead.lines.all()] == [Decimal("1000")]
        lead.refresh_from_db()
        assert lead.currency == "EUR"


def test_submit_from_the_page_and_download_the_receipt(
    client, application, applicant, partner_org, partner_contact, countries
):
    complete(application, applicant, partner_org, partner_contact, countries)
    client.force_login(applicant)
    client.post(reverse("grants:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    page = client.get(application.get_absolute_url()).content.decode()
    assert application.receipt_hash in page
    assert "Edit the proposal" not in page
    receipt = client.get(reverse("grants:receipt", args=[application.pk]))
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")


def test_an_incomplete_application_is_not_submitted_from_the_page(client, application, applicant):
    client.force_login(applicant)
    response = client.post(reverse("grants:submit", args=[application.pk]), follow=True)
    assert "Write the project summary." in response.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_a_partners_contact_sees_the_application_and_edits_only_their_budget(
    client, application, applicant, partner_org, partner_contact, countries
):
    complete(application, applicant, partner_org, partner_contact, countries)
    lead = Partner.objects.get(application=application, role="lead")
    partner = Partner.objects.get(application=application, role="partner")
    client.force_login(partner_contact)
    page = client.get(application.get_absolute_url()).content.decode()
    assert reverse("grants:partner_budget", args=[partner.pk]) in page
    assert reverse("grants:partner_budget", args=[lead.pk]) not in page
    assert "Submit the application" not in page
    assert client.get(reverse("grants:partner_budget", args=[lead.pk])).status_code == 403
    assert client.get(reverse("grants:application_edit", args=[application.pk])).status_code == 403
    assert client.post(reverse("grants:submit", args=[application.pk])).status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_another_consortium_finds_nothing(client, application, outsider):
    lead = Partner.objects.get(application=application)
    client.force_login(outsider)
    for url in (
        reverse("grants:application", args=[application.pk]),
        reverse("grants:application_edit", args=[application.pk]),
        reverse("grants:partner_add", args=[application.pk]),
        reverse("grants:receipt", args=[application.pk]),
        reverse("grants:partner_budget", args=[lead.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("grants:submit", args=[application.pk]),
        reverse("grants:withdraw", args=[application.pk]),
        reverse("grants:partner_remove", args=[lead.pk]),
    ):
        assert client.post(url).status_code == 404, url
    assert application.title not in client.get(reverse("grants:applications")).content.decode()


def test_visitors_are_sent_to_sign_in(client, application, call):
    for url in (
        reverse("grants:apply", args=[call.reference]),
        reverse("grants:application", args=[application.pk]),
        reverse("grants:applications"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_staff_list_reads_the_same_number_of_queries_for_more_applications(
    client, secretariat, applicant, call, lot, lead_org, django_assert_max_num_queries
):
    from liaison.grants import services

    for i in range(3):
        services.start_application(applicant, call, lot, lead_org, f"Application {i}")
    client.force_login(secretariat)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("grants:applications"))
    for i in range(30):
        services.start_application(applicant, call, lot, lead_org, f"More {i}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("grants:applications"))
    assert "More 29" in page.content.decode()


def test_the_receipt_is_the_applicants_and_the_staffs(
    client, application, applicant, partner_org, partner_contact, countries, staff_viewer
):
    from liaison.grants import services

    application = complete(application, applicant, partner_org, partner_contact, countries)
    services.submit(applicant, application)
    receipt = reverse("grants:receipt", args=[application.pk])
    client.force_login(partner_contact)
    assert "Download the receipt" not in client.get(application.get_absolute_url()).content.decode()
    assert client.get(receipt).status_code == 403
    for reader in (applicant, staff_viewer):
        client.force_login(reader)
        assert "Download the receipt" in client.get(application.get_absolute_url()).content.decode()
        assert client.get(receipt).status_code == 200


def test_a_new_applicant_without_an_organisation_picks_the_one_they_apply_for(
    client, call, lot, lead_org, countries
):
    """Someone who signed up is a member of no organisation yet: they choose the lead from the
    directory, and the call's rules still decide whether it may lead."""
    from liaison.directory.models import Person
    from tests.conftest import make_user

    newcomer = make_user("newcomer", "public")
    Person.objects.create(name="New Comer", email="newcomer@example.org", user=newcomer)
    client.force_login(newcomer)
    url = reverse("grants:apply", args=[call.reference])
    assert "not yet a member of an organisation" in client.get(url).content.decode()
    client.post(url, {"lot": lot.pk, "lead": lead_org.pk, "title": "From scratch"})
    assert Application.objects.get().lead == lead_org


def test_submitting_withdrawing_and_removing_a_partner_ask_first(
    client, application, applicant, partner_org, partner_contact, countries
):
    application = complete(application, applicant, partner_org, partner_contact, countries)
    client.force_login(applicant)
    page = client.get(application.get_absolute_url()).content.decode()
    assert 'data-confirm="Submit the application? It can no longer be changed afterwards."' in page
    assert 'data-confirm="Remove this partner and its budget from the consortium?"' in page
    assert 'data-confirm="Withdraw the application?' in page
