"""Every exchange role requires a second factor and ends idle sessions after 15 minutes; the
same person without the role (or whose role ended) is not held to either."""

import time

import pytest
from django.test import Client
from django.utils import timezone

from liaison.core.middleware import LAST_SEEN_KEY, idle_limit
from liaison.exchange.models import UnitRole

pytestmark = pytest.mark.django_db


def test_an_exchange_role_requires_a_second_factor(people):
    client = Client()
    client.force_login(people["ge_officer"])
    for path in ("/exchange/", "/api/exchange/requests/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/"
    # The rest of the site, where no police data is, stays open to set it up from.
    assert client.get("/").status_code == 200
    UnitRole.objects.filter(user=people["ge_officer"]).update(ended=timezone.now())
    client.force_login(people["ge_officer"])
    # Without the role, the exchange's pages refuse; they no longer ask for a second factor.
    assert client.get("/exchange/").get("Location") != "/accounts/2fa/totp/activate/"


def test_an_exchange_session_ends_after_15_idle_minutes(people, settings):
    assert idle_limit(people["md_officer"]) == 15 * 60
    assert idle_limit(people["secretariat"]) == settings.SESSION_IDLE_SECONDS


def test_idle_for_16_minutes_signs_an_officer_out(people):
    from allauth.mfa.models import Authenticator

    officer = people["md_officer"]
    Authenticator.objects.create(user=officer, type=Authenticator.Type.TOTP, data={})
    client = Client()
    client.force_login(officer)
    assert client.get("/accounts/password/change/").status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time() - 16 * 60)
    session.save()
    assert client.get("/accounts/password/change/").status_code == 302
