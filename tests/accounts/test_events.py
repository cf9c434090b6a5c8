"""Issue 14, item 1: a visitor who clicks "Register" on a public event signs up, verifies the
address, comes back to the registration form, registers, and later withdraws."""

from urllib.parse import quote

from django.urls import reverse

from liaison.events.models import Registration, RegistrationForm, RegistrationStatus
from tests.accounts.conftest import link_in
from tests.events.conftest import make_event


def test_a_visitor_signs_up_on_the_way_to_an_event_and_comes_back_to_register(
    client, db, countries, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(country=countries["RS"])
    RegistrationForm.objects.create(event=event, is_open=True, capacity=10)
    register = reverse("events:register", args=[event.pk])

    response = client.get(register)
    assert response["Location"] == f"/accounts/login/?next={register}"
    login_page = client.get(response["Location"]).content.decode()
    signup = f"/accounts/signup/?next={quote(register, safe='')}"
    assert signup in login_page.replace("&amp;", "&")

    response = client.post(
        signup,
        {
            "name": "Vera Visitor",
            "email": "visitor@example.org",
            "password1": "a-long-passphrase-for-tests",
            "password2": "a-long-passphrase-for-tests",
        },
    )
    assert response["Location"] == "/accounts/confirm-email/"
    response = client.post(link_in(mailoutbox[0], "/confirm-email/"))
    assert response["Location"] == register

    form = client.get(register)
    assert form.status_code == 200
    assert form.context["form"].initial["email"] == "visitor@example.org"
    assert form.context["form"].initial["name"] == "Vera Visitor"  # from sign-up
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            register,
            {
                "name": "Vera Visitor",
                "email": "visitor@example.org",
                "organisation_name": "Border Police Directorate",
                "country": countries["RS"].pk,
                "institution_type": "border_guard",
                "sex": "female",
                "consent": "on",
            },
        )
    registration = Registration.objects.get()
    assert response["Location"] == registration.get_absolute_url()
    assert registration.user.email == "visitor@example.org"

    # The confirmation e-mail links to the registration, which lists it under "My registrations"
    # too; withdrawing from there cancels it.
    confirmation = mailoutbox[-1]
    assert confirmation.to == ["visitor@example.org"]
    assert registration.get_absolute_url() in confirmation.body
    mine = client.get(reverse("events:my_registrations")).content.decode()
    assert event.title in mine
    client.post(reverse("events:registration_cancel", args=[registration.token]))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
