"""A declared conflict of interest binds the facility's staff too: whoever declared a conflict
with an application never reads it (its page, receipt, letter, scores or the API), whatever
their role, while the other staff still do. Regression: a secretariat member who declared a
conflict as a reviewer could still open the application through their staff rights."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from liaison.core.models import Role
from liaison.grants import award, evaluation, permissions
from liaison.grants.models import Application
from tests.conftest import make_user

from .evaluation_helpers import (  # noqa: F401 (fixtures)
    assigned,
    criteria_fixture,
    pool_fixture,
    scored,
    under_review_fixture,
)

pytestmark = pytest.mark.django_db


def staff_reviewer(call, username, role):
    """A member of the facility's staff who also reviews for ``call``."""
    user = make_user(username, role, first_name="Stella", last_name="Staff")
    call.reviewers.add(user)
    return user


@pytest.fixture(params=[Role.SECRETARIAT, Role.STAFF_VIEWER])
def conflicted(request, call, secretariat, under_review):
    """A member of staff (of the secretariat, or a staff viewer) who, asked to review the
    application, declared a conflict of interest with it."""
    user = staff_reviewer(call, "conflicted", request.param)
    (assignment,) = assigned(secretariat, under_review, user, declare=False)
    evaluation.declare(user, assignment, conflict=True, note="I advised the lead last year.")
    return user


def pages(application) -> dict[str, str]:
    return {
        "page": application.get_absolute_url(),
        "receipt": reverse("grants:receipt", args=[application.pk]),
        "api": reverse("api:grant-application-detail", args=[application.pk]),
    }


def status_codes(user, urls: dict[str, str]) -> dict[str, int]:
    api = APIClient()
    api.force_login(user)
    return {name: api.get(url).status_code for name, url in urls.items()}


def test_staff_who_declared_a_conflict_no_longer_read_the_application(
    conflicted, secretariat, staff_viewer, under_review
):
    assert status_codes(conflicted, pages(under_review)) == {
        "page": 404,
        "receipt": 404,
        "api": 404,
    }
    assert not Application.objects.visible_to(conflicted).filter(pk=under_review.pk).exists()
    assert not permissions.can_read_application(conflicted, under_review)[0]
    assert not permissions.can_read_receipt(conflicted, under_review)[0]
    api = APIClient()
    api.force_login(conflicted)
    assert api.get(reverse("api:grant-application-list")).json()["results"] == []

    # The other staff, the secretariat included, still read it.
    for colleague in (secretariat, staff_viewer):
        assert status_codes(colleague, pages(under_review)) == {
            "page": 200,
            "receipt": 200,
            "api": 200,
        }


def test_staff_who_declared_no_conflict_read_the_application(call, secretariat, under_review):
    reviewer = staff_reviewer(call, "unconflicted", Role.STAFF_VIEWER)
    assigned(secretariat, under_review, reviewer)  # declares no conflict

    assert status_codes(reviewer, pages(under_review)) == {"page": 200, "receipt": 200, "api": 200}
    assert permissions.can_read_receipt(reviewer, under_review)[0]


def test_the_review_of_a_declared_conflict_refuses(client, conflicted, under_review):
    (assignment,) = under_review.assignments.filter(reviewer=conflicted)
    client.force_login(conflicted)
    response = client.get(reverse("grants:review", args=[assignment.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "closed to you" in page and under_review.title not in page


def test_the_conflicted_staff_never_read_its_scores_nor_its_letter(
    client, conflicted, secretariat, call, lot, under_review, pool, criteria
):
    (review,) = assigned(secretariat, under_review, pool[0])
    scored(review, 4, 7, comment="Strong on training.")
    evaluation.consolidate(secretariat, under_review, {criteria[0].pk: 4, criteria[1].pk: 7})
    assert not permissions.can_see_all_scores(conflicted, under_review)[0]
    assert permissions.can_see_all_scores(secretariat, under_review)[0]

    api = APIClient()
    api.force_login(conflicted)
    reviews = api.get(reverse("api:grant-review-list")).json()["results"]
    assert [r["reference"] for r in reviews] == [under_review.reference]  # their own, no scores
    assert reviews[0]["conflict"] == "conflict" and reviews[0]["scores"] == []
    client.force_login(conflicted)
    assert client.get(reverse("grants:consolidate", args=[under_review.pk])).status_code == 404

    award.decide(secretariat, lot, "Funded within the envelope.")
    letter = reverse("grants:letter", args=[under_review.pk])
    assert client.get(letter).status_code == 404
    assert not permissions.can_read_letter(conflicted, under_review)[0]
    # The ranking still lists the reference, for the committee, without opening it.
    ranking = client.get(reverse("grants:ranking", args=[call.reference, lot.number]))
    assert ranking.status_code == 200 and under_review.reference in ranking.content.decode()

    client.force_login(secretariat)
    response = client.get(letter)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_a_conflicted_secretariat_member_cannot_take_reviewers_off_it(
    client, call, secretariat, under_review, pool
):
    member = staff_reviewer(call, "conflicted-sec", Role.SECRETARIAT)
    (own,) = assigned(secretariat, under_review, member, declare=False)
    evaluation.declare(member, own, conflict=True, note="My former unit leads it.")
    (other,) = assigned(secretariat, under_review, pool[0], declare=False)
    client.force_login(member)
    response = client.post(reverse("grants:unassign", args=[other.pk]))
    assert response.status_code == 404
    assert under_review.assignments.filter(pk=other.pk).exists()
    client.force_login(secretariat)
    assert client.post(reverse("grants:unassign", args=[other.pk])).status_code == 302
    assert not under_review.assignments.filter(pk=other.pk).exists()
