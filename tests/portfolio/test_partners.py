"""Issue 13, item 18: partners and components could only be changed in the admin.

A project's managers now keep them up to date from the project's own pages, with the same
permission check and the same audit entry (old and new values) as the rest of the project form.
"""

import pytest
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.directory.models import Organisation
from liaison.portfolio.models import Component, Participation, ParticipationRole


def rows(prefix_rows: list[dict], initial: int = 0) -> dict:
    """The POST data of a formset page: management form plus one dict per row."""
    data = {"rows-TOTAL_FORMS": str(len(prefix_rows)), "rows-INITIAL_FORMS": str(initial)}
    for i, row in enumerate(prefix_rows):
        data.update({f"rows-{i}-{name}": value for name, value in row.items()})
    return data


@pytest.fixture
def academy(countries):
    return Organisation.objects.create(name="Border Police Academy", country=countries["GE"])


def partner_rows(project, *extra):
    """The project's current partners as submitted rows, then ``extra`` new ones."""
    current = [
        {"id": p.pk, "organisation": p.organisation_id, "role": p.role}
        for p in project.participations.all()
    ]
    return rows(current + list(extra), initial=len(current))


def test_the_owner_adds_a_partner_and_the_audit_keeps_old_and_new(
    client, manager, project, organisation, academy
):
    client.force_login(manager)
    url = reverse("portfolio:project_partners", args=[project.pk])
    assert "Border Police Academy" in client.get(url).content.decode()
    data = partner_rows(project, {"organisation": academy.pk, "role": "partner"})
    data["reason"] = "Academy joined in year two"
    response = client.post(url, data)
    assert response.status_code == 302
    assert set(project.participations.values_list("organisation__name", "role")) == {
        ("Ministry of Interior", "lead"),
        ("Border Police Academy", "partner"),
    }
    entry = AuditEntry.objects.get(object_id=str(project.pk), action="project.updated")
    assert entry.actor == manager and entry.reason == "Academy joined in year two"
    old, new = entry.changes["participations"]
    assert old == ["Ministry of Interior (lead)"]
    assert new == ["Border Police Academy (partner)", "Ministry of Interior (lead)"]


def test_the_owner_removes_a_partner_and_changes_a_role(client, manager, project, academy):
    Participation.objects.create(project=project, organisation=academy, role="partner")
    client.force_login(manager)
    url = reverse("portfolio:project_partners", args=[project.pk])
    lead, partner = project.participations.order_by("role")
    data = rows(
        [
            {"id": lead.pk, "organisation": lead.organisation_id, "role": "lead", "DELETE": "on"},
            {"id": partner.pk, "organisation": academy.pk, "role": "implementer"},
        ],
        initial=2,
    )
    assert client.post(url, data).status_code == 302
    assert list(project.participations.values_list("organisation__name", "role")) == [
        ("Border Police Academy", "implementer")
    ]
    # The organisation itself is only unlinked, never deleted.
    assert Organisation.objects.filter(name="Ministry of Interior").exists()


def test_the_same_organisation_twice_in_one_role_saves_nothing(client, manager, project):
    client.force_login(manager)
    url = reverse("portfolio:project_partners", args=[project.pk])
    lead = project.participations.get()
    data = partner_rows(project, {"organisation": lead.organisation_id, "role": "lead"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()
    assert project.participations.count() == 1
    assert not AuditEntry.objects.exists()


def test_the_owner_keeps_components_up_to_date(client, manager, project):
    first = Component.objects.create(project=project, order=1, title="Training")
    client.force_login(manager)
    url = reverse("portfolio:project_components", args=[project.pk])
    data = rows(
        [
            {"id": first.pk, "order": 1, "title": "Joint training", "description": ""},
            {"order": 2, "title": "Equipment", "expected_results": "Two units equipped"},
        ],
        initial=1,
    )
    assert client.post(url, data).status_code == 302
    assert [str(c) for c in project.components.all()] == ["1. Joint training", "2. Equipment"]
    entry = AuditEntry.objects.get(object_id=str(project.pk))
    assert entry.changes["components"] == [
        ["1. Training"],
        ["1. Joint training", "2. Equipment\nTwo units equipped"],
    ]
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Edit components" in page and "Two units equipped" in page


def test_a_component_without_a_title_saves_nothing(client, manager, project):
    client.force_login(manager)
    url = reverse("portfolio:project_components", args=[project.pk])
    response = client.post(url, rows([{"order": "1", "description": "No title"}]))
    assert response.status_code == 200
    assert "title" in response.context["formset"].errors[0]
    assert not project.components.exists() and not AuditEntry.objects.exists()


def test_the_secretariat_may_edit_any_projects_partners(client, secretariat, project, academy):
    client.force_login(secretariat)
    url = reverse("portfolio:project_partners", args=[project.pk])
    data = partner_rows(project, {"organisation": academy.pk, "role": "funder"})
    assert client.post(url, data).status_code == 302
    assert project.participations.count() == 2


@pytest.mark.parametrize("page", ["portfolio:project_partners", "portfolio:project_components"])
@pytest.mark.parametrize("who", ["other_manager", "viewer"])
def test_others_may_not_change_partners_or_components(client, request, project, academy, page, who):
    client.force_login(request.getfixturevalue(who))
    url = reverse(page, args=[project.pk])
    assert client.get(url).status_code == 403
    data = {
        **partner_rows(project, {"organisation": academy.pk, "role": "partner"}),
        "rows-0-title": "Hijacked",
    }
    assert client.post(url, data).status_code == 403
    assert project.participations.count() == 1 and not project.components.exists()
    assert not AuditEntry.objects.exists()
    assert "Edit partners" not in client.get(project.get_absolute_url()).content.decode()


@pytest.mark.parametrize("page", ["portfolio:project_partners", "portfolio:project_components"])
def test_anonymous_visitors_are_sent_to_sign_in(client, project, page):
    url = reverse(page, args=[project.pk])
    response = client.post(url, {"rows-TOTAL_FORMS": "0", "rows-INITIAL_FORMS": "0"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert project.participations.count() == 1
    assert "Edit partners" not in client.get(project.get_absolute_url()).content.decode()


def test_the_roles_offered_are_the_participation_roles(client, manager, project):
    client.force_login(manager)
    page = client.get(reverse("portfolio:project_partners", args=[project.pk])).content.decode()
    for _value, label in ParticipationRole.choices:
        assert str(label) in page


def test_the_service_refuses_someone_who_may_not_edit(other_manager, project, academy):
    from liaison.portfolio import services

    with pytest.raises(services.PermissionDenied):
        services.set_partners(other_manager, project, [(academy, "partner")])
    with pytest.raises(services.PermissionDenied):
        services.set_components(other_manager, project, [{"order": 1, "title": "Hijacked"}])
    assert project.participations.count() == 1 and not project.components.exists()
