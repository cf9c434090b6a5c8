"""The way in: officers find their requests in the main menu, the network's secretariat and
Liaison's staff the statistics, everybody else nothing of the exchange; a request's page
links its case file."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

pytestmark = pytest.mark.django_db


def menu(client, user) -> str:
    client.force_login(user)
    html = client.get("/directory/organisations/").content.decode()
    return html[html.index("<nav") : html.index("</nav>")]


def test_each_finds_their_way_in(client, people, sent, secretariat, outsider_user):
    Authenticator.objects.create(user=people["md_officer"], type="totp", data={})
    Authenticator.objects.create(user=secretariat, type="totp", data={})
    officer = menu(client, people["md_officer"])
    assert reverse("exchange:inbox") in officer
    assert menu(client, people["secretariat"]).count(reverse("exchange:statistics")) == 1
    assert reverse("exchange:statistics") in menu(client, secretariat)
    nothing = menu(client, outsider_user)
    assert "/exchange/" not in nothing
    client.force_login(people["md_officer"])
    page = client.get(sent.get_absolute_url()).content.decode()
    assert reverse("exchange:case_file", args=[sent.pk]) in page


@pytest.fixture
def outsider_user(db):
    from liaison.core.models import Role
    from tests.conftest import make_user

    return make_user("nobody", Role.PUBLIC)
