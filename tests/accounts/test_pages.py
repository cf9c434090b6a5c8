"""allauth's pages in the site's wording: headings in sentence case, "e-mail" rather than
"Email", and dates written as the rest of the site writes them."""

import datetime

from allauth.account.models import EmailAddress
from django.test import Client

from liaison.accounts.models import SignIn
from liaison.core.models import Role
from tests.accounts.conftest import sign_up
from tests.conftest import make_user


def test_sign_in_and_sign_up_have_sentence_case_headings(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert "<title>Sign in" in page and "<h1>Sign in</h1>" in page
    assert "Sign In" not in page
    assert 'href="/accounts/signup/">sign up</a>' in page
    page = client.get("/accounts/signup/").content.decode()
    assert "<title>Sign up" in page and "<h1>Sign up</h1>" in page
    assert "Sign Up" not in page and "Signup" not in page
    assert 'href="/accounts/login/">sign in</a>' in page


def test_the_account_forms_say_e_mail(client, db):
    for path in ("/accounts/signup/", "/accounts/password/reset/"):
        page = client.get(path).content.decode()
        assert '<label for="id_email">E-mail:</label>' in page, path
        assert ">Email" not in page and "Email address" not in page, path


def test_the_account_s_e_mail_page_says_e_mail(client, db):
    user = make_user("mira", Role.PUBLIC, email="mira@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    page = client.get("/accounts/email/").content.decode()
    assert "<h1>E-mail address</h1>" in page
    assert "Current e-mail address:" in page and "Change e-mail address" in page
    assert "Email" not in page


def test_the_page_after_sign_up_asks_to_verify_the_e_mail_address(client, db, mailoutbox):
    sign_up(client, "ana@example.org", username="ana")
    page = client.get("/accounts/confirm-email/").content.decode()
    assert "<h1>Verify your e-mail address</h1>" in page
    assert "Verify Your Email Address" not in page


def test_the_sessions_page_writes_sign_in_dates_as_the_site_does(db):
    """Regression: recent sign-ins read "Dec. 5, 2026, 6:15 p.m."."""
    user = make_user("pm", Role.PROJECT_MANAGER)
    at = datetime.datetime(2026, 12, 5, 17, 15, tzinfo=datetime.UTC)  # 18:15 in Brussels
    SignIn.objects.filter(pk=SignIn.objects.create(user=user).pk).update(at=at)
    client = Client()
    client.force_login(user)
    page = client.get("/accounts/sessions/").content.decode()
    assert ">5 Dec 2026 18:15</time>" in page
    assert "p.m." not in page and "a.m." not in page
