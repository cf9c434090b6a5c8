"""Scoring, blind until every reviewer has submitted, and the secretariat's consolidation: the
grid's arithmetic, what each reader sees on the pages, and what is refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.grants import evaluation, grid
from liaison.grants.models import Consolidation, Criterion, Score
from liaison.grants.services import GrantsError

from .evaluation_helpers import (  # noqa: F401 (fixtures)
    assigned,
    criteria_fixture,
    pool_fixture,
    scored,
    under_review_fixture,
)

pytestmark = pytest.mark.django_db


def scores_post(criteria, values, action="save", comment=""):
    data = {"action": action, "comment": comment}
    for criterion, (score, remark) in zip(criteria, values, strict=True):
        data |= {f"score-{criterion.pk}": score, f"comment-{criterion.pk}": remark}
    return data


# The arithmetic ---------------------------------------------------------------------------------


def test_weighted_totals_and_disagreement_add_up(call):
    relevance = Criterion(pk=1, call=call, weight=Decimal("2"), min_score=0, max_score=5)
    feasibility = Criterion(pk=2, call=call, weight=Decimal("1"), min_score=0, max_score=10)
    both = [relevance, feasibility]
    assert grid.weighted_total(both, {1: Decimal("4"), 2: Decimal("7.5")}) == Decimal("15.50")
    assert grid.total_span(both) == Decimal("20")
    # Range 0–5, rate 30 %: 1.5 points apart is the most reviewers may differ unflagged.
    assert grid.disagree([Decimal(1), Decimal(4)], grid.span(relevance), Decimal(30))
    assert not grid.disagree([Decimal(2), Decimal("3.5")], grid.span(relevance), Decimal(30))
    assert not grid.disagree([Decimal(1)], grid.span(relevance), Decimal(30))
    assert grid.mean([Decimal(1), Decimal(4)]) == Decimal("2.50")


def test_the_comparison_flags_where_reviewers_disagree(secretariat, under_review, pool, criteria):
    a, b = assigned(secretariat, under_review, pool[0], pool[1])
    scored(a, 1, 6)  # totals: 2×1 + 6 = 8
    scored(b, 4, 6)  # totals: 2×4 + 6 = 14
    comparison = grid.compare(
        under_review.call, criteria, list(evaluation.assignments_of(under_review))
    )
    relevance, feasibility = comparison.rows
    assert relevance.flagged and relevance.mean == Decimal("2.50")
    assert not feasibility.flagged and feasibility.mean == Decimal("6.00")
    assert comparison.totals == [Decimal("8.00"), Decimal("14.00")]
    # 6 apart on a total range of 2×5 + 10 = 20: not more than 30 % of it.
    assert not comparison.total_flagged and comparison.flagged and comparison.complete


# Scoring ----------------------------------------------------------------------------------------


def test_a_reviewer_saves_a_draft_then_submits_and_changes_nothing_after(
    client, secretariat, under_review, pool, criteria
):
    (mine,) = assigned(secretariat, under_review, pool[0])
    url = reverse("grants:review_scores", args=[mine.pk])
    review = reverse("grants:review", args=[mine.pk])
    client.force_login(pool[0])

    response = client.post(url, scores_post(criteria, [("4", "Clear need"), ("", "")]))
    assert response.url == review
    assert [(s.criterion.title, s.score) for s in Score.objects.all()] == [
        ("Relevance", Decimal("4.00"))
    ]
    page = client.get(review).content.decode()
    assert "Clear need" in page and "Submit my scores" in page

    response = client.post(url, scores_post(criteria, [("4", "Clear need"), ("", "")], "submit"))
    assert "Score every criterion before submitting: Feasibility." in response.content.decode()
    mine.refresh_from_db()
    assert mine.submitted_at is None

    client.post(url, scores_post(criteria, [("4", "Clear need"), ("7.5", "")], "submit", "Good"))
    mine.refresh_from_db()
    assert mine.submitted_at is not None and mine.comment == "Good"
    entry = AuditEntry.objects.get(action="grants.scores_submitted")
    assert entry.changes["total"] == "15.50"

    page = client.get(review).content.decode()
    assert "Submit my scores" not in page and "15.5" in page
    response = client.post(url, scores_post(criteria, [("1", ""), ("1", "")], "submit"))
    assert response.status_code == 403
    with pytest.raises(PermissionDenied, match="submitted"):
        scored(mine, 1, 1)
    assert sorted(Score.objects.values_list("score", flat=True)) == [Decimal(4), Decimal("7.5")]


def test_scores_out_of_range_are_refused_and_nothing_is_saved(
    client, secretariat, under_review, pool, criteria
):
    (mine,) = assigned(secretariat, under_review, pool[0])
    scored(mine, 2, 3, submit=False, comment="First draft")
    url = reverse("grants:review_scores", args=[mine.pk])
    client.force_login(pool[0])
    for bad in ("6", "-1", "abc", "2.555"):
        response = client.post(url, scores_post(criteria, [(bad, "Changed"), ("9", "")]))
        assert response.status_code == 200
        assert 'class="error"' in response.content.decode()
    for bad in (6, -1, "abc", "2.555", "NaN"):
        with pytest.raises(GrantsError, match="Relevance"):
            scored(mine, bad, 9, submit=False, comment="Changed")
    with pytest.raises(GrantsError, match="grid"):
        evaluation.save_scores(pool[0], mine, {999999: (1, "")})
    with pytest.raises(GrantsError, match="Give a score on Feasibility"):
        evaluation.save_scores(pool[0], mine, {criteria[1].pk: ("", "A comment")})
    mine.refresh_from_db()
    assert mine.comment == "First draft"
    assert sorted(Score.objects.values_list("score", flat=True)) == [Decimal(2), Decimal(3)]


def test_scores_are_blind_until_every_reviewer_has_submitted(
    client, secretariat, under_review, pool, criteria
):
    a, b = assigned(secretariat, under_review, pool[0], pool[1])
    scored(b, 5, 9, submit=False, comment="BETA-DRAFT-NOTE")
    scored(a, 1, 2, comment="ALPHA-NOTE")
    client.force_login(pool[0])
    review_a = reverse("grants:review", args=[a.pk])
    page = client.get(review_a).content.decode()
    assert "ALPHA-NOTE" in page and "BETA-DRAFT-NOTE" not in page
    assert 'data-testid="all-scores"' not in page

    # A third reviewer has not declared yet: B's submission does not open A's scores to B.
    (c,) = assigned(secretariat, under_review, pool[2], declare=False)
    scored(b, 5, 9, comment="BETA-NOTE")
    client.force_login(pool[1])
    review_b = reverse("grants:review", args=[b.pk])
    page = client.get(review_b).content.decode()
    assert "BETA-NOTE" in page and "ALPHA-NOTE" not in page

    # The third declares a conflict: every reviewer who counts is in, and they read each other.
    evaluation.declare(pool[2], c, conflict=True, note="Former colleague of the lead.")
    page = client.get(review_b).content.decode()
    assert "ALPHA-NOTE" in page and 'data-testid="all-scores"' in page
    assert "Reviewer 1" in page and "You" in page
    assert "Ana" not in page and "Alpha" not in page  # reviewers read opinions, not names


def test_the_secretariat_sees_scores_as_they_come_in_but_consolidates_only_when_all_are_in(
    client, secretariat, under_review, pool, criteria
):
    a, b = assigned(secretariat, under_review, pool[0], pool[1])
    scored(a, 4, 8, comment="ALPHA-NOTE")
    scored(b, 1, 1, submit=False, comment="BETA-DRAFT-NOTE")
    url = reverse("grants:consolidate", args=[under_review.pk])
    client.force_login(secretariat)
    page = client.get(url).content.decode()
    assert "ALPHA-NOTE" in page and "BETA-DRAFT-NOTE" not in page  # drafts stay the reviewer's
    assert 'data-testid="not-complete"' in page and "Submitted" in page and "Scoring" in page
    assert 'data-testid="consolidate-form"' not in page

    response = client.post(url, {f"score-{criteria[0].pk}": "4", f"score-{criteria[1].pk}": "8"})
    assert response.status_code == 302
    with pytest.raises(GrantsError, match="every reviewer"):
        evaluation.consolidate(secretariat, under_review, {c.pk: 3 for c in criteria})
    assert Consolidation.objects.count() == 0


def test_the_secretariat_consolidates_from_the_mean(
    client, secretariat, under_review, pool, criteria
):
    a, b = assigned(secretariat, under_review, pool[0], pool[1])
    scored(a, 1, 6)
    scored(b, 4, 7)
    url = reverse("grants:consolidate", args=[under_review.pk])
    client.force_login(secretariat)
    page = client.get(url).content.decode()
    assert 'data-testid="flag"' in page  # relevance: 1 and 4 on 0–5
    assert f'name="score-{criteria[0].pk}" value="2.50"' in page  # the mean, proposed
    assert "Ana Alpha" in page and "Boris Beta" in page

    bad = {f"score-{criteria[0].pk}": "5.5", f"score-{criteria[1].pk}": "7"}
    assert 'class="error"' in client.post(url, bad).content.decode()
    assert Consolidation.objects.count() == 0

    response = client.post(
        url,
        {
            f"score-{criteria[0].pk}": "2.5",
            f"score-{criteria[1].pk}": "7",
            "comment": "Relevance argued down.",
            "shared_comment": "The need is not shown.",
        },
    )
    assert response.url == under_review.get_absolute_url()
    consolidation = Consolidation.objects.get(application=under_review)
    assert consolidation.scores == {str(criteria[0].pk): "2.50", str(criteria[1].pk): "7.00"}
    assert consolidation.total == Decimal("12.00")  # 2 × 2.5 + 7
    assert not consolidation.passed_thresholds  # relevance 2.5 < 3
    assert (
        consolidation.shared_comment == "The need is not shown." and consolidation.by == secretariat
    )
    assert AuditEntry.objects.filter(action="grants.consolidated").count() == 1

    evaluation.consolidate(secretariat, under_review, {criteria[0].pk: 3, criteria[1].pk: 7})
    consolidation.refresh_from_db()
    assert consolidation.total == Decimal("13.00") and consolidation.passed_thresholds
    with pytest.raises(GrantsError, match="Feasibility"):
        evaluation.consolidate(secretariat, under_review, {criteria[0].pk: 3})
    assert Consolidation.objects.get().total == Decimal("13.00")


def test_only_the_secretariat_consolidates(
    client,
    secretariat,
    staff_viewer,
    applicant,
    partner_contact,
    outsider,
    under_review,
    pool,
    criteria,
):
    a, b = assigned(secretariat, under_review, pool[0], pool[1])
    scored(a, 3, 5)
    scored(b, 3, 5)
    url = reverse("grants:consolidate", args=[under_review.pk])
    posted = {f"score-{c.pk}": "3" for c in criteria}
    expected = {
        applicant: 403,
        partner_contact: 403,
        pool[0]: 403,
        staff_viewer: 403,
        outsider: 404,
    }
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status
        assert client.post(url, posted).status_code == status
        with pytest.raises(PermissionDenied):
            evaluation.consolidate(user, under_review, {c.pk: 3 for c in criteria})
    assert Consolidation.objects.count() == 0


# The application page ---------------------------------------------------------------------------


def test_the_application_page_shows_the_evaluation_to_staff_and_reviewers_only(
    client, secretariat, staff_viewer, applicant, partner_contact, under_review, pool, criteria
):
    a, b = assigned(secretariat, under_review, pool[0], pool[1])
    scored(a, 1, 6)
    scored(b, 4, 7)
    evaluation.consolidate(secretariat, under_review, {criteria[0].pk: 3, criteria[1].pk: 7})
    url = under_review.get_absolute_url()

    client.force_login(secretariat)
    page = client.get(url).content.decode()
    assert 'data-testid="evaluation"' in page and "Ana Alpha" in page and "Boris Beta" in page
    assert reverse("grants:consolidate", args=[under_review.pk]) in page
    assert 'data-testid="panel-flag"><span class="status status-failed">' in page
    assert 'data-testid="panel-consolidated">13' in page

    client.force_login(staff_viewer)
    page = client.get(url).content.decode()
    assert "Ana Alpha" in page and reverse("grants:consolidate", args=[under_review.pk]) not in page

    client.force_login(pool[0])
    page = client.get(url).content.decode()
    assert reverse("grants:review", args=[a.pk]) in page and "Boris Beta" not in page

    for member in (applicant, partner_contact):
        client.force_login(member)
        page = client.get(url).content.decode()
        assert 'data-testid="evaluation"' not in page
        assert "Ana Alpha" not in page and "Boris" not in page and "13.00" not in page


def test_submitting_scores_asks_first_as_they_cannot_change_after(
    client, secretariat, under_review, pool, criteria
):
    (mine,) = assigned(secretariat, under_review, pool[0])
    client.force_login(pool[0])
    page = client.get(reverse("grants:review", args=[mine.pk])).content.decode()
    assert 'data-confirm="Submit your scores? They can no longer change afterwards."' in page
