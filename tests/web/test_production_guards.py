"""Regression (issue 13, item 16): production refuses a weak secret key, every response turns
off the browser features Liaison never uses, and a mistyped address in development shows the
site's own 404 page instead of Django's list of every URL pattern."""

import os
import subprocess
import sys

import pytest

from liaison.core.models import Role
from tests.conftest import make_user

STRONG_KEY = "p7Xq2-Lm9vR4tZk8Wn3yHs6Jd1Fg5Bc0Qa8Ue2Io7Ty4Re9Wq3Zx6Cv1Bn5Mm2Lk"


def start(tmp_path, **env):
    """Load the settings in a new process, as `gunicorn` or `liaison` would at start."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("LIAISON_") and key != "DJANGO_SETTINGS_MODULE"
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="liaison.settings", LIAISON_VAR_DIR=str(tmp_path), **env
    )
    code = "import django; django.setup(); from django.conf import settings; "
    code += "print(settings.CACHES['default']['BACKEND'])"
    return subprocess.run(  # noqa: S603 (our own interpreter, fixed code)
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    "key",
    [
        "short-key",
        "x" * 49,
        "django-insecure-development-only-key",
        "django-insecure-" + STRONG_KEY,
        "ab" * 40,  # long, but only two different characters
    ],
)
def test_production_refuses_to_start_with_a_weak_secret_key(tmp_path, key):
    result = start(tmp_path, LIAISON_DEBUG="0", LIAISON_SECRET_KEY=key)
    assert result.returncode != 0
    assert "LIAISON_SECRET_KEY is too weak" in result.stderr


EXCHANGE_KEY = "Zm9yLXRlc3RzLW9ubHktYS1mZXJuZXQta2V5LTMyYnk="  # 32 bytes, base64


def test_production_starts_with_a_strong_key_and_the_shared_cache(tmp_path):
    result = start(
        tmp_path,
        LIAISON_DEBUG="0",
        LIAISON_SECRET_KEY=STRONG_KEY,
        LIAISON_EXCHANGE_KEY=EXCHANGE_KEY,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"


def test_production_refuses_to_start_without_the_exchange_key(tmp_path):
    """Cooperation requests are encrypted with a key of the installation's own, never one
    derived from something else in production."""
    result = start(tmp_path, LIAISON_DEBUG="0", LIAISON_SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "LIAISON_EXCHANGE_KEY must be set" in result.stderr


def test_development_keeps_its_own_key(tmp_path):
    assert start(tmp_path).returncode == 0


@pytest.mark.parametrize("path", ["/", "/api/projects/", "/no-such-page/", "/accounts/password/"])
def test_every_response_carries_a_permissions_policy(client, db, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


@pytest.mark.parametrize("path", ["/no-such-page/", "/projects/no-such-page/"])
def test_a_mistyped_address_in_development_shows_the_sites_404(client, db, settings, path):
    settings.DEBUG = True
    response = client.get(path)
    assert response.status_code == 404
    body = response.content.decode()
    assert "This page does not exist" in body
    assert 'class="site-header"' in body  # the site's own layout
    assert "URLconf" not in body and "admin/" not in body


def test_a_mistyped_api_address_in_development_answers_json(client, db, settings):
    settings.DEBUG = True
    response = client.get("/api/nothing", follow=True)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "URLconf" not in response.content.decode()


def test_a_missing_record_in_development_shows_the_sites_404(client, db, settings):
    settings.DEBUG = True
    response = client.get("/projects/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "This page does not exist" in body and "URLconf" not in body


def test_a_missing_slash_still_redirects_in_development(client, db, settings):
    settings.DEBUG = True
    assert client.get("/projects").status_code == 301


def test_a_missing_record_through_the_api_stays_json(client, db, settings):
    settings.DEBUG = True
    make_user("reader", Role.SECRETARIAT)
    response = client.get("/api/projects/999999/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
