"""``liaison demo`` adds the institutions' people (issue 14, item 9): an administrator and two
officers of four institutions who sign in, a pending invitation, a nominee who accepted one, a
person with two records waiting to be merged, and a copy of data already taken."""

from io import StringIO

import pytest
from django.core.management import call_command

from liaison.core.models import User
from liaison.directory.duplicates import likely_duplicates
from liaison.directory.models import Affiliation, OrganisationRole
from liaison.directory.scopes import administered_organisations, network_secretariats
from liaison.events.models import Event
from liaison.invitations.models import Invitation, InvitationState
from liaison.privacy.models import DataExport
from liaison.training.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run() -> str:
    out = StringIO()
    call_command("demo", "--projects", "0", stdout=out)
    return out.getvalue()


def test_the_demo_gives_four_institutions_their_people_and_accounts():
    output = run()
    assert "me-admin" in output and "administrator of KIRS (RS)" in output
    administrators = Affiliation.objects.current().filter(role=OrganisationRole.ADMINISTRATOR)
    assert administrators.count() == 4
    for affiliation in administrators:
        officers = Affiliation.objects.current().filter(
            organisation=affiliation.organisation, role=OrganisationRole.OFFICER
        )
        # (The exchange's demo officers of the coordination units are ``xx-cu-officer``.)
        own = officers.filter(person__user__username__contains="-officer").exclude(
            person__user__username__contains="-cu-"
        )
        assert own.count() == 2
        admin = affiliation.person.user
        assert list(administered_organisations(admin)) == [affiliation.organisation]
        assert admin.emailaddress_set.filter(verified=True).exists()  # signs in at once


def test_the_demo_shows_each_state_of_a_persons_record():
    run()
    states = {i.person.name: i.state for i in Invitation.objects.select_related("person")}
    assert InvitationState.PENDING in states.values()
    assert InvitationState.ACCEPTED in states.values()
    nominee = User.objects.get(username="rs-nominee").person
    assert Enrolment.objects.filter(person=nominee, status="approved").exists()
    assert any(p.first.name == p.second.name == "Victor Munteanu" for p in likely_duplicates())
    assert DataExport.objects.filter(person__user__username="me-officer").exists()


def test_the_demo_networks_secretariat_runs_the_networks_events():
    run()
    secretariat = User.objects.get(username="ge-admin")
    network = network_secretariats(secretariat).get()
    assert network.acronym == "ILECU Network"
    events = Event.objects.managed_by(secretariat)
    assert events.exists() and set(events.values_list("network", flat=True)) == {network.pk}
    assert not network_secretariats(User.objects.get(username="md-admin")).exists()


def test_running_it_again_adds_nothing():
    run()
    counts = (User.objects.count(), Invitation.objects.count(), Affiliation.objects.count())
    assert "Institutions' accounts: 0 new" in run()
    assert counts == (User.objects.count(), Invitation.objects.count(), Affiliation.objects.count())
