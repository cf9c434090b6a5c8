"""An organisation read from a factsheet stays with staff until the secretariat reviews it
(issue 13, item 3)."""

import pytest

from liaison.core.models import AuditEntry
from liaison.directory.models import Organisation, OrganisationType
from liaison.portfolio.models import Participation, ParticipationRole


@pytest.fixture
def unreviewed(db, countries):
    return Organisation.objects.create(
        name="Directorate of Misread Names",
        acronym="DMN",
        type=OrganisationType.MINISTRY,
        country=countries["GE"],
        needs_review=True,
    )


def names(response):
    return [row["name"] for row in response.json()["results"]]


def test_the_public_api_does_not_list_or_show_it(client, unreviewed, organisation):
    assert names(client.get("/api/organisations/?q=Misread")) == []
    assert "Ministry of Interior" in names(client.get("/api/organisations/"))
    assert client.get(f"/api/organisations/{unreviewed.pk}/").status_code == 404


@pytest.mark.parametrize("who", [None, "public_user", "manager"])
def test_its_page_and_list_are_hidden_from_the_public(request, client, unreviewed, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    listed = client.get("/directory/organisations/?q=Misread").content.decode()
    page = client.get(unreviewed.get_absolute_url())
    if who == "manager":  # project managers are staff and see what waits for review
        assert "Directorate of Misread Names" in listed and page.status_code == 200
    else:
        assert "Directorate of Misread Names" not in listed and page.status_code == 404


def test_a_public_project_does_not_name_it_as_partner_to_visitors(
    client, project, unreviewed, viewer
):
    Participation.objects.create(
        project=project, organisation=unreviewed, role=ParticipationRole.PARTNER
    )
    assert "Misread" not in client.get(project.get_absolute_url()).content.decode()
    detail = client.get(f"/api/projects/{project.pk}/").json()
    assert "DMN" not in str(detail) and "Ministry of Interior" in str(detail)
    client.force_login(viewer)
    assert "Misread" in client.get(project.get_absolute_url()).content.decode()


def test_staff_see_it_marked_and_only_the_secretariat_reviews_it(
    client, unreviewed, viewer, secretariat
):
    client.force_login(viewer)
    page = client.get(unreviewed.get_absolute_url()).content.decode()
    assert "waiting for review" in page and "Mark as reviewed" not in page
    url = f"/directory/organisations/{unreviewed.pk}/reviewed/"
    assert client.post(url).status_code == 403
    assert Organisation.objects.get(pk=unreviewed.pk).needs_review

    client.force_login(secretariat)
    assert "Mark as reviewed" in client.get(unreviewed.get_absolute_url()).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not Organisation.objects.get(pk=unreviewed.pk).needs_review
    entry = AuditEntry.objects.get(action="organisation.reviewed")
    assert entry.actor == secretariat and entry.changes == {"needs_review": [True, False]}
    client.logout()
    assert names(client.get("/api/organisations/?q=Misread")) == ["Directorate of Misread Names"]
