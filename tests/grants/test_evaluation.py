"""Reviewers of a call: the secretariat assigns them (by hand or evenly, automatically), never
to their own consortium; each declares any conflict of interest before reading. Clicked
through as the secretariat, the reviewers, the applicant (owner), a partner's contact (member)
and somebody of another consortium (outsider)."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.directory.models import Affiliation, OrganisationRole
from liaison.grants import evaluation
from liaison.grants.models import Assignment, ConflictStatus, Score
from liaison.grants.services import GrantsError
from tests.conftest import make_affiliated

from .evaluation_helpers import (  # noqa: F401 (fixtures)
    assigned,
    criteria_fixture,
    more_under_review,
    pool_fixture,
    scored,
    under_review_fixture,
)

pytestmark = pytest.mark.django_db


def reviewers_of(application) -> list[str]:
    return sorted(a.reviewer.username for a in application.assignments.select_related("reviewer"))


# Automatic assignment ---------------------------------------------------------------------------


def test_automatic_assignment_spreads_the_work_evenly_and_adds_nothing_twice(
    secretariat, call, lot, lead_org, applicant, pool, django_capture_on_commit_callbacks
):
    applications = more_under_review(call, lot, lead_org, applicant, 4)
    with django_capture_on_commit_callbacks(execute=True):
        made, short = evaluation.auto_assign(secretariat, call)

    assert len(made) == 8 and short == []
    for application in applications:
        assert len(reviewers_of(application)) == 2  # two different reviewers each
    assert evaluation.loads(call) == {pool[0].pk: 3, pool[1].pk: 3, pool[2].pk: 2}
    assert AuditEntry.objects.filter(action="grants.reviewer_assigned").count() == 8
    # Each reviewer is told once per review, with the link and nothing the consortium wrote.
    assert (
        sorted(m.to[0] for m in mail.outbox) == ["a@x.org"] * 3 + ["b@x.org"] * 3 + ["c@x.org"] * 2
    )
    body = mail.outbox[0].body
    assert "/grants/reviews/" in body and "Application 1" not in body
    assert "Application" not in mail.outbox[0].subject

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again, short = evaluation.auto_assign(secretariat, call)
    assert again == [] and short == []
    assert Assignment.objects.count() == 8 and mail.outbox == []


def test_automatic_assignment_fills_in_after_a_conflict_with_the_least_loaded(
    secretariat, call, lot, lead_org, applicant, pool
):
    first, second = more_under_review(call, lot, lead_org, applicant, 2)
    evaluation.auto_assign(secretariat, call)
    # Ana and Boris had the first; Cleo and then Ana (ties by name) the second.
    assert reviewers_of(first) == ["rev-a", "rev-b"]
    assert reviewers_of(second) == ["rev-a", "rev-c"]
    conflicted = Assignment.objects.get(application=first, reviewer=pool[0])
    evaluation.declare(pool[0], conflicted, conflict=True, note="I advised the lead.")

    made, short = evaluation.auto_assign(secretariat, call)

    assert [(a.application, a.reviewer) for a in made] == [(first, pool[2])]
    assert short == []
    conflicted.refresh_from_db()
    assert conflicted.conflict == ConflictStatus.CONFLICT  # kept on record, never reassigned


def test_nobody_of_the_consortium_is_ever_assigned(
    secretariat, call, under_review, applicant, partner_contact, partner_org, pool
):
    colleague = make_affiliated("colleague", partner_org, OrganisationRole.MEMBER, "Col League")
    former = make_affiliated("former", partner_org, OrganisationRole.MEMBER, "For Mer")
    Affiliation.objects.filter(person__user=former).update(
        start="2020-01-01", end="2021-01-01"
    )  # no longer of the partner: may review
    call.reviewers.set([applicant, partner_contact, colleague, former, pool[1]])
    call.reviews_per_application = 3
    call.save()

    made, short = evaluation.auto_assign(secretariat, call)

    assert reviewers_of(under_review) == ["former", "rev-b"]
    assert short == [under_review]  # the pool ran out of people who may review it
    for member in (applicant, partner_contact, colleague):
        with pytest.raises(GrantsError, match="belongs to the consortium"):
            evaluation.assign(secretariat, under_review, member)
    assert Assignment.objects.count() == 2


# Assigning by hand ------------------------------------------------------------------------------


def test_only_the_secretariat_assigns_and_takes_back(
    secretariat, staff_viewer, applicant, partner_contact, outsider, under_review, pool
):
    for user in (applicant, partner_contact, outsider, staff_viewer, pool[0]):
        with pytest.raises(PermissionDenied):
            evaluation.assign(user, under_review, pool[0])
        with pytest.raises(PermissionDenied):
            evaluation.auto_assign(user, under_review.call)
    assert Assignment.objects.count() == 0

    assignment = evaluation.assign(secretariat, under_review, pool[0])
    with pytest.raises(GrantsError, match="already assigned"):
        evaluation.assign(secretariat, under_review, pool[0])
    for user in (applicant, partner_contact, outsider, staff_viewer, pool[0]):
        with pytest.raises(PermissionDenied):
            evaluation.unassign(user, assignment)
    evaluation.unassign(secretariat, assignment)
    assert Assignment.objects.count() == 0
    assert AuditEntry.objects.filter(action="grants.reviewer_unassigned").count() == 1


def test_a_reviewer_must_be_of_the_pool_and_the_application_under_review(
    secretariat, application, under_review, pool, outsider
):
    with pytest.raises(GrantsError, match="not in this call's pool"):
        evaluation.assign(secretariat, under_review, outsider)
    under_review.status = "submitted"
    under_review.save()
    with pytest.raises(GrantsError, match="under review"):
        evaluation.assign(secretariat, under_review, pool[0])
    assert Assignment.objects.count() == 0


def test_a_review_started_or_a_conflict_declared_is_not_taken_back(
    secretariat, under_review, pool, criteria
):
    started, conflicted = assigned(secretariat, under_review, pool[0], pool[1], declare=False)
    evaluation.declare(pool[0], started, conflict=False)
    scored(started, 3, None, submit=False)
    evaluation.declare(pool[1], conflicted, conflict=True, note="My former employer.")
    with pytest.raises(GrantsError, match="started scoring"):
        evaluation.unassign(secretariat, started)
    with pytest.raises(GrantsError, match="kept on record"):
        evaluation.unassign(secretariat, conflicted)
    assert Assignment.objects.count() == 2 and Score.objects.count() == 1


def test_the_reviewers_page_assigns_and_shows_states(
    client, secretariat, under_review, pool, django_capture_on_commit_callbacks
):
    url = reverse("grants:reviewers", args=[under_review.call.reference])
    client.force_login(secretariat)
    page = client.get(url).content.decode()
    assert under_review.reference in page and "Needs 2 more reviewers." in page
    assert "Ana Alpha (0 reviews)" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("grants:assign", args=[under_review.pk]), {"reviewer": pool[0].pk}
        )
    assert response.url == url
    assert reviewers_of(under_review) == ["rev-a"]
    assert [m.to for m in mail.outbox] == [["a@x.org"]]
    page = client.get(url).content.decode()
    assert "To declare" in page and "Needs 1 more reviewer." in page

    # A reviewer outside the pool, or none, is refused with a message and nothing saved.
    for bad in ({"reviewer": 999999}, {"reviewer": "x"}, {}):
        response = client.post(reverse("grants:assign", args=[under_review.pk]), bad, follow=True)
        assert "Choose a reviewer of the call&#x27;s pool." in response.content.decode()
    assert Assignment.objects.count() == 1

    response = client.post(reverse("grants:reviewers_auto", args=[call_ref(under_review)]))
    assert response.status_code == 302 and len(reviewers_of(under_review)) == 2
    assignment = Assignment.objects.get(reviewer=pool[0])
    client.post(reverse("grants:unassign", args=[assignment.pk]))
    assert reviewers_of(under_review) == ["rev-b"]


def call_ref(application) -> str:
    return application.call.reference


def test_the_reviewers_page_costs_the_same_for_more_applications(
    client,
    secretariat,
    call,
    lot,
    lead_org,
    applicant,
    pool,
    criteria,
    django_assert_max_num_queries,
):
    url = reverse("grants:reviewers", args=[call.reference])
    more_under_review(call, lot, lead_org, applicant, 2)
    evaluation.auto_assign(secretariat, call)
    client.force_login(secretariat)
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    more_under_review(call, lot, lead_org, applicant, 12)
    evaluation.auto_assign(secretariat, call)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("To declare") == 28


def test_nobody_but_the_secretariat_reaches_the_assignment_pages(
    client, secretariat, staff_viewer, applicant, partner_contact, outsider, under_review, pool
):
    (assignment,) = assigned(secretariat, under_review, pool[0], declare=False)
    reviewers = reverse("grants:reviewers", args=[call_ref(under_review)])
    auto = reverse("grants:reviewers_auto", args=[call_ref(under_review)])
    assign = reverse("grants:assign", args=[under_review.pk])
    unassign = reverse("grants:unassign", args=[assignment.pk])
    expected = {
        # The consortium reads its application but learns nothing of its reviewers.
        applicant: (403, 403, 403, 404),
        partner_contact: (403, 403, 403, 404),
        outsider: (403, 403, 404, 404),
        pool[0]: (403, 403, 404, 404),
        staff_viewer: (403, 403, 403, 403),
    }
    for user, (page, auto_status, assign_status, unassign_status) in expected.items():
        client.force_login(user)
        assert client.get(reviewers).status_code == page
        assert client.post(auto).status_code == auto_status
        assert client.post(assign, {"reviewer": pool[1].pk}).status_code == assign_status
        assert client.post(unassign).status_code == unassign_status
    assert reviewers_of(under_review) == ["rev-a"]
    client.logout()
    assert client.get(reviewers).status_code == 302  # to sign in


# Conflicts of interest --------------------------------------------------------------------------


def test_a_reviewer_declares_before_reading(client, secretariat, under_review, pool, criteria):
    (assignment,) = assigned(secretariat, under_review, pool[0], declare=False)
    review = reverse("grants:review", args=[assignment.pk])
    client.force_login(pool[0])

    page = client.get(review).content.decode()
    assert under_review.reference in page and under_review.title in page
    assert "Border Police of Hungary" in page and "Ministry of Interior of Serbia" in page
    assert "Joint patrols and training." not in page  # nothing the consortium wrote
    assert "Submit my scores" not in page
    # Until declared, the application and the scores are closed.
    assert client.get(under_review.get_absolute_url()).status_code == 404
    scores = reverse("grants:review_scores", args=[assignment.pk])
    assert client.post(scores, {"action": "save"}).status_code == 403
    with pytest.raises(PermissionDenied, match="Declare first"):
        scored(assignment, 3, 5, submit=False)

    declare = reverse("grants:review_declare", args=[assignment.pk])
    response = client.post(declare, {"conflict": "conflict", "note": "  "})
    assert "Say what the conflict of interest is" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.conflict == ConflictStatus.UNDECLARED

    response = client.post(declare, {"conflict": "none"})
    assert response.url == review
    page = client.get(under_review.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    for action in ("application_edit", "submit", "withdraw", "partner_add"):
        assert reverse(f"grants:{action}", args=[under_review.pk]) not in html
    assert reverse("grants:review", args=[assignment.pk]) in html
    assert "Submit my scores" in client.get(review).content.decode()
    # Declared once: the declaration does not change afterwards.
    assert client.post(declare, {"conflict": "conflict", "note": "Later"}).status_code == 403


def test_a_declared_conflict_closes_the_application_for_good(
    client, secretariat, under_review, pool, criteria
):
    (assignment,) = assigned(secretariat, under_review, pool[0], declare=False)
    client.force_login(pool[0])
    response = client.post(
        reverse("grants:review_declare", args=[assignment.pk]),
        {"conflict": "conflict", "note": "I advised the lead last year."},
    )
    assert response.url == reverse("grants:reviews")
    assignment.refresh_from_db()
    assert assignment.conflict == ConflictStatus.CONFLICT and assignment.declared_at
    entry = AuditEntry.objects.get(action="grants.conflict_declared")
    assert entry.reason == "I advised the lead last year."

    assert client.get(under_review.get_absolute_url()).status_code == 404
    page = client.get(reverse("grants:review", args=[assignment.pk])).content.decode()
    assert "closed to you" in page and "Submit my scores" not in page
    assert "Read the application" not in page
    scores = reverse("grants:review_scores", args=[assignment.pk])
    assert client.post(scores, {"action": "save"}).status_code == 403
    with pytest.raises(PermissionDenied, match="conflict"):
        scored(assignment, 3, 5)
    assert Score.objects.count() == 0

    # The secretariat sees it flagged, to assign somebody else.
    client.force_login(secretariat)
    page = client.get(reverse("grants:reviewers", args=[call_ref(under_review)])).content.decode()
    assert "Conflict declared" in page and "I advised the lead last year." in page
    assert "Needs 2 more reviewers." in page


def test_a_review_is_its_reviewers_alone(
    client, secretariat, under_review, pool, applicant, partner_contact, outsider
):
    (assignment,) = assigned(secretariat, under_review, pool[0], declare=False)
    review = reverse("grants:review", args=[assignment.pk])
    posts = [
        reverse("grants:review_declare", args=[assignment.pk]),
        reverse("grants:review_scores", args=[assignment.pk]),
    ]
    for user in (applicant, partner_contact, outsider, pool[1], secretariat):
        client.force_login(user)
        assert client.get(review).status_code == 404
        for url in posts:
            assert client.post(url, {"conflict": "none", "action": "submit"}).status_code == 404
        with pytest.raises(PermissionDenied):
            evaluation.declare(user, assignment, conflict=False)
        assert under_review.reference not in client.get(reverse("grants:reviews")).content.decode()
    assignment.refresh_from_db()
    assert assignment.conflict == ConflictStatus.UNDECLARED


def test_my_reviews_lists_my_own_with_their_states(client, secretariat, under_review, pool):
    first, second = assigned(secretariat, under_review, pool[0], pool[1], declare=False)
    evaluation.declare(pool[1], second, conflict=False)
    client.force_login(pool[1])
    page = client.get(reverse("grants:reviews")).content.decode()
    assert reverse("grants:review", args=[second.pk]) in page and "Scoring" in page
    assert reverse("grants:review", args=[first.pk]) not in page


def test_my_reviews_costs_the_same_for_more_reviews(
    client, secretariat, call, lot, lead_org, applicant, pool, django_assert_max_num_queries
):
    for application in more_under_review(call, lot, lead_org, applicant, 2):
        evaluation.assign(secretariat, application, pool[0])
    client.force_login(pool[0])
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("grants:reviews")).status_code == 200
    for application in more_under_review(call, lot, lead_org, applicant, 10):
        evaluation.assign(secretariat, application, pool[0])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("grants:reviews")).content.decode()
    assert page.count("To declare") == 12
