"""Regression (issue 13, item 14): a session lasted a fixed 14 days whatever its use. It now
ends after a time without requests (shorter for staff), and the password page signs the
account out of every other session."""

import time

import pytest
from django.test import Client

from liaison.core.middleware import LAST_SEEN_KEY
from liaison.core.models import AuditEntry, Role
from tests.conftest import PASSWORD, make_user

PAGE = "/accounts/password/change/"  # any page that needs a signed-in user
END_OTHERS = "/accounts/sessions/end-others/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def idle_for(client, minutes):
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time() - minutes * 60)
    session.save()


def is_signed_in(client) -> bool:
    return client.get(PAGE).status_code == 200


@pytest.mark.parametrize(
    ("role", "minutes", "still_in"),
    [
        (Role.SECRETARIAT, 29, True),
        (Role.SECRETARIAT, 31, False),
        (Role.PROJECT_MANAGER, 31, False),
        (Role.STAFF_VIEWER, 31, False),
        (Role.PUBLIC, 31, True),
        (Role.PUBLIC, 7 * 60, True),
        (Role.PUBLIC, 8 * 60 + 1, False),
    ],
)
def test_a_session_ends_after_its_idle_limit(db, role, minutes, still_in):
    client = signed_in(make_user("someone", role))
    assert is_signed_in(client)
    idle_for(client, minutes)
    assert is_signed_in(client) is still_in


def test_the_idle_limits_come_from_the_settings(db, settings):
    settings.SESSION_IDLE_SECONDS = 60
    client = signed_in(make_user("someone", Role.PUBLIC))
    idle_for(client, 2)
    assert not is_signed_in(client)


def test_use_keeps_a_session_alive(db):
    client = signed_in(make_user("sec", Role.SECRETARIAT))
    idle_for(client, 20)
    assert is_signed_in(client)  # this request counts as activity...
    assert time.time() - client.session[LAST_SEEN_KEY] < 60
    idle_for(client, 20)
    assert is_signed_in(client)  # ...so 40 minutes of steady use stay signed in


def test_a_timed_out_visitor_is_told_why(db):
    client = signed_in(make_user("sec", Role.SECRETARIAT))
    idle_for(client, 45)
    response = client.get("/", follow=True)
    assert "signed out after a period without activity" in response.content.decode()
    assert not response.context["user"].is_authenticated


def test_sign_out_of_all_other_sessions(db):
    user = make_user("pm", Role.PROJECT_MANAGER)
    here, laptop, phone = signed_in(user), signed_in(user), signed_in(user)
    other = signed_in(make_user("pm2", Role.PROJECT_MANAGER))
    page = here.get("/accounts/sessions/").content.decode()
    assert "Sign out of all other sessions" in page

    response = here.post(END_OTHERS, follow=True)

    assert "signed out on every other device" in response.content.decode()
    assert is_signed_in(here)
    assert not is_signed_in(laptop) and not is_signed_in(phone)
    assert is_signed_in(other)  # another account's sessions are untouched
    entry = AuditEntry.objects.get(action="sessions.ended")
    assert entry.actor == user and entry.object_id == str(user.pk)


def test_signing_out_elsewhere_needs_a_post_and_a_signed_in_user(db, client):
    assert client.post(END_OTHERS).status_code == 302  # to sign-in
    assert not AuditEntry.objects.exists()
    assert signed_in(make_user("pm", Role.PROJECT_MANAGER)).get(END_OTHERS).status_code == 405


def test_changing_the_password_keeps_this_session_and_ends_the_others(db):
    user = make_user("pm", Role.PROJECT_MANAGER)
    here, laptop = signed_in(user), signed_in(user)
    here.post(
        PAGE,
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-passphrase-42",
            "password2": "a-new-long-passphrase-42",
        },
    )
    assert is_signed_in(here) and not is_signed_in(laptop)
