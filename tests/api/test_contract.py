"""The API keeps the contract its OpenAPI schema publishes, for every role.

schemathesis reads ``/api/schema/`` and sends generated requests (valid and invalid) to every
operation through WSGI, with no server, as an anonymous visitor, the secretariat and a project
manager, over the demo data so that ids in paths name real records. Every answer must be no
server error, carry a status code the schema documents for that operation, and have a body that
matches the schema of that status. The seed is fixed (``deterministic``) and the number of
examples per operation bounded, so a run takes the same path each time and stays quick.
"""

import base64
import json

import pytest
import schemathesis
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.throttling import AnonRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from liaison.core.models import User

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# A handful of examples per operation and generation mode: over the ~100 operations this is a
# few thousand requests per role, which finds contract breaks without slowing the suite.
MAX_EXAMPLES = 8
PASSWORD = "contract-test-password"

# The demo accounts: one per role under test (None is the anonymous visitor). The demo manager
# manages two of the seed projects, so manager-only writes reach real records.
ROLES = {"anonymous": None, "secretariat": "secretariat", "manager": "manager"}

CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {
            "mode": "all",
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
        },
        # The coverage phase sends every boundary value of every parameter: thorough, but
        # minutes per role. The long run against `make run` does that; the suite keeps to
        # the explicit examples and bounded fuzzing.
        "phases": {"coverage": {"enabled": False}},
    }
)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo installation, loaded once for the module and rolled back after it.

    Each test still runs in its own savepoint (the ``db`` fixture), so what one role writes
    is gone before the next role's run starts.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo", projects=5, seed=1, stdout=open_null())
        # Basic auth checks the password on every request: a fast hash keeps thousands of
        # requests quick (the suite's settings already use MD5 for tests).
        from django.test.utils import override_settings

        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            for username in filter(None, ROLES.values()):
                user = User.objects.get(username=username)
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])
        yield
        transaction.set_rollback(True)


def open_null():
    import io

    return io.StringIO()


@pytest.fixture
def wsgi_app(db, monkeypatch):
    """Django's WSGI application, sharing the test's connection and transaction.

    Django closes "old" connections at the start and end of each request; inside a test that
    would close the connection holding the test's transaction, so (as Django's own test client
    does) those handlers are set aside for the test. The anonymous rate limit is lifted: the
    run sends more requests per minute than a visitor may, and 429 is a documented answer that
    would stop every operation from being exercised.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    monkeypatch.setattr(AnonRateThrottle, "allow_request", lambda self, request, view: True)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture(params=list(ROLES))
def role(request, demo_data):
    return request.param


def published_schema() -> dict:
    """The schema ``/api/schema/`` serves, built at collection time (no database needed)."""
    generator = SchemaGenerator()
    return json.loads(
        json.dumps(generator.get_schema(request=None, public=True), cls=DjangoJSONEncoder)
    )


def auth_headers(role: str) -> dict[str, str]:
    username = ROLES[role]
    if username is None:
        return {}
    token = base64.b64encode(f"{username}:{PASSWORD}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


schema = schemathesis.openapi.from_dict(published_schema(), config=CONFIG)
schema.app = get_wsgi_application()


@schema.parametrize()
@settings(
    derandomize=True,
    deadline=None,
    database=None,
    # The fixtures hold the demo data and the role for the whole run of an operation, on
    # purpose; some operations' bodies are hard to satisfy, which is not the test's concern.
    suppress_health_check=list(HealthCheck),
)
def test_api_keeps_its_contract(case, role, wsgi_app):
    case.call_and_validate(headers=auth_headers(role), checks=CHECKS)
