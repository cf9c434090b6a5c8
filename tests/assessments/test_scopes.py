"""An institution's gaps are its own: its administrator reads its assessments (without
answering them), never another institution's; its members and other institutions read none.
Pages and API."""

import datetime

import pytest
from django.urls import reverse

from liaison.assessments.models import Assessment

from .conftest import start

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessments(secretariat, template, institution, other_institution, assessor):
    ours = start(secretariat, template, institution, assessor, summary="Our findings")
    theirs = start(secretariat, template, other_institution, assessor, on=datetime.date(2025, 4, 1))
    return ours, theirs


def test_the_administrator_reads_their_institutions_assessments_only(
    client, assessments, institution_admin
):
    ours, theirs = assessments
    client.force_login(institution_admin)
    body = client.get(reverse("assessments:list")).content.decode()
    assert "Border Police of Serbia" in body
    assert "Migration Service of Moldova" not in body
    detail = client.get(ours.get_absolute_url())
    assert detail.status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404


def test_the_administrator_reads_but_does_not_answer(client, assessments, institution_admin):
    ours, _theirs = assessments
    client.force_login(institution_admin)
    response = client.post(reverse("assessments:complete", args=[ours.pk]), {"summary": "x"})
    assert response.status_code == 403
    ours.refresh_from_db()
    assert ours.summary == "Our findings"


@pytest.mark.parametrize("who", ["institution_member", "other_member"])
def test_members_read_no_assessment(client, request, assessments, who):
    ours, _theirs = assessments
    client.force_login(request.getfixturevalue(who))
    assert client.get(ours.get_absolute_url()).status_code == 404
    assert client.get(reverse("api:assessment-list")).json()["count"] == 0


def test_the_api_scopes_the_administrators_list_and_detail(
    client, assessments, institution_admin, other_admin
):
    ours, theirs = assessments
    client.force_login(institution_admin)
    rows = client.get(reverse("api:assessment-list")).json()["results"]
    assert [row["id"] for row in rows] == [ours.pk]
    assert client.get(reverse("api:assessment-detail", args=[theirs.pk])).status_code == 404
    client.force_login(other_admin)
    rows = client.get(reverse("api:assessment-list")).json()["results"]
    assert [row["id"] for row in rows] == [theirs.pk]


def test_the_list_costs_the_same_for_more_assessments(
    client,
    assessments,
    secretariat,
    template,
    institution,
    assessor,
    institution_admin,
    django_assert_max_num_queries,
):
    client.force_login(institution_admin)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("assessments:list"))
    for day in range(1, 11):
        start(secretariat, template, institution, assessor, on=datetime.date(2024, 1, day))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("assessments:list"))
    assert Assessment.objects.visible_to(institution_admin).count() == 11
