"""Issue 14: the account journeys in a browser: a forgotten password, a second factor for the
secretariat, and a visitor who signs up on the way to an event.

The live server runs in this process with the test e-mail backend, so the messages a person
would receive are read from ``mailoutbox``."""

import re

from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from liaison.core.models import Role
from liaison.events.models import Registration, RegistrationForm, RegistrationStatus
from tests.conftest import PASSWORD, authenticator_code, make_user
from tests.events.conftest import make_event

LINK = re.compile(r"https?://\S+")
EMAIL = re.compile(r"^E-?mail", re.I)


def link(message, part):
    return next(url for url in LINK.findall(message.body) if part in url)


def account(username, role=Role.PUBLIC):
    user = make_user(username, role, email=f"{username}@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(page, login, password=PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Username or e-mail").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_a_forgotten_password_is_reset_from_the_e_mail(page, mailoutbox):
    account("mira")
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label(EMAIL).fill("mira@example.org")
    page.get_by_role("button", name="Reset my password").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Password Reset")

    page.goto(link(mailoutbox[-1], "/accounts/password/reset/key/"))
    page.get_by_label(re.compile(r"^New password:?$", re.I)).fill("a-fresh-passphrase-77")
    page.get_by_label(re.compile(r"^New password \(again\)", re.I)).fill("a-fresh-passphrase-77")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your password is now changed")).to_be_visible()

    sign_in(page, "mira", "a-fresh-passphrase-77")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_the_secretariat_sets_up_an_authenticator_and_is_asked_for_a_code(
    page, settings, mailoutbox
):
    settings.MFA_REQUIRED_ROLES = ["secretariat"]
    account("clerk", Role.SECRETARIAT)
    sign_in(page, "clerk")
    page.goto("/projects/")
    # Sent to set up the second factor, after confirming the password.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    expect(page.get_by_role("img", name=re.compile(".+"))).to_be_visible()  # the QR code
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(authenticator_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.goto("/projects/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Projects")

    page.context.clear_cookies()
    sign_in(page, "clerk")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.get_by_label(re.compile(r"^Code:?$")).fill(authenticator_code(secret, step=1))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_visitor_signs_up_for_an_event_registers_and_withdraws(
    page, mailoutbox, transactional_db
):
    from liaison.directory.models import Country

    event = make_event(country=Country.objects.get(code="RS"))
    RegistrationForm.objects.create(event=event, is_open=True, capacity=10)
    page.goto(f"/events/{event.pk}/")
    page.get_by_role("link", name="Register").first.click()
    page.get_by_role("main").get_by_role("link", name="sign up").click()
    page.get_by_label("Full name").fill("Vera Visitor")
    page.get_by_label(EMAIL).fill("vera@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-long-passphrase-for-tests")
    page.get_by_label("Password (again)").fill("a-long-passphrase-for-tests")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verify")

    page.goto(link(mailoutbox[-1], "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(rf"/events/{event.pk}/register/"))
    expect(page.get_by_role("textbox", name="E-mail")).to_have_value("vera@example.org")
    expect(page.get_by_label("Name", exact=True)).to_have_value("Vera Visitor")  # from sign-up
    page.get_by_label("Organisation, if not listed").fill("Border Police Directorate")
    page.get_by_label("Country", exact=True).select_option(label="Serbia")
    page.get_by_label("Type of institution").select_option(label="Border guard")
    page.get_by_label("Sex", exact=True).select_option(label="Female")
    page.get_by_role("checkbox", name=re.compile("^I agree that the organisers")).check()
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered")).to_be_visible()

    # Later, from "My registrations" (the confirmation e-mail links to the same page).
    assert Registration.objects.get().get_absolute_url() in mailoutbox[-1].body
    page.goto("/events/mine/")
    page.get_by_role("link", name="Details").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_text("The registration was cancelled.")).to_be_visible()
    assert Registration.objects.get().status == RegistrationStatus.CANCELLED
