"""Issue 14: accounts that existed before sign-up keep signing in, and the API's password door
counts failures with the sign-in page."""

import base64
import importlib

from allauth.account.models import EmailAddress
from django.apps import apps
from django.test import Client

from liaison.core.models import Role
from tests.accounts.conftest import sign_in
from tests.conftest import PASSWORD, make_user

migration = importlib.import_module("liaison.accounts.migrations.0002_verify_existing_addresses")


def test_existing_addresses_become_verified_and_their_accounts_sign_in(db):
    first = make_user("first", Role.PROJECT_MANAGER, email="Shared@Example.org")
    second = make_user("second", Role.PUBLIC, email="shared@example.org")
    make_user("nomail", Role.PUBLIC)

    migration.verify_existing(apps, None)

    assert EmailAddress.objects.get(user=first).verified
    assert EmailAddress.objects.get(user=first).primary
    assert not EmailAddress.objects.get(user=second).verified  # one verified owner
    assert not EmailAddress.objects.filter(user__username="nomail").exists()
    assert sign_in(Client(), "first", PASSWORD)["Location"] == "/"
    assert sign_in(Client(), "shared@example.org", PASSWORD)["Location"] == "/"
    migration.verify_existing(apps, None)  # running it again changes nothing
    assert EmailAddress.objects.count() == 2


def basic(username, password):
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_the_api_counts_wrong_passwords_with_the_sign_in_page(client, db):
    make_user("pm", Role.PROJECT_MANAGER)
    assert client.get("/api/projects/", **basic("pm", PASSWORD)).status_code == 200
    for _ in range(5):
        assert client.get("/api/projects/", **basic("pm", "wrong")).status_code in (401, 403)
    assert client.get("/api/projects/", **basic("pm", PASSWORD)).status_code == 429
    # ...and the sign-in page refuses that account too.
    response = sign_in(Client(), "pm", PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
