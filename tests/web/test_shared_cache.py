"""Regression (issue 13, item 13): throttles counted in each process's own memory, so four
gunicorn workers allowed four times the limit. The default cache is now shared (the database;
Redis when LIAISON_REDIS_URL is set), so two processes see one count."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.db import connection
from django.test import RequestFactory
from rest_framework.throttling import AnonRateThrottle

from liaison.training import throttle


def new_process_cache():
    """The cache as a freshly started worker process sees it: nothing left in memory."""
    locmem._caches.clear()
    locmem._expire_info.clear()
    locmem._locks.clear()
    return caches.create_connection("default")


def request_from(address):
    request = RequestFactory().get("/training/verify/", REMOTE_ADDR=address)
    request.user = AnonymousUser()
    return request


@pytest.fixture(autouse=True)
def _empty_cache(db):
    caches["default"].clear()


def test_the_default_cache_is_shared_and_its_table_exists_after_migrate(settings):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.CACHES["default"]["LOCATION"] in connection.introspection.table_names()


def test_two_processes_share_the_certificate_look_up_limit(monkeypatch):
    request = request_from("203.0.113.7")
    monkeypatch.setattr(throttle, "cache", new_process_cache())
    for _ in range(40):
        assert not throttle.verification_throttled(request)
    monkeypatch.setattr(throttle, "cache", new_process_cache())
    allowed = sum(not throttle.verification_throttled(request) for _ in range(40))
    assert allowed == throttle.VERIFY_LIMIT - 40
    # Another address has its own count.
    assert not throttle.verification_throttled(request_from("198.51.100.2"))


def test_two_processes_share_the_anonymous_api_rate(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "5/minute"})
    request = request_from("203.0.113.8")

    first = AnonRateThrottle()
    first.cache = new_process_cache()
    assert all(first.allow_request(request, None) for _ in range(3))

    second = AnonRateThrottle()
    second.cache = new_process_cache()
    assert [second.allow_request(request, None) for _ in range(3)] == [True, True, False]
