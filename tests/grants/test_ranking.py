"""A lot's ranking (ties, thresholds, the envelope drawn in strict order), its page (staff only,
the same number of queries for more applications) and the committee's decision on it."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.grants import award, services
from liaison.grants.models import (
    Application,
    ApplicationStatus,
    BudgetLine,
    Consolidation,
    CostCategory,
    Decision,
    Outcome,
    Partner,
)
from liaison.grants.ranking import propose

from .conftest import BELGRADE

pytestmark = pytest.mark.django_db

FIRST_SUBMISSION = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=BELGRADE)


def scored(
    call,
    lot,
    applicant,
    lead_org,
    *,
    grant,
    total=None,
    passed=True,
    minutes=0,
    title="Proposal",
    co_financing=Decimal("0"),
    shared_comment="",
):
    """An application under review asking ``grant`` (no indirect costs, one EUR lead), with a
    consolidated ``total`` unless it is None, submitted ``minutes`` after the first one."""
    application = services.start_application(applicant, call, lot, lead_org, title)
    Application.objects.filter(pk=application.pk).update(
        indirect_rate=0,
        status=ApplicationStatus.UNDER_REVIEW,
        submitted_at=FIRST_SUBMISSION + datetime.timedelta(minutes=minutes),
    )
    lead = application.partners.get()
    BudgetLine.objects.create(
        partner=lead, category=CostCategory.STAFF, year=1, amount=Decimal(grant) + co_financing
    )
    Partner.objects.filter(pk=lead.pk).update(co_financing=co_financing)
    if total is not None:
        Consolidation.objects.create(
            application=application,
            total=Decimal(total),
            passed_thresholds=passed,
            scores={},
            comment="Internal: the committee found the budget padded.",
            shared_comment=shared_comment,
        )
    application.refresh_from_db()
    return application


@pytest.fixture
def make(call, lot, applicant, lead_org):
    def make(**values):
        return scored(call, lot, applicant, lead_org, **values)

    return make


def outcomes(ranking) -> dict:
    return {row.application.title: (row.rank, row.outcome, row.tie) for row in ranking.rows}


# The ranking ---------------------------------------------------------------------------------


def test_equal_totals_share_a_rank_and_the_earlier_submission_comes_first(make, lot):
    make(title="Late tie", grant=100000, total=80, minutes=30)
    make(title="Top", grant=100000, total=90, minutes=50)
    make(title="Early tie", grant=100000, total=80, minutes=10)
    make(title="Last", grant=100000, total=70)

    ranking = propose(lot)

    assert [row.application.title for row in ranking.rows] == [
        "Top",
        "Early tie",
        "Late tie",
        "Last",
    ]
    assert [row.rank for row in ranking.rows] == [1, 2, 2, 4]
    assert [row.tie for row in ranking.rows] == [False, True, True, False]
    assert {row.outcome for row in ranking.rows} == {ApplicationStatus.SELECTED}


def test_below_the_pass_mark_or_a_minimum_is_out_with_its_reason(make, call, lot):
    call.pass_mark = Decimal("60")
    call.save()
    make(title="Good", grant=100000, total=75)
    make(title="Weak", grant=100000, total="59.50")
    make(title="Lopsided", grant=100000, total=95, passed=False)
    make(title="On the mark", grant=100000, total=60)

    ranking = propose(lot)
    rows = {row.application.title: row for row in ranking.rows}

    assert outcomes(ranking) == {
        "Good": (1, ApplicationStatus.SELECTED, False),
        "On the mark": (2, ApplicationStatus.SELECTED, False),
        "Lopsided": (None, ApplicationStatus.REJECTED, False),
        "Weak": (None, ApplicationStatus.REJECTED, False),
    }
    assert "below the pass mark of 60" in rows["Weak"].reason
    assert "minimum on at least one criterion" in rows["Lopsided"].reason
    assert rows["Good"].reason == ""
    # Money is drawn only by those in the race.
    assert ranking.allocated == Decimal("200000")


def test_the_envelope_is_drawn_in_strict_order(make, lot):
    lot.envelope = Decimal("1000000")
    lot.save()
    make(title="First", grant=400000, total=90)
    make(title="Second", grant=400000, total=85)
    make(title="Too big", grant=300000, total=80)
    make(title="Would fit", grant=100000, total=75)

    ranking = propose(lot)

    assert outcomes(ranking) == {
        "First": (1, ApplicationStatus.SELECTED, False),
        "Second": (2, ApplicationStatus.SELECTED, False),
        "Too big": (3, ApplicationStatus.RESERVE, False),
        # 100,000 would fit in what is left, but nothing lower is pulled up past the line.
        "Would fit": (4, ApplicationStatus.RESERVE, False),
    }
    assert [row.cumulative for row in ranking.rows] == [
        Decimal("400000"),
        Decimal("800000"),
        Decimal("1100000"),
        Decimal("1200000"),
    ]
    assert ranking.remaining == Decimal("200000")


def test_an_exact_fit_is_selected(make, lot):
    lot.envelope = Decimal("1000000")
    lot.save()
    make(title="Half", grant=500000, total=90)
    make(title="Other half", grant="500000.00", total=80)
    make(title="One cent more", grant="0.01", total=70)

    ranking = propose(lot)

    assert outcomes(ranking)["Other half"] == (2, ApplicationStatus.SELECTED, False)
    assert outcomes(ranking)["One cent more"] == (3, ApplicationStatus.RESERVE, False)
    assert ranking.remaining == Decimal("0")


def test_a_tie_straddling_the_line_goes_to_the_reserve_flagged(make, lot):
    lot.envelope = Decimal("1000000")
    lot.save()
    make(title="Top", grant=500000, total=90)
    make(title="Tie A", grant=300000, total=80, minutes=1)
    make(title="Tie B", grant=300000, total=80, minutes=2)
    make(title="Below", grant=100000, total=70)

    ranking = propose(lot)
    rows = {row.application.title: row for row in ranking.rows}

    # Tie A alone would fit in the 500,000 left, Tie B would not: submission time does not
    # settle merit, so both wait in the reserve for the committee.
    assert outcomes(ranking) == {
        "Top": (1, ApplicationStatus.SELECTED, False),
        "Tie A": (2, ApplicationStatus.RESERVE, True),
        "Tie B": (2, ApplicationStatus.RESERVE, True),
        "Below": (4, ApplicationStatus.RESERVE, False),
    }
    assert rows["Tie A"].at_line and rows["Tie B"].at_line
    assert not rows["Below"].at_line
    assert ranking.remaining == Decimal("500000")


def test_a_tie_that_fits_whole_is_selected_whole(make, lot):
    lot.envelope = Decimal("1000000")
    lot.save()
    make(title="Tie A", grant=500000, total=80)
    make(title="Tie B", grant=500000, total=80)

    ranking = propose(lot)

    assert outcomes(ranking) == {
        "Tie A": (1, ApplicationStatus.SELECTED, True),
        "Tie B": (1, ApplicationStatus.SELECTED, True),
    }
    assert not ranking.ties_at_line


def test_unscored_applications_are_listed_apart_and_others_ignored(
    make, lot, call, applicant, lead_org
):
    make(title="Scored", grant=100000, total=80)
    make(title="Waiting", grant=100000)
    draft = services.start_application(applicant, call, lot, lead_org, "Draft")

    ranking = propose(lot)

    assert outcomes(ranking) == {
        "Scored": (1, ApplicationStatus.SELECTED, False),
        "Waiting": (None, "unscored", False),
    }
    assert [row.application.title for row in ranking.unscored] == ["Waiting"]
    assert draft.pk not in [row.application.pk for row in ranking.rows]


# The page ------------------------------------------------------------------------------------


def ranking_url(lot):
    return reverse("grants:ranking", args=[lot.call.reference, lot.number])


def test_the_page_shows_each_row_the_envelope_and_what_remains(client, secretariat, make, lot):
    make(title="Top", grant=400000, total="88.50")
    client.force_login(secretariat)

    page = client.get(ranking_url(lot)).content.decode()

    application = Application.objects.get(title="Top")
    assert application.reference in page
    assert "Border Police of Hungary" in page and "Hungary" in page
    assert "88.50" in page
    assert "400,000.00" in page  # requested, and cumulative
    assert "2,000,000.00 EUR" in page  # the envelope
    assert "1,600,000.00 EUR" in page  # what remains
    assert "Selected" in page
    assert "Record the decision" in page


def test_the_page_flags_a_tie_at_the_line_and_unscored_applications(client, secretariat, make, lot):
    lot.envelope = Decimal("500000")
    lot.max_grant = Decimal("500000")
    lot.save()
    make(title="Tie A", grant=300000, total=80)
    make(title="Tie B", grant=300000, total=80)
    make(title="Waiting", grant=100000)
    client.force_login(secretariat)

    page = client.get(ranking_url(lot)).content.decode()

    assert 'data-testid="tie-at-line"' in page
    assert page.count('data-testid="at-line"') == 2
    assert "1 application has no consolidated score yet" in page
    assert "Not yet scored" in page


def test_the_ranking_is_for_staff_only(
    client, make, lot, secretariat, staff_viewer, applicant, partner_contact, outsider
):
    make(title="Top", grant=100000, total=80)
    url = ranking_url(lot)
    for user in (secretariat, staff_viewer):
        client.force_login(user)
        assert client.get(url).status_code == 200
    for user in (applicant, partner_contact, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(secretariat)
    assert client.get(reverse("grants:ranking", args=[lot.call.reference, 9])).status_code == 404


def test_the_page_costs_the_same_for_more_applications(
    client, secretariat, make, lot, django_assert_max_num_queries
):
    make(title="One", grant=100000, total=80, co_financing=Decimal("5000"))
    make(title="Two", grant=100000, total=70)
    client.force_login(secretariat)
    url = ranking_url(lot)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for i in range(12):
        make(title=f"More {i}", grant=100000, total=60 + i, co_financing=Decimal("1000"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "More 11" in page


# The decision --------------------------------------------------------------------------------


def test_the_secretariat_records_the_decision(
    client, secretariat, make, lot, call, django_capture_on_commit_callbacks
):
    lot.envelope = Decimal("1000000")
    lot.save()
    call.pass_mark = Decimal("50")
    call.save()
    top = make(title="Top", grant=600000, total=90)
    reserve = make(title="Reserve", grant=500000, total=80)
    weak = make(title="Weak", grant=100000, total=40)
    client.force_login(secretariat)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grants:decide", args=[call.reference, lot.number]),
            {"reasons": "Ranked as proposed; no tie."},
        )

    assert response.status_code == 302
    decision = Decision.objects.get(lot=lot)
    assert decision.reasons == "Ranked as proposed; no tie."
    assert decision.decided_by == secretariat
    stored = {
        o.application_id: (o.rank, o.status, o.grant, o.score) for o in decision.outcomes.all()
    }
    assert stored == {
        top.pk: (1, "selected", Decimal("600000.00"), Decimal("90.00")),
        reserve.pk: (2, "reserve", None, Decimal("80.00")),
        weak.pk: (None, "rejected", None, Decimal("40.00")),
    }
    for application, status in ((top, "selected"), (reserve, "reserve"), (weak, "rejected")):
        application.refresh_from_db()
        assert application.status == status
        entry = AuditEntry.objects.get(action="grants.decided", object_id=str(application.pk))
        assert entry.changes["status"] == ["under_review", status]
        assert entry.reason == "Ranked as proposed; no tie."
    assert len(mail.outbox) == 3
    page = client.get(response.url).content.decode()
    assert "Ranked as proposed; no tie." in page
    assert "Record the decision" not in page


def test_no_decision_while_an_application_is_unscored(make, lot, secretariat):
    scored_one = make(title="Scored", grant=100000, total=80)
    waiting = make(title="Waiting", grant=100000)

    with pytest.raises(ValidationError, match=waiting.reference):
        award.decide(secretariat, lot, "Go")

    assert not Decision.objects.exists() and not Outcome.objects.exists()
    scored_one.refresh_from_db()
    assert scored_one.status == ApplicationStatus.UNDER_REVIEW


def test_no_decision_without_reasons(client, make, lot, secretariat):
    application = make(title="Scored", grant=100000, total=80)
    with pytest.raises(ValidationError, match="reasons"):
        award.decide(secretariat, lot, "   ")
    client.force_login(secretariat)
    response = client.post(
        reverse("grants:decide", args=[lot.call.reference, lot.number]), {"reasons": ""}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Decision.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW


def test_a_lot_is_decided_once(client, make, lot, secretariat):
    make(title="Scored", grant=100000, total=80)
    award.decide(secretariat, lot, "First decision.")
    late = make(title="Late", grant=100000, total=95)

    with pytest.raises(ValidationError, match="a lot is decided once"):
        award.decide(secretariat, lot, "Second decision.")
    client.force_login(secretariat)
    response = client.post(
        reverse("grants:decide", args=[lot.call.reference, lot.number]),
        {"reasons": "Second decision."},
    )
    assert "a lot is decided once" in response.content.decode()

    assert Decision.objects.get().reasons == "First decision."
    assert Outcome.objects.count() == 1
    late.refresh_from_db()
    assert late.status == ApplicationStatus.UNDER_REVIEW


def test_an_empty_lot_is_not_decided(lot, secretariat):
    with pytest.raises(ValidationError, match="nothing to decide"):
        award.decide(secretariat, lot, "Nothing.")
    assert not Decision.objects.exists()


def test_only_the_secretariat_decides(
    client, make, lot, staff_viewer, applicant, partner_contact, outsider
):
    application = make(title="Scored", grant=100000, total=80)
    url = reverse("grants:decide", args=[lot.call.reference, lot.number])
    for user in (staff_viewer, applicant, partner_contact, outsider):
        with pytest.raises(PermissionDenied):
            award.decide(user, lot, "Forged.")
        client.force_login(user)
        response = client.post(url, {"reasons": "Forged."})
        assert response.status_code == (403 if user == staff_viewer else 404)
    client.force_login(staff_viewer)
    assert client.get(url).status_code == 405
    assert not Decision.objects.exists()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.UNDER_REVIEW
    assert not AuditEntry.objects.filter(action__startswith="grants.decided").exists()
