"""The secretariat's overview of a call: counts by status, money asked against the envelope,
leads' countries; staff only; the same number of queries for more applications."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison.grants import services

from .conftest import complete

pytestmark = pytest.mark.django_db


def test_the_overview_adds_up_what_is_in_the_race(
    client,
    secretariat,
    application,
    applicant,
    partner_org,
    partner_contact,
    countries,
    call,
    lot,
    lead_org,
):
    application = complete(application, applicant, partner_org, partner_contact, countries)
    services.submit(applicant, application)
    services.start_application(applicant, call, lot, lead_org, "A draft, not counted")
    client.force_login(secretariat)
    page = client.get(reverse("grants:overview", args=[call.reference])).content.decode()
    assert "2 applications" in page
    assert "247,500.00" in page  # the submitted one's grant; the draft asks nothing yet
    assert "0.12×" in page  # 247,500 of a 2,000,000 envelope
    assert "Hungary" in page


def test_the_overview_is_for_staff(client, call, applicant, outsider, staff_viewer):
    url = reverse("grants:overview", args=[call.reference])
    for user in (applicant, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(staff_viewer)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_the_overview_costs_the_same_for_more_applications(
    client, secretariat, applicant, call, lot, lead_org, django_assert_max_num_queries
):
    url = reverse("grants:overview", args=[call.reference])
    services.start_application(applicant, call, lot, lead_org, "One")
    call.applications.update(status="under_review")
    client.force_login(secretariat)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for i in range(25):
        services.start_application(applicant, call, lot, lead_org, f"More {i}")
    # Counted against the envelope, so each one's budget is computed.
    call.applications.update(status="under_review")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "26 applications" in client.get(url).content.decode()


def test_the_overview_of_a_closed_call_says_it_closed(client, secretariat, call):
    call.closes_at = timezone.now() - datetime.timedelta(days=1)
    call.save()
    client.force_login(secretariat)
    page = client.get(reverse("grants:overview", args=[call.reference])).content.decode()
    assert "Closed: opened 1 Jan 2026 09:00, closed " in page
    assert ", closes " not in page
