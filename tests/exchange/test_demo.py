"""The exchange demo: the seeds' coordination-unit network, an officer and a supervisor per
unit with the README's second-factor secret, requests in every state the issue names, a year
of statistics, and nothing added twice."""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from liaison.exchange import demo, permissions
from liaison.exchange.models import Case, Message, Request, Unit, UnitRole
from liaison.portfolio import demo as portfolio_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(countries):
    portfolio_demo.load_seed_programmes()
    portfolio_demo.create_demo_users()
    return demo.load_demo_exchange()


def test_the_network_its_units_and_people(made):
    assert set(Unit.objects.values_list("code", flat=True)) == {
        "UA-ILECU",
        "MD-ILECU",
        "GE-ILECU",
        "MK-ILECU",
        "RS-ILECU",
        "HU-ILECC",
        "RO-IGPR",
    }
    assert UnitRole.objects.count() == 14
    officer = made["people"][("MD-ILECU", "officer")]
    assert officer.username == "md-cu-officer"
    totp = TOTP(Authenticator.objects.get(user=officer, type="totp"))
    from tests.accounts.test_mfa import current_code

    assert totp.validate_code(current_code(demo.DEMO_TOTP_SECRET))


def test_requests_in_every_state(made):
    statuses = set(Request.objects.values_list("status", flat=True))
    assert statuses == {"draft", "sent", "closed", "withdrawn"}
    cases = set(Case.objects.values_list("status", flat=True))
    assert {"received", "assigned", "answered", "refused", "closed"} <= cases
    urgent = Case.objects.get(request__urgency="urgent_direct", request__status="sent")
    assert urgent.answered_at - urgent.received_at <= datetime.timedelta(hours=8)
    now = datetime.datetime.now(datetime.UTC)
    overdue = Case.objects.filter(status__in=["received", "assigned"], deadline__lt=now)
    assert overdue.filter(request__crime_area="document_fraud").count() == 2
    assert Case.objects.filter(refusal_ground="judicial").exists()
    assert Message.objects.filter(kind="permission", permitted_unit__code="RO-IGPR").exists()
    assert made["archived"] == 120


def test_need_to_know_holds_in_the_demo(made):
    people = made["people"]
    lorry = Request.objects.get(crime_area="smuggling", urgency="urgent_direct", status="sent")
    assert permissions.can_open(people[("GE-ILECU", "officer")], lorry)[0]
    assert not permissions.can_open(people[("RS-ILECU", "officer")], lorry)[0]


def test_a_rerun_adds_nothing(made):
    count = Request.objects.count()
    assert demo.load_demo_exchange() == {}
    assert Request.objects.count() == count
