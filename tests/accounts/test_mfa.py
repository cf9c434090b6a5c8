"""Issue 14, item 5: a second factor, required for the roles that read personal data; the
sessions page with recent sign-ins."""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client

from liaison.accounts.models import SignIn
from liaison.core.models import Role
from tests.accounts.conftest import sign_in
from tests.conftest import PASSWORD, make_user
from tests.conftest import authenticator_code as current_code


@pytest.fixture
def required(settings):
    settings.MFA_REQUIRED_ROLES = ["secretariat", "staff_viewer"]


def staff(username, role):
    user = make_user(username, role, email=f"{username}@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def activate_totp(client) -> str:
    """Activate an authenticator from the activation page, as a person does; returns its secret."""
    page = client.get("/accounts/2fa/totp/activate/")
    # allauth asks for the password again before a change of the second factor.
    assert page["Location"].startswith("/accounts/reauthenticate/")
    client.post(page["Location"], {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    html = page.content.decode()
    # The QR code is drawn by the server into the page: no external image, no script.
    assert 'src="data:image/svg+xml' in html
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": current_code(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.STAFF_VIEWER])
def test_a_required_role_is_sent_to_set_up_an_authenticator(client, db, required, role):
    staff("clerk", role)
    sign_in(client, "clerk", PASSWORD)
    response = client.get("/projects/", follow=True)
    assert response.redirect_chain[0][0] == "/accounts/2fa/totp/activate/"
    assert "set up an authenticator app" in response.content.decode()
    # Signing out stays possible.
    assert client.post("/accounts/logout/").status_code == 302


def test_other_roles_are_offered_a_second_factor_but_not_forced(client, db, required):
    staff("pm", Role.PROJECT_MANAGER)
    sign_in(client, "pm", PASSWORD)
    assert client.get("/projects/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200


def test_the_code_is_asked_at_the_next_sign_in(client, db, required):
    user = staff("clerk", Role.SECRETARIAT)
    sign_in(client, "clerk", PASSWORD)
    secret = activate_totp(client)
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert client.get("/projects/").status_code == 200  # no longer sent to activation

    later = Client()
    response = sign_in(later, "clerk", PASSWORD)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in later.session
    wrong = later.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert "Incorrect code" in wrong.content.decode()
    response = later.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert response.status_code == 302
    assert later.get("/projects/").context["user"] == user


def test_wrong_codes_are_throttled(client, db, required, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/15m/key"}
    staff("clerk", Role.SECRETARIAT)
    sign_in(client, "clerk", PASSWORD)
    secret = activate_totp(client)
    later = Client()
    sign_in(later, "clerk", PASSWORD)
    for _ in range(3):
        later.post("/accounts/2fa/authenticate/", {"code": "000000"})
    response = later.post("/accounts/2fa/authenticate/", {"code": current_code(secret)})
    assert "_auth_user_id" not in later.session
    assert response.status_code == 200
    assert "Too many failed" in response.content.decode()


def test_the_sessions_page_lists_sessions_and_recent_sign_ins(db):
    make_user("pm", Role.PROJECT_MANAGER)
    laptop, phone = Client(HTTP_USER_AGENT="Laptop browser"), Client(HTTP_USER_AGENT="Phone")
    sign_in(laptop, "pm", PASSWORD)
    sign_in(phone, "pm", PASSWORD)
    phone.get("/")
    page = laptop.get("/accounts/sessions/").content.decode()
    assert "Laptop browser" in page and "Phone" in page
    assert "Recent sign-ins" in page and SignIn.objects.count() == 2

    laptop.post("/accounts/sessions/end-others/")
    assert phone.get("/accounts/sessions/").status_code == 302  # signed out
    assert laptop.get("/accounts/sessions/").status_code == 200


def test_only_the_last_sign_ins_are_kept(db):
    make_user("pm", Role.PROJECT_MANAGER)
    for _ in range(22):
        sign_in(Client(), "pm", PASSWORD)
    assert SignIn.objects.count() == 20


def test_an_institutions_administrator_sets_up_a_second_factor_its_member_need_not(
    client, settings, institution_admin, institution_member
):
    settings.MFA_REQUIRED_ROLES = ["institution_administrator"]
    client.force_login(institution_admin)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    client.force_login(institution_member)
    assert client.get("/").status_code == 200


def test_the_default_requires_it_of_every_role_that_reads_personal_data():
    from liaison import settings as defaults

    assert set(defaults.MFA_REQUIRED_ROLES) >= {
        "secretariat",
        "staff_viewer",
        "data_protection_officer",
        "institution_administrator",
    }


def test_a_code_typed_as_the_period_turns_is_still_accepted_once(client, db, required):
    """The code shown in the last 30-second period still works (RFC 6238's one step of delay);
    the same code a second time does not."""
    staff("clerk", Role.SECRETARIAT)
    sign_in(client, "clerk", PASSWORD)
    secret = activate_totp(client)
    first = Client()
    sign_in(first, "clerk", PASSWORD)
    response = first.post("/accounts/2fa/authenticate/", {"code": current_code(secret, step=-1)})
    assert response.status_code == 302
    again = Client()
    sign_in(again, "clerk", PASSWORD)
    response = again.post("/accounts/2fa/authenticate/", {"code": current_code(secret, step=-1)})
    assert "_auth_user_id" not in again.session
    assert "Incorrect code" in response.content.decode()
