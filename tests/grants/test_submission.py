"""Submission: the deadline to the second in the call's time zone, the rules checked, the
application locked and stamped, the receipt sent with the hash of what was submitted."""

import datetime
import hashlib
import io
import json

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from liaison.core.models import AuditEntry
from liaison.grants import services
from liaison.grants.models import ApplicationStatus, CostCategory, Partner

from .conftest import BELGRADE, complete

pytestmark = pytest.mark.django_db

DEADLINE = datetime.datetime(2030, 3, 31, 17, 0, tzinfo=BELGRADE)


@pytest.fixture
def ready(application, applicant, partner_org, partner_contact, countries):
    return complete(application, applicant, partner_org, partner_contact, countries)


def test_submitted_at_the_deadlines_own_second(
    ready, applicant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted = services.submit(applicant, ready, now=DEADLINE)

    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.submitted_at == DEADLINE
    assert len(submitted.receipt_hash) == 64
    canonical = json.dumps(
        submitted.submitted_content, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert hashlib.sha256(canonical.encode()).hexdigest() == submitted.receipt_hash
    assert AuditEntry.objects.filter(action="grants.application_submitted").count() == 1

    (message,) = mail.outbox
    assert message.to == ["applicant@example.org"]
    assert submitted.receipt_hash in message.body
    assert "2030 17:00:00" in message.body and "Europe/Belgrade" in message.body
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert submitted.receipt_hash in text.replace("\n", "")
    assert "2030-03-31 17:00:00 (Europe/Belgrade)" in text
    assert "247,500.00 EUR" in text


def test_one_second_after_the_deadline_is_refused_and_the_draft_kept(ready, applicant):
    late = DEADLINE + datetime.timedelta(seconds=1)
    with pytest.raises(ValidationError, match="closed at 2030-03-31 17:00:00"):
        services.submit(applicant, ready, now=late)
    ready.refresh_from_db()
    assert ready.status == ApplicationStatus.DRAFT
    assert ready.summary == "Joint patrols and training."
    assert ready.submitted_at is None and ready.receipt_hash == ""


def test_the_deadline_is_read_in_the_calls_zone_not_the_servers(ready, applicant, settings):
    """17:00 in Belgrade is 15:00 UTC in summer: 15:00:01 UTC is already too late."""
    settings.TIME_ZONE = "UTC"
    utc = datetime.UTC
    with pytest.raises(ValidationError):
        services.submit(applicant, ready, now=datetime.datetime(2030, 3, 31, 15, 0, 1, tzinfo=utc))
    services.submit(applicant, ready, now=datetime.datetime(2030, 3, 31, 15, 0, 0, tzinfo=utc))


def test_an_incomplete_application_says_what_is_missing(application, applicant):
    with pytest.raises(ValidationError) as refused:
        services.submit(applicant, application, now=DEADLINE)
    messages = refused.value.messages
    assert "Write the project summary." in messages
    assert "Give the duration in months." in messages
    assert any("no budget lines" in m for m in messages)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_rules_of_the_call_refuse_submission(ready, applicant, partner_org):
    ready = services.update_application(applicant, ready, {"duration_months": 30})
    with pytest.raises(ValidationError, match="at most 24"):
        services.submit(applicant, ready, now=DEADLINE)
    assert ready.status == ApplicationStatus.DRAFT


def test_a_partner_from_an_ineligible_country_is_refused(application, applicant, countries):
    from liaison.directory.models import OrganisationType
    from tests.conftest import make_organisation

    countries["TR"].region = "turkiye"
    countries["TR"].save()
    turkish = make_organisation(
        "Police of Türkiye", "TNP", OrganisationType.POLICE, countries["TR"]
    )
    with pytest.raises(ValidationError, match="may not take part"):
        services.add_partner(applicant, application, turkish)
    assert application.partners.count() == 1


def test_a_submitted_application_can_no_longer_be_changed(ready, applicant, partner_contact):
    services.submit(applicant, ready, now=DEADLINE)
    with pytest.raises(PermissionDenied):
        services.update_application(applicant, ready, {"title": "Changed"})
    partner = Partner.objects.get(application=ready, role="partner")
    with pytest.raises(PermissionDenied):
        services.set_budget_lines(
            partner_contact, partner, [{"category": CostCategory.STAFF, "year": 1, "amount": 1}]
        )
    with pytest.raises(PermissionDenied):
        services.submit(applicant, ready, now=DEADLINE)


def test_numbers_follow_each_other_per_call(application, applicant, call, lot, lead_org):
    second = services.start_application(applicant, call, lot, lead_org, "Another")
    assert (application.number, second.number) == (1, 2)
    assert second.reference == "PF-2027-1-0002"
