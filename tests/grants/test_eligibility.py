"""The eligibility check of a submitted application: the call's rules re-run and the deadline,
the call's checklist answered by the secretariat, and the declaration (eligible, or ineligible
with a notice to the applicant), refused to the applicant (owner), a partner's contact
(member), somebody of another consortium (outsider) and staff who only read."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.grants import eligibility
from liaison.grants.models import (
    Application,
    ApplicationStatus,
    EligibilityAnswer,
    EligibilityCheck,
)

from .conftest import BELGRADE, complete

pytestmark = pytest.mark.django_db

SUBMITTED_AT = datetime.datetime(2027, 5, 4, 10, 30, tzinfo=BELGRADE)


@pytest.fixture
def submitted(application, applicant, partner_org, partner_contact, countries):
    from liaison.grants import services

    complete(application, applicant, partner_org, partner_contact, countries)
    return services.submit(applicant, application, now=SUBMITTED_AT)


@pytest.fixture
def checks(call):
    return [
        EligibilityCheck.objects.create(call=call, order=1, text="Mandate letters signed"),
        EligibilityCheck.objects.create(call=call, order=2, text="Statutes of every partner"),
    ]


def all_met(checks):
    return {check.pk: (True, "") for check in checks}


def status_of(application):
    return Application.objects.get(pk=application.pk).status


# Automatic checks ----------------------------------------------------------------------------


def test_a_clean_application_passes_every_automatic_check(submitted):
    checks = eligibility.automatic_checks(submitted)
    assert all(check.passed for check in checks)
    assert "2027-05-04 10:30:00" in checks[0].reason and "Europe/Belgrade" in checks[0].reason


def test_automatic_failures_are_listed_with_their_reasons(client, submitted, secretariat, call):
    # Changed behind the services' back (an import, the admin): the check reads what is there.
    Application.objects.filter(pk=submitted.pk).update(
        duration_months=36, submitted_at=call.closes_at + datetime.timedelta(seconds=1)
    )
    submitted.refresh_from_db()
    failed = [c for c in eligibility.automatic_checks(submitted) if not c.passed]
    reasons = [c.reason for c in failed]
    assert "after the deadline of 2030-03-31 17:00:00 (Europe/Belgrade)" in reasons[0]
    assert "The project lasts 36 months; this lot allows at most 24." in reasons

    client.force_login(secretariat)
    page = client.get(reverse("grants:eligibility", args=[submitted.pk])).content.decode()
    assert "The project lasts 36 months; this lot allows at most 24." in page
    assert "after the deadline" in page
    # The notice starts from the failures' reasons, one a line.
    notice = re.search(r'<textarea name="reason"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert notice.strip().splitlines() == reasons


# Checklist -----------------------------------------------------------------------------------


def test_declaring_eligible_waits_for_every_line_of_the_checklist(submitted, checks, secretariat):
    with pytest.raises(ValidationError) as refused:
        eligibility.declare_eligible(secretariat, submitted)
    assert "Not yet checked: Mandate letters signed" in refused.value.messages
    assert status_of(submitted) == ApplicationStatus.SUBMITTED

    eligibility.record_answers(
        secretariat,
        submitted,
        {checks[0].pk: (True, ""), checks[1].pk: (False, "The Serbian partner's is missing.")},
    )
    with pytest.raises(ValidationError) as refused:
        eligibility.declare_eligible(secretariat, submitted)
    assert "Statutes of every partner: The Serbian partner's is missing." in refused.value.messages
    assert status_of(submitted) == ApplicationStatus.SUBMITTED

    eligibility.record_answers(secretariat, submitted, all_met(checks))
    eligibility.declare_eligible(secretariat, submitted)
    assert status_of(submitted) == ApplicationStatus.UNDER_REVIEW
    entry = AuditEntry.objects.get(action="grants.declared_eligible")
    assert entry.actor == secretariat
    assert entry.changes["status"] == ["submitted", "under_review"]
    assert AuditEntry.objects.filter(action="grants.eligibility_checked").count() == 2


def test_declaring_eligible_is_refused_while_an_automatic_check_fails(
    submitted, checks, secretariat
):
    eligibility.record_answers(secretariat, submitted, all_met(checks))
    Application.objects.filter(pk=submitted.pk).update(duration_months=36)
    with pytest.raises(ValidationError, match="this lot allows at most 24"):
        eligibility.declare_eligible(secretariat, submitted)
    assert status_of(submitted) == ApplicationStatus.SUBMITTED


def test_a_line_not_met_needs_its_reason_and_nothing_is_half_saved(submitted, checks, secretariat):
    bad = {checks[0].pk: (True, ""), checks[1].pk: (False, "  ")}
    with pytest.raises(ValidationError, match="Statutes of every partner: say why it is not met"):
        eligibility.record_answers(secretariat, submitted, bad)
    assert not EligibilityAnswer.objects.exists()

    with pytest.raises(ValidationError, match="999 is not a line of this call's checklist"):
        eligibility.record_answers(
            secretariat, submitted, {checks[0].pk: (True, ""), 999: (True, "")}
        )
    with pytest.raises(ValidationError, match="keep the reason under 500"):
        eligibility.record_answers(secretariat, submitted, {checks[0].pk: (False, "x" * 501)})
    assert not EligibilityAnswer.objects.exists()
    assert not AuditEntry.objects.filter(action="grants.eligibility_checked").exists()


def test_an_answer_can_be_taken_back(submitted, checks, secretariat):
    eligibility.record_answers(secretariat, submitted, {checks[0].pk: (True, "")})
    eligibility.record_answers(secretariat, submitted, {checks[0].pk: (None, "")})
    assert not EligibilityAnswer.objects.exists()
    entry = AuditEntry.objects.filter(action="grants.eligibility_checked").first()
    assert entry.changes["Mandate letters signed"] == [{"passed": True, "note": ""}, None]


def test_the_secretariat_answers_and_declares_from_the_page(client, submitted, checks, secretariat):
    client.force_login(secretariat)
    url = reverse("grants:eligibility", args=[submitted.pk])
    response = client.post(
        url,
        {
            f"passed_{checks[0].pk}": "yes",
            f"passed_{checks[1].pk}": "no",
            f"note_{checks[1].pk}": "",
        },
    )
    assert response.status_code == 200
    assert "Say why it is not met." in response.content.decode()
    assert not EligibilityAnswer.objects.exists()

    response = client.post(url, {f"passed_{c.pk}": "yes" for c in checks})
    assert response.status_code == 302
    assert EligibilityAnswer.objects.filter(passed=True, by=secretariat).count() == 2

    client.post(reverse("grants:declare_eligible", args=[submitted.pk]))
    assert status_of(submitted) == ApplicationStatus.UNDER_REVIEW
    page = client.get(url).content.decode()
    assert "Declared eligible." in page and "Sam Secretariat" in page
    assert "Save the checklist" not in page  # decided: the checklist is read-only now


def test_declaring_eligible_from_the_page_says_what_is_missing(
    client, submitted, checks, secretariat
):
    client.force_login(secretariat)
    response = client.post(reverse("grants:declare_eligible", args=[submitted.pk]), follow=True)
    assert "Not yet checked: Statutes of every partner" in response.content.decode()
    assert status_of(submitted) == ApplicationStatus.SUBMITTED


# Ineligibility -------------------------------------------------------------------------------


def test_the_ineligibility_notice_is_emailed_with_its_reasons(
    submitted, secretariat, django_capture_on_commit_callbacks
):
    reason = "The lead's mandate letter is not signed."
    with django_capture_on_commit_callbacks(execute=True):
        eligibility.declare_ineligible(secretariat, submitted, reason)
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.INELIGIBLE
    assert submitted.ineligibility_reason == reason
    (message,) = mail.outbox
    assert message.to == ["applicant@example.org"]
    assert submitted.reference in message.subject
    assert reason in message.body
    assert submitted.get_absolute_url() in message.body
    entry = AuditEntry.objects.get(action="grants.declared_ineligible")
    assert entry.reason == reason and entry.changes["status"] == ["submitted", "ineligible"]


def test_ineligibility_needs_reasons_and_a_submitted_application(
    client, submitted, application, secretariat, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="Give the reasons"),
    ):
        eligibility.declare_ineligible(secretariat, submitted, "   ")
    assert status_of(submitted) == ApplicationStatus.SUBMITTED and not mail.outbox

    client.force_login(secretariat)
    response = client.post(
        reverse("grants:declare_ineligible", args=[submitted.pk]), {"reason": ""}
    )
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert status_of(submitted) == ApplicationStatus.SUBMITTED

    eligibility.declare_ineligible(secretariat, submitted, "Late.")
    for attempt in (
        lambda: eligibility.declare_eligible(secretariat, submitted),
        lambda: eligibility.declare_ineligible(secretariat, submitted, "Again."),
    ):
        with pytest.raises(ValidationError, match="only while the application is submitted"):
            attempt()
    assert Application.objects.get(pk=submitted.pk).ineligibility_reason == "Late."


def test_a_draft_is_not_checked(application, secretariat):
    with pytest.raises(ValidationError, match="only while the application is submitted"):
        eligibility.declare_eligible(secretariat, application)
    with pytest.raises(ValidationError, match="only while the application is submitted"):
        eligibility.record_answers(secretariat, application, {})
    assert status_of(application) == ApplicationStatus.DRAFT


def test_the_applicant_reads_the_notice_and_the_partner_does_not(
    client, submitted, secretariat, applicant, partner_contact
):
    eligibility.declare_ineligible(secretariat, submitted, "Statutes missing.")
    client.force_login(applicant)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert 'data-testid="ineligibility-reason"' in page and "Statutes missing." in page
    assert reverse("grants:eligibility", args=[submitted.pk]) not in page
    client.force_login(partner_contact)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Statutes missing." not in page and "eligibility-panel" not in page


# Who may -------------------------------------------------------------------------------------


def test_nobody_but_the_secretariat_decides(
    submitted, checks, applicant, partner_contact, outsider, staff_viewer
):
    for user in (applicant, partner_contact, outsider, staff_viewer):
        with pytest.raises(PermissionDenied):
            eligibility.record_answers(user, submitted, all_met(checks))
        with pytest.raises(PermissionDenied):
            eligibility.declare_eligible(user, submitted)
        with pytest.raises(PermissionDenied):
            eligibility.declare_ineligible(user, submitted, "Mine.")
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED and not submitted.ineligibility_reason
    assert not EligibilityAnswer.objects.exists()


def test_the_pages_refuse_the_consortium_and_hide_from_others(
    client, submitted, checks, applicant, partner_contact, outsider, staff_viewer
):
    urls = {
        "page": reverse("grants:eligibility", args=[submitted.pk]),
        "eligible": reverse("grants:declare_eligible", args=[submitted.pk]),
        "ineligible": reverse("grants:declare_ineligible", args=[submitted.pk]),
    }
    posted = {"reason": "Forged.", **{f"passed_{c.pk}": "yes" for c in checks}}
    for user, status in ((outsider, 404), (applicant, 403), (partner_contact, 403)):
        client.force_login(user)
        assert client.get(urls["page"]).status_code == status, user
        for url in urls.values():
            assert client.post(url, posted).status_code == status, (user, url)
    client.force_login(staff_viewer)
    page = client.get(urls["page"])
    assert page.status_code == 200 and "Mandate letters signed" in page.content.decode()
    assert "Save the checklist" not in page.content.decode()
    for url in urls.values():
        assert client.post(url, posted).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED and not submitted.ineligibility_reason
    assert not EligibilityAnswer.objects.exists()


def test_the_application_page_links_the_staff_to_the_check(
    client, submitted, checks, secretariat, staff_viewer
):
    client.force_login(secretariat)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert reverse("grants:eligibility", args=[submitted.pk]) in page
    assert reverse("grants:clarification_request", args=[submitted.pk]) in page
    assert "0 of 2 lines of the checklist answered" in page
    client.force_login(staff_viewer)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert reverse("grants:eligibility", args=[submitted.pk]) in page
    assert reverse("grants:clarification_request", args=[submitted.pk]) not in page


def test_the_page_reads_the_same_number_of_queries_for_a_longer_checklist(
    client, submitted, call, secretariat, django_assert_max_num_queries
):
    def lines(count, start):
        items = [
            EligibilityCheck(call=call, order=start + i, text=f"Line {start + i}")
            for i in range(count)
        ]
        EligibilityCheck.objects.bulk_create(items)
        eligibility.record_answers(
            secretariat,
            submitted,
            {c.pk: (False, "No.") for c in EligibilityCheck.objects.filter(call=call)},
        )

    lines(2, 0)
    client.force_login(secretariat)
    url = reverse("grants:eligibility", args=[submitted.pk])
    with django_assert_max_num_queries(60) as few:
        client.get(url)
    lines(25, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert "Line 124" in page.content.decode()


def test_the_call_admin_edits_the_checklist(client, call, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("admin:grants_call_change", args=[call.pk])).content.decode()
    assert "checks-TOTAL_FORMS" in page
