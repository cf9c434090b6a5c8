"""Chromium driven by Playwright against the live test server.

Debian's Chromium is used as it is (``make test`` installs it); Playwright never downloads a
browser. Reference data is re-loaded for each test because live-server tests empty the tables.
"""

import os

import pytest
from django.core.cache import cache

from liaison.directory.countries import load_countries
from liaison.directory.models import Country
from liaison.portfolio.models import Instrument, Theme, Typology
from liaison.portfolio.reference import load_reference

CHROMIUM = os.environ.get("LIAISON_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run `make browser` (make test does).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def reference_data(transactional_db):
    # Live-server tests commit, and emptying the tables afterwards leaves the database cache's
    # table alone: without this, sign-ins of earlier tests count against the sign-in limit.
    cache.clear()
    load_countries(Country)
    load_reference(Instrument, Theme, Typology)


@pytest.fixture
def page(browser, live_server, reference_data):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []

    def on_console(message):
        # Failed loads are caught below with their address, which the console text lacks.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response):
        # A test that expects a refusal removes it from ``page.errors``.
        if response.status >= 400:
            errors.append(f"{response.status} {response.url}")

    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", on_console)
    page.on("response", on_response)
    page.errors = errors
    page.set_default_timeout(10_000)
    yield page
    context.close()
    assert not errors, f"the browser reported errors: {errors}"
