"""Helpers for the account flows: reading links out of the sent e-mails, signing in through the
sign-in page (as a person does, so allauth's own records and stages apply)."""

import re

import pytest

LINK = re.compile(r"https?://[^/\s]+(/accounts/[^\s]+)")


def link_in(message, part="/accounts/") -> str:
    """The path of the first link in ``message`` that contains ``part``."""
    for path in LINK.findall(message.body):
        if part in path:
            return path
    raise AssertionError(f"no link with {part!r} in: {message.body}")


def sign_in(client, login, password, **extra):
    return client.post("/accounts/login/", {"login": login, "password": password, **extra})


def sign_up(client, email, password="a-long-passphrase-for-tests", name="Ana Petrović", **extra):
    data = {"name": name, "email": email, "password1": password, "password2": password, **extra}
    return client.post("/accounts/signup/" + extra.pop("query", ""), data)


@pytest.fixture
def signed_up(client, db, mailoutbox):
    """A visitor who has signed up as ana@example.org and not yet verified the address."""
    response = sign_up(client, "ana@example.org", username="ana")
    assert response.status_code == 302, response.content.decode()
    return response
