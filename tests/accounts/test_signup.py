"""Issue 14, item 1: anyone signs up with an address they prove is theirs; a forgotten password
is reset by e-mail; a new address is verified before it counts."""

import time
from unittest import mock

from allauth.account.models import EmailAddress
from django.test import Client

from liaison.core.models import Role, User
from liaison.directory.models import Person
from tests.accounts.conftest import link_in, sign_in, sign_up
from tests.conftest import PASSWORD, make_user

NEW_PASSWORD = "a-long-passphrase-for-tests"


def test_sign_up_sends_a_verification_mail_and_refuses_sign_in_until_verified(
    client, signed_up, mailoutbox
):
    assert signed_up["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(username="ana")
    assert user.role == Role.PUBLIC
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["ana@example.org"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body

    other = Client()
    response = sign_in(other, "ana", NEW_PASSWORD)
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in other.session
    page = other.get("/accounts/confirm-email/").content.decode()
    assert "Verify your e-mail address" in page


def test_sign_up_asks_for_a_name_and_the_person_carries_it(client, db, mailoutbox):
    """Regression: sign-up had no name field, so the account and the person made on
    verification were named after the username ("vera.visitor")."""
    response = sign_up(client, "vera@example.org", username="vera.visitor", name="")
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert not User.objects.filter(username="vera.visitor").exists()

    response = sign_up(client, "vera@example.org", username="vera.visitor", name=" Vera  Visitor ")
    assert response.status_code == 302
    user = User.objects.get(username="vera.visitor")
    assert (user.first_name, user.last_name) == ("Vera", "Visitor")
    client.post(link_in(mailoutbox[0], "/confirm-email/"))
    assert Person.objects.get(user=user).name == "Vera Visitor"
    assert "Vera Visitor" in client.get("/").content.decode()


def test_the_sign_up_form_asks_for_the_full_name_first(client, db):
    form = client.get("/accounts/signup/").context["form"]
    assert list(form.fields)[:2] == ["name", "email"]
    assert form.fields["name"].required and str(form.fields["name"].label) == "Full name"
    assert str(form.fields["email"].label) == "E-mail"


def test_the_verification_link_signs_the_new_account_in(client, signed_up, mailoutbox):
    path = link_in(mailoutbox[0], "/confirm-email/")
    page = client.get(path)
    assert page.status_code == 200 and "ana@example.org" in page.content.decode()
    response = client.post(path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="ana@example.org").verified
    assert client.get("/").context["user"].username == "ana"
    # ...and from now on the account signs in by username or by e-mail.
    for login in ("ana", "ANA@example.org"):
        fresh = Client()
        assert sign_in(fresh, login, NEW_PASSWORD).status_code == 302
        assert fresh.get("/").context["user"].username == "ana"


def test_a_forged_verification_link_shows_a_clear_page(client, db):
    response = client.get("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 200  # allauth's page, in the site's layout
    page = response.content.decode()
    assert "This email confirmation link expired or is invalid" in page
    assert 'class="site-header"' in page
    assert not EmailAddress.objects.filter(verified=True).exists()


def test_an_expired_verification_link_shows_a_clear_page(client, signed_up, mailoutbox):
    path = link_in(mailoutbox[0], "/confirm-email/")
    later = time.time() + 4 * 86400  # the link lasts three days
    with mock.patch("django.core.signing.time.time", return_value=later):
        page = client.get(path)
        posted = client.post(path)
    assert "This email confirmation link expired or is invalid" in page.content.decode()
    assert posted.status_code == 404
    assert not EmailAddress.objects.get(email="ana@example.org").verified


def test_a_second_account_for_a_verified_address_is_not_made(client, db, mailoutbox):
    owner = make_user("owner", Role.PUBLIC, email="jane.doe@example.org")
    EmailAddress.objects.create(user=owner, email="jane.doe@example.org", verified=True)
    response = sign_up(client, "Jane.Doe@example.org", username="jane2")
    # allauth does not say the address exists; it tells its owner by e-mail instead.
    assert response.status_code == 302
    assert not User.objects.filter(username="jane2").exists()
    assert mailoutbox[0].to == ["jane.doe@example.org"]


def test_a_disposable_duplicate_of_a_verified_address_is_refused(client, db, mailoutbox):
    owner = make_user("owner", Role.PUBLIC, email="janedoe@gmail.com")
    EmailAddress.objects.create(user=owner, email="janedoe@gmail.com", verified=True)
    for variant in ("Jane.Doe@gmail.com", "janedoe+events@gmail.com", "j.a.n.e.doe@googlemail.com"):
        response = sign_up(client, variant, username="copy")
        assert response.status_code == 200, variant
        assert "variant of this e-mail address" in response.content.decode()
    assert not User.objects.filter(username="copy").exists()
    assert not mailoutbox
    # Elsewhere dots are part of the address: another person, another account.
    owner_elsewhere = make_user("o2", Role.PUBLIC, email="janedoe@example.org")
    EmailAddress.objects.create(user=owner_elsewhere, email="janedoe@example.org", verified=True)
    assert sign_up(client, "jane.doe@example.org", username="jane").status_code == 302
    assert User.objects.filter(username="jane").exists()


def test_sign_up_is_throttled(client, db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/h/ip"}
    for n in range(2):
        assert sign_up(client, f"person{n}@example.org").status_code == 302
    response = sign_up(client, "person3@example.org")
    assert response.status_code == 429
    assert not User.objects.filter(email="person3@example.org").exists()


def test_a_forgotten_password_is_reset_by_e_mail(client, db, mailoutbox):
    user = make_user("mira", Role.PUBLIC, email="mira@example.org")
    EmailAddress.objects.create(user=user, email="mira@example.org", verified=True, primary=True)
    response = client.post("/accounts/password/reset/", {"email": "mira@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["mira@example.org"]
    path = link_in(mailoutbox[0], "/password/reset/key/")
    form = client.get(path, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": "a-fresh-passphrase-77", "password2": "a-fresh-passphrase-77"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-fresh-passphrase-77")
    # The link is used up.
    again = client.get(path, follow=True).content.decode()
    assert "invalid" in again.lower()


def test_password_reset_is_throttled(client, db, mailoutbox):
    user = make_user("mira", Role.PUBLIC, email="mira@example.org")
    EmailAddress.objects.create(user=user, email="mira@example.org", verified=True, primary=True)
    for _ in range(3):
        client.post("/accounts/password/reset/", {"email": "mira@example.org"})
    response = client.post("/accounts/password/reset/", {"email": "mira@example.org"})
    assert response.status_code == 429
    assert len(mailoutbox) == 3


def test_a_new_e_mail_address_is_verified_before_it_counts(client, db, mailoutbox):
    user = make_user("mira", Role.PUBLIC, email="mira@example.org")
    EmailAddress.objects.create(user=user, email="mira@example.org", verified=True, primary=True)
    assert sign_in(client, "mira", PASSWORD).status_code == 302
    response = client.post("/accounts/email/", {"action_add": "", "email": "mira@new.example"})
    assert response.status_code == 302
    added = EmailAddress.objects.get(email="mira@new.example")
    assert not added.verified and not added.primary
    assert mailoutbox[-1].to == ["mira@new.example"]
    # An unverified address cannot become the primary one.
    client.post("/accounts/email/", {"action_primary": "", "email": "mira@new.example"})
    user.refresh_from_db()
    assert user.email == "mira@example.org"
    client.post(link_in(mailoutbox[-1], "/confirm-email/"))
    added.refresh_from_db()
    assert added.verified


def test_sign_in_failures_are_throttled_per_account(client, db):
    make_user("pm", Role.PROJECT_MANAGER)
    for _ in range(5):
        sign_in(Client(), "pm", "wrong")
    response = sign_in(client, "pm", PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_account_made_by_staff_without_an_address_still_signs_in(client, db):
    make_user("clerk", Role.PROJECT_MANAGER)
    assert sign_in(client, "clerk", PASSWORD)["Location"] == "/"
