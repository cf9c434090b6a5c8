"""A project's team reads its internal pages (a draft, its results) without editing it; its
managers manage only their projects; anyone else reads public projects only. Pages and API."""

import pytest
from django.urls import reverse

from liaison.core.models import Role
from liaison.portfolio.models import Project
from liaison.portfolio.permissions import can_edit_project, can_read_internal
from liaison.results.models import Level, Result

from ..conftest import make_project, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_member(db):
    return make_user("teammate", Role.PUBLIC)


@pytest.fixture
def secret(draft_project, manager, team_member):
    draft_project.managers.add(manager)
    draft_project.team.add(team_member)
    Result.objects.create(project=draft_project, level=Level.IMPACT, code="1", title="Safer")
    return draft_project


def test_the_team_reads_its_draft_project_but_does_not_edit_it(client, secret, team_member):
    client.force_login(team_member)
    response = client.get(secret.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert "Results and delivery" in body
    assert not can_edit_project(team_member, secret)[0]
    assert client.get(reverse("portfolio:project_edit", args=[secret.pk])).status_code == 403
    assert client.get(reverse("results:logframe", args=[secret.pk])).status_code == 200


# A project manager holds a staff role and reads every project (as before); writing is what
# their projects decide.
@pytest.mark.parametrize("who", ["public_user", "institution_member", "institution_admin"])
def test_others_do_not_read_the_draft(client, request, secret, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.get(reverse("results:logframe", args=[secret.pk])).status_code == 403
    assert not can_read_internal(user, secret)[0]
    ids = [row["id"] for row in client.get(reverse("api:project-list")).json()["results"]]
    assert secret.pk not in ids


def test_the_api_lists_the_teams_projects(client, secret, project, team_member):
    client.force_login(team_member)
    ids = {row["id"] for row in client.get(reverse("api:project-list")).json()["results"]}
    assert ids == {secret.pk, project.pk}
    assert client.get(reverse("api:project-detail", args=[secret.pk])).status_code == 200
    results = client.get(reverse("api:result-list")).json()["results"]
    assert [row["title"] for row in results] == ["Safer"]


def test_a_manager_manages_only_their_projects(secret, project, manager, other_manager):
    assert can_edit_project(manager, secret)[0]
    assert not can_edit_project(other_manager, secret)[0]
    assert not can_edit_project(other_manager, project)[0]


def test_the_project_list_costs_the_same_for_more_team_projects(
    client, secret, team_member, django_assert_max_num_queries
):
    client.force_login(team_member)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portfolio:projects"))
    for n in range(10):
        extra = make_project(f"Hidden {n}", acronym=f"H{n}", visibility="draft")
        extra.team.add(team_member)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse("portfolio:projects")).content.decode()
    assert "Hidden 9" in body
    assert Project.objects.visible_to(team_member).count() == 11
