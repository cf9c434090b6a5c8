"""Issue 13, item 4: an edit in the Django admin leaves the same audit entry as the services.

Before the fix, a project's budget, a user's role and a person's e-mail changed in the admin
left no trace beyond Django's log, which keeps no values.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission

from liaison.core.models import AuditEntry, Role
from liaison.directory.models import Person
from liaison.portfolio.models import Project

from ..conftest import make_user
from .admin_forms import admin_form_data


def admin_edit(client, url, **changes):
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, admin_form_data(page, **changes))
    assert response.status_code == 302, getattr(response, "context", None) and [
        response.context["adminform"].form.errors,
        [f.errors for i in response.context["inline_admin_formsets"] for f in i.formset],
    ]
    return response


def only_entry(**filters) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(**filters))
    assert len(entries) == 1, entries
    return entries[0]


def test_admin_edit_of_a_projects_budget_is_audited_with_old_and_new(client, secretariat, project):
    client.force_login(secretariat)
    admin_edit(client, f"/admin/portfolio/project/{project.pk}/change/", total_budget="500000.00")

    project.refresh_from_db()
    assert project.total_budget == Decimal("500000.00")
    entry = only_entry(object_type="portfolio.project", object_id=str(project.pk))
    assert entry.action == "project.updated"
    assert entry.actor == secretariat
    assert entry.changes == {"total_budget": ["454415.40", "500000.00"]}


def test_admin_edit_of_a_projects_countries_and_funding_lines_is_audited(
    client, secretariat, project, countries
):
    client.force_login(secretariat)
    admin_edit(
        client,
        f"/admin/portfolio/project/{project.pk}/change/",
        countries=[str(countries["RS"].pk)],
        **{"funding_lines-0-eu_contribution": "1000.00"},
    )

    entry = only_entry(object_type="portfolio.project")
    assert entry.changes["countries"] == [["Georgia", "Serbia"], ["Serbia"]]
    old, new = entry.changes["funding_lines"]
    assert "454415.40" in old[0] and "1000.00" in new[0]


def test_admin_edit_of_a_persons_email_and_phone_is_audited(client, secretariat, contact):
    client.force_login(secretariat)
    admin_edit(
        client,
        f"/admin/directory/person/{contact.pk}/change/",
        email="ana.new@example.org",
        phone="+381 11 999 9999",
    )

    entry = only_entry(object_type="directory.person", object_id=str(contact.pk))
    assert entry.action == "person.updated"
    assert entry.changes == {
        "email": ["ana.contact@example.org", "ana.new@example.org"],
        "phone": ["+381 11 000 0000", "+381 11 999 9999"],
    }


def test_admin_promotion_of_a_viewer_to_secretariat_is_audited(client, secretariat, viewer):
    client.force_login(secretariat)
    admin_edit(client, f"/admin/core/user/{viewer.pk}/change/", role=Role.SECRETARIAT)

    entry = only_entry(object_type="core.user", object_id=str(viewer.pk))
    assert entry.action == "user.updated"
    assert entry.actor == secretariat
    # is_staff follows the role (User.save), and both show.
    assert entry.changes == {
        "role": [Role.STAFF_VIEWER, Role.SECRETARIAT],
        "is_staff": [False, True],
    }


def test_admin_changes_of_superuser_active_groups_and_permissions_are_audited(
    client, secretariat, viewer
):
    group = Group.objects.create(name="Editors")
    permission = Permission.objects.get(codename="change_project")
    client.force_login(secretariat)
    admin_edit(
        client,
        f"/admin/core/user/{viewer.pk}/change/",
        is_superuser="on",
        is_active=None,
        groups=[str(group.pk)],
        user_permissions=[str(permission.pk)],
    )

    changes = only_entry(object_type="core.user").changes
    assert changes["is_superuser"] == [False, True]
    assert changes["is_active"] == [True, False]
    assert changes["groups"] == [[], ["Editors"]]
    assert changes["user_permissions"] == [[], [str(permission)]]


def test_passwords_never_reach_the_audit(client, secretariat, viewer):
    client.force_login(secretariat)
    response = client.post(
        "/admin/core/user/add/",
        {"username": "newcomer", "password1": "S3cret-enough-1", "password2": "S3cret-enough-1"},
    )
    assert response.status_code == 302
    response = client.post(
        f"/admin/core/user/{viewer.pk}/password/",
        {"password1": "An0ther-secret-2", "password2": "An0ther-secret-2"},
    )
    assert response.status_code == 302

    created = only_entry(object_type="core.user", action="user.created")
    assert created.object_repr == "newcomer"
    for entry in AuditEntry.objects.all():
        assert "password" not in entry.changes
        assert "pbkdf2" not in str(entry.changes) and "md5" not in str(entry.changes)


def test_admin_delete_is_audited_with_the_values_that_were_there(client, secretariat, contact):
    client.force_login(secretariat)
    response = client.post(f"/admin/directory/person/{contact.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=contact.pk).exists()

    entry = only_entry(action="person.deleted")
    assert entry.object_id == str(contact.pk)
    assert entry.changes["email"] == ["ana.contact@example.org", None]


def test_admin_bulk_delete_is_audited_one_entry_per_row(
    client, secretariat, project, draft_project
):
    client.force_login(secretariat)
    response = client.post(
        "/admin/portfolio/project/",
        {
            "action": "delete_selected",
            "_selected_action": [project.pk, draft_project.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert not Project.objects.exists()
    assert set(
        AuditEntry.objects.filter(action="project.deleted").values_list("object_id", flat=True)
    ) == {str(project.pk), str(draft_project.pk)}


def test_admin_add_is_audited(client, secretariat, organisation):
    client.force_login(secretariat)
    page = client.get("/admin/directory/person/add/")
    data = admin_form_data(page, name="Bora New", email="bora@example.org")
    data["organisation"] = str(organisation.pk)
    assert client.post("/admin/directory/person/add/", data).status_code == 302

    entry = only_entry(action="person.created")
    assert entry.changes["email"] == [None, "bora@example.org"]
    assert entry.changes["name"] == [None, "Bora New"]


@pytest.mark.parametrize("who", ["manager", "viewer"])
def test_nobody_else_writes_through_the_admin(client, request, who, project):
    client.force_login(request.getfixturevalue(who))
    url = f"/admin/portfolio/project/{project.pk}/change/"
    assert client.post(url, {"total_budget": "1"}).status_code == 302  # to the sign-in page
    assert not AuditEntry.objects.exists()
    project.refresh_from_db()
    assert project.total_budget == Decimal("454415.40")


def test_a_user_made_elsewhere_is_not_an_admin_entry(db):
    # Fixtures and commands create users directly; only the admin door is watched here.
    make_user("quiet", Role.PUBLIC)
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    "url", ["portfolio/project/{project}", "directory/person/{contact}", "core/user/{viewer}"]
)
def test_an_admin_save_that_changes_nothing_writes_nothing(
    client, secretariat, project, contact, viewer, url
):
    # Time stamps, zones and second fractions that a form round-trips are not changes.
    client.force_login(secretariat)
    path = url.format(project=project.pk, contact=contact.pk, viewer=viewer.pk)
    admin_edit(client, f"/admin/{path}/change/")
    assert not AuditEntry.objects.exists()
