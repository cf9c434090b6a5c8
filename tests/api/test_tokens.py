"""Personal access tokens: made and revoked by their owner, used with ``Authorization: Bearer``.

The owner is the manager of the event's project; the outsider is another manager, whose token
cannot be revoked by the owner.
"""

import datetime
import json

import pytest
from django.core.cache import cache
from django.utils import timezone

from liaison.core.models import AuditEntry
from liaison.core.tokens import PersonalAccessToken, create_token, hash_secret
from liaison.events.models import Event
from tests.conftest import make_project
from tests.events.conftest import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    # Refused tokens are counted in the cache, which outlives a single test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def event(manager, countries):
    project = make_project("Border project", acronym="BP", managers=[manager])
    return make_event(projects=[project], country=countries["RS"])


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def patch(client, url, data, secret):
    return client.patch(url, json.dumps(data), content_type="application/json", **bearer(secret))


# Making and revoking -------------------------------------------------------------------------


def test_a_new_token_is_shown_once_and_only_its_hash_is_kept(client, manager):
    client.force_login(manager)
    response = client.post(
        "/accounts/tokens/", {"name": "Nightly export", "scope": "read", "days": "90"}
    )
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("lia_") and len(secret) > 40
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    token = PersonalAccessToken.objects.get(owner=manager)
    assert token.name == "Nightly export"
    assert token.secret_hash == hash_secret(secret)
    assert secret not in token.secret_hash and token.prefix == secret[4:12]
    assert (token.expires_at - timezone.now()).days in (89, 90)
    entry = AuditEntry.objects.get(action="token.create")
    assert entry.actor == manager
    assert secret not in json.dumps(entry.changes) and secret[4:] not in entry.object_repr

    listing = client.get("/accounts/tokens/").content.decode()
    assert "Nightly export" in listing and f"lia_{token.prefix}" in listing
    assert secret not in listing


def test_bad_input_makes_no_token(client, manager):
    client.force_login(manager)
    response = client.post("/accounts/tokens/", {"name": "  ", "scope": "root", "days": "9999"})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"name", "scope", "days"}
    assert response.context["secret"] is None
    assert not PersonalAccessToken.objects.exists()


def test_tokens_page_needs_a_sign_in(client):
    assert client.get("/accounts/tokens/").status_code == 302


def test_owner_revokes_and_another_user_gets_404(client, manager, other_manager):
    token, secret = create_token(manager, "Script", "read", 30)
    client.force_login(other_manager)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None

    client.force_login(manager)
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)
    assert "is revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="token.revoke", actor=manager).count() == 1


def test_the_account_menu_links_to_tokens(client, manager):
    client.force_login(manager)
    assert 'href="/accounts/tokens/"' in client.get("/").content.decode()


# Using ---------------------------------------------------------------------------------------


def test_a_read_token_reads_as_its_owner_and_is_refused_writes(client, manager, event):
    event.published = False
    event.save()
    token, secret = create_token(manager, "Reader", "read", 30)
    response = client.get(f"/api/events/{event.pk}/", **bearer(secret))
    assert response.status_code == 200  # a draft: only the owner's side sees it
    assert client.get(f"/api/events/{event.pk}/").status_code == 404

    response = patch(client, f"/api/events/{event.pk}/", {"title": "Renamed"}, secret)
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]
    event.refresh_from_db()
    assert event.title != "Renamed"
    response = client.post(
        "/api/events/",
        json.dumps({"title": "New"}),
        content_type="application/json",
        **bearer(secret),
    )
    assert response.status_code == 403


def test_a_write_token_writes_and_the_audit_names_owner_and_token(
    client, manager, event, secretariat
):
    token, secret = create_token(manager, "Sync script", "write", 90)
    response = patch(
        client, f"/api/events/{event.pk}/", {"title": "Renamed", "reason": "Typo"}, secret
    )
    assert response.status_code == 200, response.content
    assert Event.objects.get(pk=event.pk).title == "Renamed"
    entry = AuditEntry.objects.get(action="event.updated", object_id=str(event.pk))
    assert entry.actor == manager
    assert entry.via_token == token
    client.force_login(secretariat)
    log = client.get("/audit/", {"action": "event.updated"}).content.decode()
    assert "through the API token “Sync script”" in log
    client.logout()

    # The next request of the same thread, signed in by session, names no token.
    client.force_login(manager)
    client.patch(
        f"/api/events/{event.pk}/",
        json.dumps({"title": "Renamed again"}),
        content_type="application/json",
    )
    latest = AuditEntry.objects.filter(action="event.updated").first()
    assert latest.changes["title"][1] == "Renamed again"
    assert latest.via_token is None


def test_a_token_does_not_widen_its_owner_rights(client, other_manager, event):
    _token, secret = create_token(other_manager, "Outsider", "write", 30)
    response = patch(client, f"/api/events/{event.pk}/", {"title": "Hijacked"}, secret)
    assert response.status_code == 403
    assert Event.objects.get(pk=event.pk).title != "Hijacked"


@pytest.mark.parametrize(
    "state,message",
    [("expired", "expired"), ("revoked", "revoked"), ("unknown", "not valid")],
)
def test_refused_tokens_get_401_with_the_reason(client, manager, event, state, message):
    token, secret = create_token(manager, "Old", "write", 30)
    if state == "expired":
        PersonalAccessToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - datetime.timedelta(seconds=1)
        )
    elif state == "revoked":
        PersonalAccessToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    else:
        secret = secret[:-3] + "xyz"
    response = client.get("/api/events/", **bearer(secret))
    assert response.status_code == 401
    assert message in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_last_used_is_written_at_most_once_a_minute(client, manager, event):
    token, secret = create_token(manager, "Poller", "read", 30)
    assert client.get("/api/events/", **bearer(secret)).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get("/api/events/", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first
    PersonalAccessToken.objects.filter(pk=token.pk).update(
        last_used_at=first - datetime.timedelta(minutes=2)
    )
    client.get("/api/events/", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at > first - datetime.timedelta(minutes=1)


def test_too_many_refused_tokens_from_one_address_get_429(client, manager, settings, event):
    settings.LIAISON_TOKEN_MAX_FAILURES = 3
    _token, secret = create_token(manager, "Good", "read", 30)
    for attempt in range(3):
        response = client.get("/api/events/", **bearer(f"lia_guess{attempt}"))
        assert response.status_code == 401
    response = client.get("/api/events/", **bearer("lia_guess4"))
    assert response.status_code == 429
    assert "Too many" in response.json()["detail"]
    # The address is held back whatever token it sends; another address is not.
    assert client.get("/api/events/", **bearer(secret)).status_code == 429
    other = client.get("/api/events/", REMOTE_ADDR="10.0.0.9", **bearer(secret))
    assert other.status_code == 200


def test_the_schema_documents_the_bearer_scheme(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    schemes = response.json()["components"]["securitySchemes"]
    assert schemes["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["tokenAuth"]["description"],
    }
