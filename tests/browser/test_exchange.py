"""A cooperation request in a browser, from Chișinău to Tbilisi: an officer writes an urgent
request about a person with a passport (H2, B2) and sends it; the Tbilisi supervisor assigns it;
the Tbilisi officer answers; an officer in Belgrade, of the same network, searches the passport
number and finds nothing; the Chișinău officer reads in the request's log that Tbilisi read it.

Every exchange role requires a second factor, so each person has an authenticator app whose
codes the test computes, as tests/browser/test_accounts.py does; each person works in their own
browser context, as they would on their own computer."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from liaison.directory.models import Country, Network, NetworkKind
from liaison.exchange.models import ExchangeNetwork, Request, UnitRoleKind
from tests.conftest import PASSWORD, authenticator_code
from tests.exchange.conftest import holder, make_unit

pytestmark = pytest.mark.browser

PASSPORT = "AB1234567"
SUBJECT = "Driver of a smuggling lorry"


def person(username, unit, role=UnitRoleKind.OFFICER) -> str:
    """An exchange role holder with a verified address and an authenticator; their secret."""
    user = holder(username, unit, role)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def network():
    exchange = ExchangeNetwork.objects.create(
        network=Network.objects.create(
            name="Coordination units network", acronym="CUN", kind=NetworkKind.COORDINATION_UNITS
        )
    )
    country = {c.code: c for c in Country.objects.filter(code__in=["MD", "GE", "RS"])}
    md = make_unit(exchange, "MD-CU", "Unit of Moldova", country["MD"], "Europe/Chisinau")
    ge = make_unit(exchange, "GE-CU", "Unit of Georgia", country["GE"], "Asia/Tbilisi")
    rs = make_unit(exchange, "RS-CU", "Unit of Serbia", country["RS"], "Europe/Belgrade")
    return {
        "md-officer": person("md-officer", md),
        "ge-supervisor": person("ge-supervisor", ge, UnitRoleKind.SUPERVISOR),
        "ge-officer": person("ge-officer", ge),
        "rs-officer": person("rs-officer", rs),
    }


def signed_in(browser, live_server, username, secret):
    """A fresh browser context signed in as ``username`` with a code of their app."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/accounts/login/")
    page.get_by_label("Username or e-mail").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_label(re.compile(r"^Code:?$")).fill(authenticator_code(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def test_an_urgent_request_from_chisinau_is_answered_in_tbilisi(browser, live_server, page):
    secrets = network()
    chisinau = signed_in(browser, live_server, "md-officer", secrets["md-officer"])

    # Chișinău writes the request and sends it.
    chisinau.get_by_role("navigation", name="Main").get_by_role("link", name="Requests").click()
    chisinau.get_by_role("link", name="New request").first.click()
    chisinau.get_by_label("GE-CU – Unit of Georgia").check()
    chisinau.get_by_label("Subject").fill(SUBJECT)
    chisinau.get_by_label("Type").select_option("information")
    chisinau.get_by_label("Crime area").select_option("smuggling")
    chisinau.get_by_label("Urgency").select_option("urgent_direct")
    chisinau.get_by_label("Narrative").fill("We ask for the driver's records.")
    chisinau.get_by_label("Handling code").select_option("H2")
    chisinau.get_by_label("Source evaluation").select_option("B")
    chisinau.get_by_label("Information evaluation").select_option("2")
    chisinau.locator("#id_person-0-names").fill("Ion Popescu")
    chisinau.locator("#id_person-0-born").fill("1985-04-12")
    chisinau.locator("#id_person-0-nationalities").fill("MD")
    chisinau.locator("#id_person-0-documents").fill(PASSPORT)
    chisinau.get_by_role("button", name="Save the draft").click()
    expect(chisinau.get_by_role("status")).to_contain_text("The draft is saved")
    chisinau.get_by_role("button", name="Send", exact=True).click()
    expect(chisinau.get_by_role("status")).to_contain_text("The request is sent")
    request = Request.objects.get()
    reference = request.reference
    case = request.cases.get()
    assert (case.deadline - request.sent_at).total_seconds() == 8 * 3600
    expect(chisinau.locator(f"#case-{case.pk}")).to_contain_text("Asia/Tbilisi")
    expect(chisinau.locator(f"#case-{case.pk}")).to_contain_text("Europe/Chisinau")

    # The Tbilisi supervisor finds it in the inbox and assigns it.
    supervisor = signed_in(browser, live_server, "ge-supervisor", secrets["ge-supervisor"])
    supervisor.goto("/exchange/")
    received = supervisor.get_by_test_id("received")
    expect(received).to_contain_text("On time")
    received.get_by_role("link", name=reference).click()
    expect(supervisor.get_by_role("heading", level=1)).to_contain_text(SUBJECT)
    supervisor.get_by_label("ge-officer").check()
    supervisor.get_by_role("button", name="Assign", exact=True).click()
    expect(supervisor.get_by_role("status")).to_contain_text("The request is assigned")

    # The Tbilisi officer answers.
    officer = signed_in(browser, live_server, "ge-officer", secrets["ge-officer"])
    officer.goto("/exchange/")
    officer.get_by_test_id("received").get_by_role("link", name=reference).click()
    facts = officer.get_by_role("region", name="Request", exact=True)
    expect(facts).to_contain_text("H2 – not to be passed on")
    expect(facts).to_contain_text("B2")
    expect(officer.get_by_role("region", name="About")).to_contain_text(PASSPORT)
    officer.get_by_role("textbox", name="Reply", exact=True).fill("He drove for the group in 2024.")
    officer.get_by_role("button", name="Send the reply").click()
    expect(officer.get_by_role("status")).to_contain_text("Your reply is sent")
    expect(officer.locator("#thread")).to_contain_text("He drove for the group in 2024.")

    # Belgrade, of the same network, searches the passport and finds nothing.
    belgrade = signed_in(browser, live_server, "rs-officer", secrets["rs-officer"])
    belgrade.goto("/exchange/search/")
    belgrade.get_by_label("Names, document numbers").fill(PASSPORT)
    belgrade.get_by_role("button", name="Search").click()
    expect(belgrade.get_by_test_id("result-count")).to_have_text("0 requests found")
    expect(belgrade.get_by_text(SUBJECT)).to_have_count(0)

    # Chișinău sees the answer and, in the read log, that Tbilisi's officer read the request.
    chisinau.goto(request.get_absolute_url())
    expect(chisinau.locator("#thread")).to_contain_text("He drove for the group in 2024.")
    chisinau.get_by_role("link", name="Who read this request").click()
    reads = chisinau.get_by_test_id("reads")
    expect(reads.get_by_role("row").filter(has_text="ge-officer").first).to_contain_text("GE-CU")
    expect(reads).to_contain_text("Request opened")
    for other in (chisinau, supervisor, officer, belgrade):
        other.context.close()
