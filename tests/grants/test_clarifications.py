"""Clarifications: the secretariat's question reopens only the parts it names; the applicant
(owner) changes those and answers, which submits the application again on its first date with
a new receipt; a partner's contact (member) reads the question and changes only its own budget
when the budget is reopened; somebody of another consortium (outsider) sees nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.directory.models import OrganisationType
from liaison.grants import eligibility, services
from liaison.grants.models import (
    Application,
    ApplicationStatus,
    Clarification,
    CostCategory,
    Partner,
)
from tests.conftest import make_organisation

from .conftest import BELGRADE, complete

pytestmark = pytest.mark.django_db

SUBMITTED_AT = datetime.datetime(2027, 5, 4, 10, 30, tzinfo=BELGRADE)
QUESTION = "Which border crossings do the joint patrols cover?"


@pytest.fixture
def submitted(application, applicant, partner_org, partner_contact, countries):
    complete(application, applicant, partner_org, partner_contact, countries)
    return services.submit(applicant, application, now=SUBMITTED_AT)


def ask(secretariat, application, fields, message=QUESTION):
    return eligibility.request_clarification(secretariat, application, fields, message)


def fresh(application):
    return Application.objects.get(pk=application.pk)


# Asking --------------------------------------------------------------------------------------


def test_the_question_pauses_the_application_and_is_emailed(
    submitted, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        clarification = ask(secretariat, submitted, ["summary", "budget"])
    assert clarification.fields == ["summary", "budget"]
    assert clarification.requested_by == secretariat and clarification.is_open
    assert fresh(submitted).status == ApplicationStatus.CLARIFICATION
    (message,) = mail.outbox
    assert message.to == ["applicant@example.org"]
    assert QUESTION in message.body
    assert "- Project summary\n- The budget (every partner's budget" in message.body
    assert "http" in message.body and submitted.get_absolute_url() in message.body
    entry = AuditEntry.objects.get(action="grants.clarification_requested")
    assert entry.reason == QUESTION
    assert entry.changes["fields reopened"] == [None, ["summary", "budget"]]


def test_bad_questions_are_refused_with_nothing_saved(
    client, submitted, secretariat, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError) as refused,
    ):
        ask(secretariat, submitted, ["summary", "status", "receipt_hash"], message="  ")
    assert refused.value.messages == [
        "A clarification cannot reopen status, receipt_hash; choose among the proposal's parts.",
        "Write the question the applicant is to answer.",
    ]
    assert not Clarification.objects.exists() and not mail.outbox
    assert fresh(submitted).status == ApplicationStatus.SUBMITTED

    client.force_login(secretariat)
    url = reverse("grants:clarification_request", args=[submitted.pk])
    response = client.post(url, {"message": "", "fields": ["summary"]})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    response = client.post(url, {"message": QUESTION, "fields": ["created_by"]})
    assert response.status_code == 200 and "not one of the available" in response.content.decode()
    assert not Clarification.objects.exists()
    assert fresh(submitted).status == ApplicationStatus.SUBMITTED


def test_one_open_clarification_at_a_time(submitted, secretariat, applicant):
    ask(secretariat, submitted, ["summary"])
    with pytest.raises(ValidationError, match="still awaits its answer; ask one question at a"):
        ask(secretariat, submitted, ["title"], message="And the title?")
    assert Clarification.objects.count() == 1

    eligibility.answer_clarification(applicant, submitted, "The two crossings at Horgoš.")
    ask(secretariat, submitted, ["title"], message="And the title?")
    assert Clarification.objects.count() == 2


def test_a_draft_or_a_decided_application_is_not_asked(application, submitted, secretariat):
    assert application.pk == submitted.pk
    Application.objects.filter(pk=submitted.pk).update(status=ApplicationStatus.DRAFT)
    with pytest.raises(ValidationError, match="only while the application is submitted"):
        ask(secretariat, fresh(submitted), ["summary"])
    Application.objects.filter(pk=submitted.pk).update(status=ApplicationStatus.INELIGIBLE)
    with pytest.raises(ValidationError, match="only while the application is submitted"):
        ask(secretariat, fresh(submitted), ["summary"])
    assert not Clarification.objects.exists()


def test_only_the_secretariat_asks(
    client, submitted, applicant, partner_contact, outsider, staff_viewer
):
    for user in (applicant, partner_contact, outsider, staff_viewer):
        with pytest.raises(PermissionDenied):
            ask(user, submitted, ["summary"])
    url = reverse("grants:clarification_request", args=[submitted.pk])
    for user, status in ((outsider, 404), (applicant, 403), (partner_contact, 403)):
        client.force_login(user)
        assert client.get(url).status_code == status
        assert client.post(url, {"message": "Forged", "fields": ["title"]}).status_code == status
    client.force_login(staff_viewer)
    assert client.post(url, {"message": "Forged", "fields": ["title"]}).status_code == 403
    assert not Clarification.objects.exists()
    assert fresh(submitted).status == ApplicationStatus.SUBMITTED


def test_the_secretariat_asks_from_the_page(client, submitted, secretariat):
    client.force_login(secretariat)
    url = reverse("grants:clarification_request", args=[submitted.pk])
    page = client.get(url).content.decode()
    assert "the budget (every partner&#x27;s budget and co-financing)" in page
    response = client.post(url, {"message": QUESTION, "fields": ["objective", "partners"]})
    assert response.status_code == 302
    assert Clarification.objects.get().fields == ["objective", "partners"]
    page = client.get(reverse("grants:eligibility", args=[submitted.pk])).content.decode()
    assert QUESTION in page and "Awaiting the answer" in page
    # While it waits, nothing more is asked.
    assert "Ask for a clarification" not in page
    assert "only while the application is submitted" in client.get(url).content.decode()


# What the clarification reopens --------------------------------------------------------------


def test_only_the_named_fields_change(submitted, secretariat, applicant):
    ask(secretariat, submitted, ["summary", "target_countries"])
    services.update_application(applicant, submitted, {"summary": "Patrols at Horgoš."})
    assert fresh(submitted).summary == "Patrols at Horgoš."

    with pytest.raises(ValidationError, match="does not reopen title"):
        services.update_application(
            applicant, submitted, {"summary": "Something else.", "title": "A new title"}
        )
    application = fresh(submitted)
    assert application.title == "Safer green border"
    assert application.summary == "Patrols at Horgoš."
    # A value sent unchanged (a full form, an API client) is not a change.
    services.update_application(
        applicant, submitted, {"title": "Safer green border", "summary": "Patrols."}
    )
    assert fresh(submitted).summary == "Patrols."
    with pytest.raises(ValidationError, match="does not reopen themes"):
        from liaison.portfolio.models import Theme

        theme = Theme.objects.first()
        services.update_application(applicant, submitted, {"themes": [theme]})
    assert not fresh(submitted).themes.exists()


def test_details_reopened_leave_the_consortium_and_budget_closed(
    submitted, secretariat, applicant, partner_contact, countries
):
    ask(secretariat, submitted, ["summary"])
    partner = Partner.objects.get(application=submitted, role="partner")
    line = [{"category": CostCategory.STAFF, "year": 1, "amount": Decimal("1")}]
    other = make_organisation(
        "Police of Moldova", "POL-MD", OrganisationType.POLICE, countries["MD"]
    )
    for attempt in (
        lambda: services.set_budget_lines(applicant, partner, line),
        lambda: services.set_budget_lines(partner_contact, partner, line),
        lambda: services.update_partner(applicant, partner, {"co_financing": 1}),
        lambda: services.add_partner(applicant, submitted, other),
        lambda: services.remove_partner(applicant, partner),
        lambda: services.submit(applicant, submitted),
        lambda: services.update_application(partner_contact, submitted, {"summary": "Mine"}),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert [line.amount for line in partner.lines.all()] == [Decimal("11720000")]
    assert submitted.partners.count() == 2


def test_the_budget_reopened_lets_each_contact_change_their_own_part(
    submitted, secretariat, applicant, partner_contact
):
    ask(secretariat, submitted, ["budget"])
    lead = Partner.objects.get(application=submitted, role="lead")
    partner = Partner.objects.get(application=submitted, role="partner")
    line = [{"category": CostCategory.EQUIPMENT, "year": 1, "amount": Decimal("11000000")}]
    services.set_budget_lines(partner_contact, partner, line)
    assert [x.amount for x in partner.lines.all()] == [Decimal("11000000")]
    services.update_partner(applicant, lead, {"co_financing": Decimal("25000")})
    with pytest.raises(PermissionDenied):
        services.set_budget_lines(partner_contact, lead, line)
    with pytest.raises(PermissionDenied):
        services.update_application(applicant, submitted, {"summary": "Changed"})
    with pytest.raises(ValidationError, match="does not reopen the consortium's contacts"):
        services.update_partner(applicant, partner, {"contact": None})
    assert fresh(submitted).summary == "Joint patrols and training."
    assert Partner.objects.get(pk=partner.pk).contact == partner_contact.person


def test_the_consortium_reopened_lets_the_applicant_add_a_partner(
    submitted, secretariat, applicant, countries
):
    ask(secretariat, submitted, ["partners"])
    other = make_organisation(
        "Police of Moldova", "POL-MD", OrganisationType.POLICE, countries["MD"]
    )
    services.add_partner(applicant, submitted, other, currency="EUR")
    assert submitted.partners.count() == 3
    with pytest.raises(PermissionDenied):
        services.update_application(applicant, submitted, {"summary": "Changed"})


def test_the_edit_page_shows_only_the_reopened_fields(
    client, submitted, secretariat, applicant, partner_contact
):
    ask(secretariat, submitted, ["summary", "duration_months"])
    client.force_login(applicant)
    url = reverse("grants:application_edit", args=[submitted.pk])
    page = client.get(url).content.decode()
    assert 'name="summary"' in page and 'name="duration_months"' in page
    assert 'name="title"' not in page and 'name="lot"' not in page
    response = client.post(
        url, {"summary": "Patrols at Horgoš.", "duration_months": "20", "title": "Forged"}
    )
    assert response.status_code == 302
    application = fresh(submitted)
    assert application.summary == "Patrols at Horgoš." and application.duration_months == 20
    assert application.title == "Safer green border"

    page = client.get(submitted.get_absolute_url()).content.decode()
    assert "Edit the proposal" in page and "Add a partner" not in page
    client.force_login(partner_contact)
    assert client.get(url).status_code == 403


# Answering -----------------------------------------------------------------------------------


def test_the_answer_submits_again_on_the_first_date_with_a_new_receipt(
    submitted, secretariat, applicant, django_capture_on_commit_callbacks
):
    old_hash = submitted.receipt_hash
    ask(secretariat, submitted, ["summary"])
    services.update_application(applicant, submitted, {"summary": "Patrols at Horgoš."})
    # After the deadline: the application was in time, the question came afterwards.
    late = datetime.datetime(2030, 6, 1, 9, 0, tzinfo=BELGRADE)
    with django_capture_on_commit_callbacks(execute=True):
        clarification = eligibility.answer_clarification(
            applicant, submitted, "The two crossings at Horgoš.", now=late
        )
    assert clarification.answer == "The two crossings at Horgoš."
    assert clarification.answered_at == late
    application = fresh(submitted)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at == SUBMITTED_AT
    assert application.submitted_content["summary"] == "Patrols at Horgoš."
    assert application.receipt_hash == services.content_hash(application.submitted_content)
    assert application.receipt_hash != old_hash
    entry = AuditEntry.objects.get(action="grants.clarification_answered")
    assert entry.changes["hash"] == [old_hash, application.receipt_hash]
    (receipt,) = mail.outbox
    assert receipt.to == ["applicant@example.org"]
    assert application.receipt_hash in receipt.body
    assert "4 May 2027 10:30:00" in receipt.body
    assert receipt.attachments[0][2] == "application/pdf"
    # Closed again: the reopened field no longer changes.
    with pytest.raises(PermissionDenied):
        services.update_application(applicant, application, {"summary": "Later"})


def test_an_answer_in_words_only_keeps_the_hash(submitted, secretariat, applicant):
    old_hash = submitted.receipt_hash
    ask(secretariat, submitted, [])
    eligibility.answer_clarification(applicant, submitted, "At Horgoš and Kelebija.")
    assert fresh(submitted).receipt_hash == old_hash


def test_only_the_applicant_answers_and_only_an_open_question(
    client, submitted, secretariat, applicant, partner_contact, outsider
):
    with pytest.raises(ValidationError, match="No clarification awaits an answer"):
        eligibility.answer_clarification(applicant, submitted, "Unasked.")
    ask(secretariat, submitted, ["summary"])
    for user in (partner_contact, outsider, secretariat):
        with pytest.raises(PermissionDenied):
            eligibility.answer_clarification(user, submitted, "Theirs.")
    with pytest.raises(ValidationError, match="Write your answer"):
        eligibility.answer_clarification(applicant, submitted, "   ")
    url = reverse("grants:clarification_answer", args=[submitted.pk])
    for user, status in ((outsider, 404), (partner_contact, 403), (secretariat, 403)):
        client.force_login(user)
        assert client.post(url, {"answer": "Forged."}).status_code == status
    assert fresh(submitted).status == ApplicationStatus.CLARIFICATION
    assert Clarification.objects.get().answer == ""


def test_the_applicant_answers_from_the_application_page(
    client, submitted, secretariat, applicant, partner_contact
):
    ask(secretariat, submitted, ["summary", "budget"])
    client.force_login(partner_contact)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert QUESTION in page
    assert 'data-testid="reopened"' not in page and "Send the answer" not in page

    client.force_login(applicant)
    page = client.get(submitted.get_absolute_url()).content.decode()
    assert QUESTION in page and "Send the answer" in page
    assert (
        '<ul data-testid="reopened"><li>Project summary</li>'
        "<li>The budget (every partner&#x27;s budget and co-financing)</li></ul>"
    ) in page
    assert "Submit the application" not in page

    url = reverse("grants:clarification_answer", args=[submitted.pk])
    response = client.post(url, {"answer": ""}, follow=True)
    assert "Write your answer" in response.content.decode()
    assert fresh(submitted).status == ApplicationStatus.CLARIFICATION

    response = client.post(url, {"answer": "The two crossings at Horgoš."}, follow=True)
    assert fresh(submitted).status == ApplicationStatus.SUBMITTED
    page = response.content.decode()
    assert "Send the answer" not in page and 'data-testid="eligibility-panel"' not in page
