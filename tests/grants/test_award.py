"""After the decision: the letters (the shared comment, never the reviewers'), the award that
makes a draft project equal to the application, the application page's panel, and the public
list of awarded grants with its CSV and XLSX."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from liaison.core.models import AuditEntry, Role
from liaison.grants import award, services
from liaison.grants.models import (
    ApplicationStatus,
    Assignment,
    ConflictStatus,
    Consolidation,
    Criterion,
    Decision,
    Score,
)
from liaison.portfolio.models import FundingLine, Instrument, Project, Theme, Typology
from tests.conftest import make_user

from .conftest import complete
from .test_ranking import FIRST_SUBMISSION, scored

pytestmark = pytest.mark.django_db

SHARED = "A convincing plan for joint patrols; the equipment budget is generous."
REVIEWER_SAYS = "Reviewer's own note: the lead's director is my former colleague."
CONSENSUS = "Internal consensus: push them down a little."


@pytest.fixture
def reviewer(db):
    return make_user("rita", Role.PUBLIC, first_name="Rita", last_name="Reviewerova")


@pytest.fixture
def selected(
    application, applicant, partner_org, partner_contact, countries, call, secretariat, reviewer
):
    """The consortium's application (267,500 EUR in all, 20,000 co-financed, a grant of
    247,500), reviewed, consolidated and selected by the committee."""
    application = complete(application, applicant, partner_org, partner_contact, countries)
    application.themes.set(Theme.objects.filter(code="border-management"))
    application.typologies.set(Typology.objects.filter(code__in=["operational", "capacity"]))
    application = services.submit(applicant, application, now=FIRST_SUBMISSION)
    application.status = ApplicationStatus.UNDER_REVIEW
    application.save(update_fields=["status"])
    criterion = Criterion.objects.create(call=call, title="Relevance", max_score=100)
    assignment = Assignment.objects.create(
        application=application,
        reviewer=reviewer,
        conflict=ConflictStatus.NONE,
        comment=REVIEWER_SAYS,
    )
    Score.objects.create(
        assignment=assignment, criterion=criterion, score=82, comment="Reviewer: weak on risks."
    )
    Consolidation.objects.create(
        application=application,
        total=Decimal("82.50"),
        scores={str(criterion.pk): "82.50"},
        comment=CONSENSUS,
        shared_comment=SHARED,
    )
    mail.outbox.clear()
    return application


def decide(secretariat, lot, callbacks):
    with callbacks(execute=True):
        return award.decide(secretariat, lot, "Funded within the envelope.")


# Letters -------------------------------------------------------------------------------------


def test_the_letter_gives_the_shared_comment_never_the_reviewers(
    selected, secretariat, lot, django_capture_on_commit_callbacks
):
    decide(secretariat, lot, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    assert message.to == ["applicant@example.org"]
    assert "Selected" in message.subject and selected.reference in message.subject
    assert "Consolidated score: 82.50" in message.body
    assert "247,500.00 EUR" in message.body
    assert SHARED in message.body
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"{selected.reference}-decision.pdf", "application/pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    flat = " ".join(text.split())
    assert "Selected" in flat and "82.50" in flat and "247,500.00 EUR" in flat
    assert " ".join(SHARED.split()) in flat
    for secret in (REVIEWER_SAYS, "weak on risks", CONSENSUS, "Reviewerova"):
        assert secret not in message.body
        assert secret not in flat
    # The committee's reasons are for the record, not for the applicant.
    assert "Funded within the envelope." not in message.body


def test_a_rejected_applicant_reads_why(
    make_rejected, secretariat, lot, django_capture_on_commit_callbacks
):
    decide(secretariat, lot, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert "Rejected" in message.subject
    assert "below the pass mark of 70" in message.body
    assert "Grant awarded" not in message.body


@pytest.fixture
def make_rejected(call, lot, applicant, lead_org):
    call.pass_mark = Decimal("70")
    call.save()
    return scored(call, lot, applicant, lead_org, grant=100000, total=65, title="Weak")


def test_the_letter_page_is_the_applicants_and_the_staffs(
    client,
    selected,
    secretariat,
    staff_viewer,
    applicant,
    partner_contact,
    outsider,
    lot,
    django_capture_on_commit_callbacks,
):
    url = reverse("grants:letter", args=[selected.pk])
    client.force_login(applicant)
    assert client.get(url).status_code == 404  # nothing decided yet
    decide(secretariat, lot, django_capture_on_commit_callbacks)
    for user in (applicant, secretariat, staff_viewer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        assert selected.reference in text
    client.force_login(partner_contact)
    assert client.get(url).status_code == 403
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_the_application_page_shows_the_outcome_to_the_applicant_only(
    client,
    selected,
    secretariat,
    applicant,
    partner_contact,
    lot,
    django_capture_on_commit_callbacks,
):
    decide(secretariat, lot, django_capture_on_commit_callbacks)
    url = selected.get_absolute_url()

    client.force_login(applicant)
    page = client.get(url).content.decode()
    assert 'data-testid="decision-panel"' in page
    assert "82.50" in page and SHARED in page
    assert reverse("grants:letter", args=[selected.pk]) in page
    assert REVIEWER_SAYS not in page and CONSENSUS not in page
    assert "Award: create the project" not in page

    client.force_login(partner_contact)
    assert 'data-testid="decision-panel"' not in client.get(url).content.decode()

    client.force_login(secretariat)
    page = client.get(url).content.decode()
    assert "Award: create the project" in page
    assert reverse("grants:ranking", args=[lot.call.reference, lot.number]) in page


# Award ---------------------------------------------------------------------------------------


def test_the_award_makes_a_draft_project_equal_to_the_application(
    selected,
    secretariat,
    applicant,
    lot,
    call,
    lead_org,
    partner_org,
    django_capture_on_commit_callbacks,
):
    decide(secretariat, lot, django_capture_on_commit_callbacks)

    project = award.award(secretariat, selected)

    assert project.visibility == "draft"
    assert project.facility == call.facility
    assert (project.title, project.reference) == ("Safer green border", selected.reference)
    assert project.summary == "Joint patrols and training."
    assert project.objective == "Safer borders."
    assert project.start is None and project.end is None
    assert (project.total_budget, project.currency) == (Decimal("267500.00"), "EUR")
    assert {c.code for c in project.countries.all()} == {"RS", "HU"}
    assert {t.code for t in project.themes.all()} == {"border-management"}
    assert {t.code for t in project.typologies.all()} == {"operational", "capacity"}
    assert {(p.organisation, p.role) for p in project.participations.all()} == {
        (lead_org, "lead"),
        (partner_org, "partner"),
    }
    assert [
        (f.instrument.code, f.eu_contribution, f.co_financing) for f in project.funding_lines.all()
    ] == [("BMVI", Decimal("247500.00"), Decimal("20000.00"))]
    assert [(c.order, c.title) for c in project.components.all()] == [
        (1, "Trained officers"),
        (2, "Joint patrols"),
    ]
    assert list(project.team.all()) == [applicant]
    selected.refresh_from_db()
    assert selected.project == project
    assert project.application.duration_months == 24  # the way back to what was proposed
    created = AuditEntry.objects.get(action="project.created", object_id=str(project.pk))
    assert created.changes["title"] == [None, "Safer green border"]
    assert AuditEntry.objects.filter(action="grants.awarded", object_id=str(selected.pk)).exists()


def test_several_instruments_share_the_money_evenly_the_remainder_on_the_first(
    selected, secretariat, lot, django_capture_on_commit_callbacks
):
    lot.instruments.set(Instrument.objects.filter(code__in=["AMIF", "ISF-P", "BMVI"]))
    decide(secretariat, lot, django_capture_on_commit_callbacks)

    project = award.award(secretariat, selected)

    lines = [
        (f.instrument.code, f.eu_contribution, f.co_financing) for f in project.funding_lines.all()
    ]
    assert lines == [
        ("AMIF", Decimal("82500.00"), Decimal("6666.68")),
        ("ISF-P", Decimal("82500.00"), Decimal("6666.66")),
        ("BMVI", Decimal("82500.00"), Decimal("6666.66")),
    ]
    assert sum(eu + co for _c, eu, co in lines) == project.total_budget


def test_awarding_twice_makes_one_project(
    client, selected, secretariat, lot, django_capture_on_commit_callbacks
):
    decide(secretariat, lot, django_capture_on_commit_callbacks)
    client.force_login(secretariat)
    url = reverse("grants:award", args=[selected.pk])

    first = client.post(url)
    second = client.post(url)

    project = Project.objects.get()
    assert first.url == second.url == project.get_absolute_url()
    assert award.award(secretariat, selected) == project
    assert FundingLine.objects.count() == 1
    assert AuditEntry.objects.filter(action="project.created").count() == 1
    page = client.get(selected.get_absolute_url()).content.decode()
    assert project.get_absolute_url() in page
    assert "Award: create the project" not in page


def test_only_a_selected_application_is_awarded(
    selected, secretariat, lot, django_capture_on_commit_callbacks, client
):
    with pytest.raises(ValidationError, match="under review"):
        award.award(secretariat, selected)
    client.force_login(secretariat)
    response = client.post(reverse("grants:award", args=[selected.pk]), follow=True)
    assert "Only a selected application is awarded" in response.content.decode()
    assert not Project.objects.exists()
    selected.refresh_from_db()
    assert selected.project is None


def test_only_the_secretariat_awards(
    client,
    selected,
    secretariat,
    staff_viewer,
    applicant,
    partner_contact,
    outsider,
    lot,
    django_capture_on_commit_callbacks,
):
    decide(secretariat, lot, django_capture_on_commit_callbacks)
    url = reverse("grants:award", args=[selected.pk])
    for user, status in (
        (staff_viewer, 403),
        (applicant, 403),
        (partner_contact, 403),
        (outsider, 404),
    ):
        with pytest.raises(PermissionDenied):
            award.award(user, selected)
        client.force_login(user)
        assert client.post(url).status_code == status
    assert client.get(url).status_code == 405
    assert not Project.objects.exists()
    assert not AuditEntry.objects.filter(action="grants.awarded").exists()


# The public list -----------------------------------------------------------------------------


def test_the_public_list_shows_what_was_awarded(
    client,
    selected,
    secretariat,
    lot,
    call,
    applicant,
    lead_org,
    django_capture_on_commit_callbacks,
):
    lot.envelope = Decimal("300000")
    lot.max_grant = Decimal("300000")
    lot.save()
    reserve = scored(call, lot, applicant, lead_org, grant=100000, total=70, title="In reserve")
    decide(secretariat, lot, django_capture_on_commit_callbacks)

    page = client.get(reverse("grants:awards")).content.decode()

    assert selected.reference in page and "Safer green border" in page
    assert "Border Police of Hungary" in page and "Hungary" in page
    assert "Ministry of Interior of Serbia" in page and "Serbia" in page
    assert "247,500.00 EUR" in page
    assert call.reference in page and "Border management" in page
    assert reserve.reference not in page
    assert reverse("grants:awards") in client.get(reverse("grants:calls")).content.decode()


def test_nothing_is_listed_before_a_decision(client, selected):
    page = client.get(reverse("grants:awards")).content.decode()
    assert selected.reference not in page
    assert "No grant has been awarded yet." in page


def test_the_list_downloads_as_csv_and_xlsx(
    client, selected, secretariat, lot, django_capture_on_commit_callbacks
):
    decide(secretariat, lot, django_capture_on_commit_callbacks)
    # 23:30 UTC on 30 June is already 1 July at the installation (Brussels).
    late = datetime.datetime(2030, 6, 30, 23, 30, tzinfo=datetime.UTC)
    Decision.objects.update(decided_at=late)

    response = client.get(reverse("grants:awards_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))
    assert header[:4] == ["Call", "Call title", "Lot", "Reference"]
    assert row[3] == selected.reference
    assert row[header.index("Lead")] == "Border Police of Hungary"
    assert row[header.index("Partners")] == "Ministry of Interior of Serbia (Serbia)"
    assert row[header.index("Grant")] == "247500.00"
    assert row[header.index("Decided on")] == "2030-07-01"

    response = client.get(reverse("grants:awards_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert row[header.index("Reference")] == selected.reference
    assert row[header.index("Lead's country")] == "Hungary"
    assert row[header.index("Grant")] == 247500
    assert row[header.index("Currency")] == "EUR"


def test_the_list_costs_the_same_for_more_grants(
    client, call, lot, applicant, lead_org, secretariat, partner_org, django_assert_max_num_queries
):
    def select(count):
        made = [
            scored(call, lot, applicant, lead_org, grant=100000, total=80, title=f"Grant {i}")
            for i in range(count)
        ]
        for application in made:
            application.partners.create(organisation=partner_org, currency="EUR")
        return made

    first = select(1)
    award.decide(secretariat, lot, "First lot.")
    other = lot.call.lots.create(
        number=2,
        title="Police",
        envelope=Decimal("2000000"),
        max_grant=Decimal("500000"),
        max_duration_months=24,
    )
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("grants:awards"))
    more = [
        scored(call, other, applicant, lead_org, grant=100000, total=80, title=f"More {i}")
        for i in range(12)
    ]
    for application in more:
        application.partners.create(organisation=partner_org, currency="EUR")
    award.decide(secretariat, other, "Second lot.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("grants:awards")).content.decode()
    assert first[0].reference in page and more[-1].reference in page
    assert page.count('data-testid="award"') == 13
