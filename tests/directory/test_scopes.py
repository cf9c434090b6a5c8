"""People's memberships of institutions, and the rights they give: an institution's
administrator sees and manages its own people, never another institution's; a member sees their
own record; an ended membership gives nothing. Asked of the helpers, the pages and the API."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from liaison.core.models import AuditEntry, Role
from liaison.directory import scopes
from liaison.directory.models import (
    Affiliation,
    Network,
    NetworkAffiliation,
    NetworkRole,
    OrganisationRole,
    Person,
)
from liaison.events.permissions import can_see_person, people_seen_by

from ..conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(institution):
    """One of the institution's people without an account or a role yet."""
    return Person.objects.create(
        name="Vera Colleague", organisation=institution, email="vera@example.org"
    )


@pytest.fixture
def stranger(other_institution):
    return Person.objects.create(
        name="Ion Stranger", organisation=other_institution, email="ion@example.org"
    )


def people_page(client, organisation):
    return client.get(reverse("web:organisation", args=[organisation.pk]))


# The helpers every app's permissions ask ------------------------------------------------------


def test_the_scope_helpers_name_the_institutions_of_each_account(
    institution, other_institution, institution_admin, institution_member, other_admin
):
    assert list(scopes.administered_organisations(institution_admin)) == [institution]
    assert list(scopes.administered_organisations(institution_member)) == []
    assert list(scopes.organisations_of(institution_member)) == [institution]
    assert list(scopes.administered_organisations(other_admin)) == [other_institution]
    assert scopes.administers(institution_admin, institution)
    assert not scopes.administers(institution_admin, other_institution)
    assert not scopes.administers(other_admin, institution.pk)


def test_an_ended_or_future_membership_gives_no_rights(institution, institution_admin):
    affiliation = Affiliation.objects.get(person__user=institution_admin)
    affiliation.start = datetime.date(2020, 1, 1)
    affiliation.end = timezone.localdate() - datetime.timedelta(days=1)
    affiliation.save()
    assert not scopes.administers(institution_admin, institution)
    affiliation.start = timezone.localdate() + datetime.timedelta(days=3)
    affiliation.end = None
    affiliation.save()
    assert not scopes.administers(institution_admin, institution)


def test_an_inactive_account_or_a_visitor_has_no_scope(client, institution, institution_admin):
    institution_admin.is_active = False
    institution_admin.save()
    assert not scopes.administers(institution_admin, institution)
    from django.contrib.auth.models import AnonymousUser

    assert list(scopes.organisations_of(AnonymousUser())) == []


def test_network_memberships_name_the_networks(institution_admin):
    network = Network.objects.create(name="Network of coordination units")
    NetworkAffiliation.objects.create(
        person=institution_admin.person, network=network, role=NetworkRole.SECRETARIAT
    )
    assert list(scopes.networks_of(institution_admin)) == [network]
    assert list(scopes.network_secretariats(institution_admin)) == [network]


def test_people_visible_to_each_account(
    colleague, stranger, institution_admin, institution_member, other_admin, viewer
):
    visible = set(Person.objects.visible_to(institution_admin))
    assert colleague in visible and institution_member.person in visible
    assert stranger not in visible and other_admin.person not in visible
    assert set(Person.objects.visible_to(institution_member)) == {institution_member.person}
    assert stranger in set(Person.objects.visible_to(viewer))


# The organisation's page: contact points and "People and roles" -------------------------------


def test_the_administrator_sees_people_and_roles_of_their_institution(
    client, institution, colleague, institution_admin, institution_member
):
    client.force_login(institution_admin)
    response = people_page(client, institution)
    body = response.content.decode()
    assert response.status_code == 200
    assert "People and roles" in body
    assert "vera@example.org" in body  # the contact details of its people
    assert 'data-testid="affiliation-' in body
    assert institution_member.person.name in body


@pytest.mark.parametrize("who", ["institution_member", "other_admin", "public_user"])
def test_others_see_no_people_and_roles(client, request, institution, colleague, who):
    client.force_login(request.getfixturevalue(who))
    body = people_page(client, institution).content.decode()
    assert "People and roles" not in body
    assert "vera@example.org" not in body


def test_the_secretariat_sees_people_and_roles_of_every_institution(
    client, secretariat, institution, institution_member
):
    client.force_login(secretariat)
    assert "People and roles" in people_page(client, institution).content.decode()


@pytest.mark.parametrize("who", ["institution_admin", "secretariat"])
def test_people_and_roles_links_each_name_to_the_persons_page(
    client, request, institution, institution_member, who
):
    client.force_login(request.getfixturevalue(who))
    body = people_page(client, institution).content.decode()
    person = institution_member.person
    assert f'<a href="{person.get_absolute_url()}">{person.name}</a>' in body


def test_the_people_a_list_links_to_are_those_whose_page_opens(
    colleague, stranger, institution_admin, institution_member, other_admin, viewer
):
    from django.contrib.auth.models import AnonymousUser

    people = [colleague, stranger, institution_admin.person, institution_member.person]
    for user in (institution_admin, institution_member, other_admin, viewer, AnonymousUser()):
        expected = {p for p in people if can_see_person(user, p)[0]}
        assert set(people_seen_by(user).filter(pk__in=[p.pk for p in people])) == expected, user


def test_the_administrator_gives_a_role_and_it_is_audited(
    client, institution, colleague, institution_admin
):
    client.force_login(institution_admin)
    response = client.post(
        reverse("directory:organisation_role", args=[institution.pk]),
        {"person": colleague.pk, "role": OrganisationRole.OFFICER},
        follow=True,
    )
    assert "Vera Colleague is now officer." in response.content.decode()
    affiliation = Affiliation.objects.get(person=colleague)
    assert affiliation.role == OrganisationRole.OFFICER
    assert affiliation.start == timezone.localdate()
    entry = AuditEntry.objects.get(action="affiliation.created")
    assert entry.actor == institution_admin
    assert entry.changes["role"] == [None, "officer"]

    client.post(
        reverse("directory:organisation_role", args=[institution.pk]),
        {"person": colleague.pk, "role": OrganisationRole.ADMINISTRATOR},
    )
    affiliation.refresh_from_db()
    assert affiliation.role == OrganisationRole.ADMINISTRATOR
    changed = AuditEntry.objects.get(action="affiliation.role_changed")
    assert changed.changes["role"] == ["officer", "administrator"]


def test_a_forged_person_of_another_institution_is_refused_and_nothing_saved(
    client, institution, stranger, institution_admin
):
    client.force_login(institution_admin)
    response = client.post(
        reverse("directory:organisation_role", args=[institution.pk]),
        {"person": stranger.pk, "role": OrganisationRole.ADMINISTRATOR},
        follow=True,
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Affiliation.objects.filter(person=stranger).exists()
    assert not AuditEntry.objects.filter(action__startswith="affiliation.").exists()


def test_an_administrator_cannot_give_roles_in_another_institution(
    client, other_institution, stranger, institution_admin
):
    client.force_login(institution_admin)
    response = client.post(
        reverse("directory:organisation_role", args=[other_institution.pk]),
        {"person": stranger.pk, "role": OrganisationRole.ADMINISTRATOR},
    )
    assert response.status_code == 403
    assert not Affiliation.objects.filter(person=stranger).exists()


def test_a_member_cannot_give_roles(client, institution, colleague, institution_member):
    client.force_login(institution_member)
    response = client.post(
        reverse("directory:organisation_role", args=[institution.pk]),
        {"person": institution_member.person.pk, "role": OrganisationRole.ADMINISTRATOR},
    )
    assert response.status_code == 403
    assert Affiliation.objects.get(person__user=institution_member).role == "member"


def test_a_role_that_is_not_offered_is_refused(client, institution, colleague, institution_admin):
    client.force_login(institution_admin)
    client.post(
        reverse("directory:organisation_role", args=[institution.pk]),
        {"person": colleague.pk, "role": "superuser"},
    )
    assert not Affiliation.objects.filter(person=colleague).exists()


def test_the_administrator_ends_a_membership_and_its_rights_stop(
    client, institution, institution_admin, institution_member
):
    affiliation = Affiliation.objects.get(person__user=institution_member)
    affiliation.start = datetime.date(2024, 1, 1)
    affiliation.save()
    client.force_login(institution_admin)
    response = client.post(reverse("directory:affiliation_end", args=[affiliation.pk]))
    assert response.status_code == 302
    affiliation.refresh_from_db()
    assert affiliation.end == timezone.localdate() - datetime.timedelta(days=1)
    assert list(scopes.organisations_of(institution_member)) == []
    assert AuditEntry.objects.filter(action="affiliation.ended", actor=institution_admin).exists()
    # Ended, it is no longer listed, and ending it again says so.
    response = client.post(reverse("directory:affiliation_end", args=[affiliation.pk]), follow=True)
    assert "already ended" in response.content.decode()


def test_a_membership_that_began_today_is_removed_when_ended(
    client, institution, colleague, institution_admin
):
    client.force_login(institution_admin)
    client.post(
        reverse("directory:organisation_role", args=[institution.pk]),
        {"person": colleague.pk, "role": OrganisationRole.MEMBER},
    )
    affiliation = Affiliation.objects.get(person=colleague)
    client.post(reverse("directory:affiliation_end", args=[affiliation.pk]))
    assert not Affiliation.objects.filter(person=colleague).exists()
    assert AuditEntry.objects.filter(action="affiliation.removed").exists()


@pytest.mark.parametrize("who,status", [("other_admin", 404), ("institution_member", 404)])
def test_others_cannot_end_a_membership(client, request, institution_admin, who, status):
    affiliation = Affiliation.objects.get(person__user=institution_admin)
    client.force_login(request.getfixturevalue(who))
    assert client.post(reverse("directory:affiliation_end", args=[affiliation.pk])).status_code == (
        status
    )
    affiliation.refresh_from_db()
    assert affiliation.end is None


def test_the_people_page_costs_the_same_for_more_people(
    client, institution, institution_admin, django_assert_max_num_queries
):
    def add(n, start):
        for i in range(start, start + n):
            person = Person.objects.create(name=f"Person {i}", organisation=institution)
            Affiliation.objects.create(person=person, organisation=institution)

    add(2, 0)
    client.force_login(institution_admin)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        people_page(client, institution)
    add(20, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = people_page(client, institution).content.decode()
    assert "Person 119" in body


def test_the_person_page_is_for_the_person_their_administrator_and_staff(
    client, colleague, institution_admin, institution_member, other_admin, viewer
):
    url = reverse("web:person", args=[colleague.pk])
    for user, status in [
        (institution_admin, 200),
        (viewer, 200),
        (institution_member, 403),
        (other_admin, 403),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(institution_member)
    own = reverse("web:person", args=[institution_member.person.pk])
    assert client.get(own).status_code == 200


def test_the_person_page_says_who_reads_it(client, colleague, institution_admin):
    client.force_login(institution_admin)
    page = client.get(reverse("web:person", args=[colleague.pk])).content.decode()
    assert "shown to this person, to the administrators of their institution and to staff" in page


# The API -------------------------------------------------------------------------------------


def test_the_people_api_lists_the_administrators_institution_only(
    client, colleague, stranger, institution_admin
):
    client.force_login(institution_admin)
    response = client.get(reverse("api:person-list"))
    assert response.status_code == 200
    names = {row["name"] for row in response.json()["results"]}
    assert "Vera Colleague" in names and "Inst Admin" in names
    assert "Ion Stranger" not in names
    assert client.get(reverse("api:person-detail", args=[colleague.pk])).status_code == 200
    assert client.get(reverse("api:person-detail", args=[stranger.pk])).status_code == 404


@pytest.mark.parametrize("who", ["institution_member", "public_user"])
def test_the_people_api_refuses_members_and_the_public(client, request, colleague, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("api:person-list")).status_code == 403
    assert client.get(reverse("api:person-detail", args=[colleague.pk])).status_code == 403


def test_the_people_api_list_costs_the_same_for_more_people(
    client, institution, institution_admin, django_assert_max_num_queries
):
    for i in range(30):
        Person.objects.create(name=f"Officer {i}", organisation=institution)
    client.force_login(institution_admin)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("api:person-list"))
    assert response.json()["count"] == 31


def test_organisation_contacts_in_the_api_for_its_administrator_only(
    client, institution, colleague, institution_admin, other_admin
):
    url = reverse("api:organisation-detail", args=[institution.pk])
    client.force_login(institution_admin)
    contacts = client.get(url).json()["contacts"]
    assert "vera@example.org" in {c["email"] for c in contacts}
    client.force_login(other_admin)
    assert "contacts" not in client.get(url).json()


# The data migration --------------------------------------------------------------------------


def test_existing_accounts_become_members_of_their_organisation(institution, other_institution):
    migration = importlib.import_module(
        "liaison.directory.migrations.0006_affiliations_from_accounts"
    )
    pm = make_user("old-manager", Role.PROJECT_MANAGER)
    listed = Person.objects.create(name="Old Manager", organisation=institution, user=pm)
    contact = Person.objects.create(name="No Account", organisation=institution)
    unlisted = Person.objects.create(name="Nowhere", user=make_user("loose", Role.PUBLIC))
    already = Person.objects.create(
        name="Admin Already", organisation=other_institution, user=make_user("adm", Role.PUBLIC)
    )
    Affiliation.objects.create(
        person=already, organisation=other_institution, role=OrganisationRole.ADMINISTRATOR
    )

    migration.forwards(apps, None)
    migration.forwards(apps, None)  # run twice: nothing doubles

    assert Affiliation.objects.get(person=listed).role == OrganisationRole.MEMBER
    assert not Affiliation.objects.filter(person__in=[contact, unlisted]).exists()
    assert Affiliation.objects.get(person=already).role == OrganisationRole.ADMINISTRATOR
    pm.refresh_from_db()
    assert pm.role == Role.PROJECT_MANAGER  # the platform-wide role stays
    assert list(scopes.organisations_of(pm)) == [institution]


def test_the_admin_shows_a_persons_memberships(client, secretariat, institution_member):
    client.force_login(secretariat)
    person = institution_member.person
    response = client.get(reverse("admin:directory_person_change", args=[person.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "affiliations-TOTAL_FORMS" in body and "network_affiliations-TOTAL_FORMS" in body


def test_the_last_administrator_cannot_leave_the_institution_without_one(
    client, institution, institution_admin, secretariat
):
    own = Affiliation.objects.get(person__user=institution_admin)
    client.force_login(institution_admin)
    ended = client.post(reverse("directory:affiliation_end", args=[own.pk]), follow=True)
    assert "would have no administrator" in ended.content.decode()
    demoted = client.post(
        reverse("directory:organisation_role", args=[institution.pk]),
        {"person": own.person_id, "role": "officer"},
        follow=True,
    )
    assert "would have no administrator" in demoted.content.decode()
    own.refresh_from_db()
    assert own.end is None and own.role == "administrator"
    assert list(scopes.administered_organisations(institution_admin)) == [institution]
    # The secretariat may still end it, for example when the person has left.
    client.force_login(secretariat)
    client.post(reverse("directory:affiliation_end", args=[own.pk]))
    assert not scopes.administered_organisations(institution_admin).exists()


def test_an_administrator_hands_over_then_leaves(client, institution, institution_admin, colleague):
    client.force_login(institution_admin)
    client.post(
        reverse("directory:organisation_role", args=[institution.pk]),
        {"person": colleague.pk, "role": "administrator"},
    )
    own = Affiliation.objects.get(person__user=institution_admin)
    client.post(reverse("directory:affiliation_end", args=[own.pk]))
    assert not scopes.administered_organisations(institution_admin).exists()
