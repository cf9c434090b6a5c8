"""What the evaluation tests share: a grid of two criteria, a pool of three reviewers, and
applications under review (the one of ``conftest`` submitted for real, more made directly)."""

import datetime
from decimal import Decimal

import pytest

from liaison.core.models import Role
from liaison.grants import evaluation, services
from liaison.grants.models import Application, Criterion, Partner, PartnerRole
from tests.conftest import make_user

from .conftest import BELGRADE, complete

SUBMITTED_ON = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=BELGRADE)


@pytest.fixture(name="criteria")
def criteria_fixture(call):
    """Relevance (weight 2, 0–5, at least 3 to pass) and feasibility (weight 1, 0–10)."""
    return [
        Criterion.objects.create(
            call=call,
            order=1,
            title="Relevance",
            weight=Decimal("2"),
            min_score=0,
            max_score=5,
            threshold=Decimal("3"),
        ),
        Criterion.objects.create(
            call=call, order=2, title="Feasibility", weight=Decimal("1"), min_score=0, max_score=10
        ),
    ]


@pytest.fixture(name="pool")
def pool_fixture(call):
    """Three reviewers with their own accounts (not staff), in the call's pool."""
    people = [
        make_user("rev-a", Role.PUBLIC, first_name="Ana", last_name="Alpha", email="a@x.org"),
        make_user("rev-b", Role.PUBLIC, first_name="Boris", last_name="Beta", email="b@x.org"),
        make_user("rev-c", Role.PUBLIC, first_name="Cleo", last_name="Gamma", email="c@x.org"),
    ]
    call.reviewers.add(*people)
    return people


@pytest.fixture(name="under_review")
def under_review_fixture(application, applicant, partner_org, partner_contact, countries):
    """The consortium's application, submitted, then found eligible."""
    complete(application, applicant, partner_org, partner_contact, countries)
    application = services.submit(applicant, application, now=SUBMITTED_ON)
    application.status = "under_review"
    application.save(update_fields=["status"])
    return application


def more_under_review(call, lot, lead, applicant, count: int) -> list[Application]:
    """``count`` more applications under review, led by ``lead`` (made directly: their content
    does not matter to the evaluation)."""
    made = []
    last = Application.objects.filter(call=call).order_by("-number").first()
    number = last.number if last else 0
    for i in range(1, count + 1):
        application = Application.objects.create(
            call=call,
            lot=lot,
            number=number + i,
            lead=lead,
            title=f"Application {number + i}",
            created_by=applicant,
            status="under_review",
        )
        Partner.objects.create(application=application, organisation=lead, role=PartnerRole.LEAD)
        made.append(application)
    return made


def assigned(secretariat, application, *reviewers, declare=True):
    """Assign each reviewer and, unless told otherwise, have them declare no conflict."""
    made = []
    for reviewer in reviewers:
        assignment = evaluation.assign(secretariat, application, reviewer)
        if declare:
            assignment = evaluation.declare(reviewer, assignment, conflict=False)
        made.append(assignment)
    return made


def scored(assignment, relevance, feasibility, submit=True, comment=""):
    """The reviewer's scores on the two criteria of ``criteria``, submitted unless told."""
    c1, c2 = assignment.application.call.criteria.order_by("order")
    service = evaluation.submit_scores if submit else evaluation.save_scores
    return service(
        assignment.reviewer,
        assignment,
        {c1.pk: (relevance, comment), c2.pk: (feasibility, "")},
        comment,
    )
