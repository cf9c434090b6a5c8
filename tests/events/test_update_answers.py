"""A registrant updates their answers to the registration questions, from the link in their
e-mail or from their account, until the event starts; no one else does."""

import datetime

import pytest
from django.urls import reverse

from liaison.core.models import AuditEntry
from liaison.events import services
from liaison.events.models import Question, QuestionKind, RegistrationForm, Stage
from tests.events.conftest import at, make_event, sign_up


def answers_url(registration):
    return reverse("events:registration_answers", args=[registration.token])


@pytest.fixture
def diet(setup):
    return Question.objects.create(form=setup, label="Dietary needs", required=True, order=1)


@pytest.fixture
def nights(setup):
    return Question.objects.create(
        form=setup, label="Nights at the hotel", kind=QuestionKind.NUMBER, order=2
    )


@pytest.fixture
def mine(event, participants, diet, nights):
    """participants[0]'s registration, answered on registration."""
    return sign_up(participants[0], event, answers={diet.key: "None", nights.key: "2"})


def answer(registration, question):
    registration.refresh_from_db()
    return registration.answers.get(question.key, {}).get("answer")


def test_the_registrant_by_the_e_mail_link_updates_the_answers_and_sees_them(
    client, mine, diet, nights
):
    page = client.get(answers_url(mine))
    assert page.status_code == 200
    assert page.context["form"].initial[diet.key] == "None"
    response = client.post(answers_url(mine), {diet.key: "Vegetarian", nights.key: "3"})
    assert response.status_code == 302
    assert response.url == mine.get_absolute_url()
    assert (answer(mine, diet), answer(mine, nights)) == ("Vegetarian", 3.0)
    body = client.get(mine.get_absolute_url()).content.decode()
    assert "Vegetarian" in body and "Your answers were saved" in body


def test_the_registrant_signed_in_finds_the_link_in_their_registrations(
    client, mine, diet, nights, participants
):
    client.force_login(participants[0])
    body = client.get(reverse("events:my_registrations")).content.decode()
    assert answers_url(mine) in body
    client.post(answers_url(mine), {diet.key: "Halal"})
    assert answer(mine, diet) == "Halal"
    # Nights left empty: an optional answer given before is withdrawn.
    assert answer(mine, nights) is None


def test_the_registration_page_offers_the_link_while_allowed(client, mine, event):
    assert answers_url(mine) in client.get(mine.get_absolute_url()).content.decode()
    services.cancel(None, mine, token=mine.token)
    assert answers_url(mine) not in client.get(mine.get_absolute_url()).content.decode()


def test_another_user_without_the_token_changes_nothing(
    client, mine, diet, participants, other_manager
):
    for outsider in (participants[1], other_manager):
        with pytest.raises(services.PermissionDenied):
            services.update_answers(outsider, mine, {diet.key: "Forged"})
        with pytest.raises(services.PermissionDenied):
            services.update_answers(outsider, mine, {diet.key: "Forged"}, token="guessed")
    client.force_login(participants[1])
    body = client.get(reverse("events:my_registrations")).content.decode()
    assert answers_url(mine) not in body
    response = client.post(
        reverse("events:registration_answers", args=["no-such-token"]), {diet.key: "Forged"}
    )
    assert response.status_code == 404
    assert answer(mine, diet) == "None"
    assert not AuditEntry.objects.filter(action="registration.answers_updated").exists()


def test_the_organisers_read_the_answers_but_do_not_change_them(mine, diet, manager):
    with pytest.raises(services.PermissionDenied):
        services.update_answers(manager, mine, {diet.key: "Changed by the organiser"})
    assert answer(mine, diet) == "None"


def test_a_cancelled_registration_is_refused(client, mine, diet, participants):
    services.cancel(participants[0], mine)
    with pytest.raises(services.RegistrationRefused, match="no longer active"):
        services.update_answers(participants[0], mine, {diet.key: "Vegan"})
    response = client.post(answers_url(mine), {diet.key: "Vegan"}, follow=True)
    assert "no longer active" in response.content.decode()
    assert answer(mine, diet) == "None"


def test_a_required_question_left_blank_is_a_form_error_and_nothing_is_saved(
    client, mine, diet, nights, participants
):
    response = client.post(answers_url(mine), {diet.key: "", nights.key: "5"})
    assert response.status_code == 200
    assert diet.key in response.context["form"].errors
    assert (answer(mine, diet), answer(mine, nights)) == ("None", 2.0)
    # The service holds the same rule for a caller that skips the form.
    with pytest.raises(services.RegistrationRefused, match="Dietary needs"):
        services.update_answers(participants[0], mine, {diet.key: " ", nights.key: "5"})
    assert (answer(mine, diet), answer(mine, nights)) == ("None", 2.0)


def test_after_the_event_started_the_answers_stay(mine, diet, participants, event, setup):
    started = event.start + datetime.timedelta(minutes=1)
    with pytest.raises(services.RegistrationRefused, match="has started"):
        services.update_answers(participants[0], mine, {diet.key: "Vegan"}, now=started)
    assert answer(mine, diet) == "None"
    # A passed deadline or a form closed by hand does not close them: only the start does.
    setup.is_open = False
    setup.closes_at = event.start - datetime.timedelta(days=2)
    setup.save()
    before_start = event.start - datetime.timedelta(hours=1)
    services.update_answers(participants[0], mine, {diet.key: "Vegan"}, now=before_start)
    assert answer(mine, diet) == "Vegan"


def test_an_event_under_way_refuses_on_the_page(client, participants, countries):
    ongoing = make_event("Ongoing course", start=at(-1), end=at(1), country=countries["RS"])
    form = RegistrationForm.objects.create(event=ongoing, is_open=True)
    question = Question.objects.create(form=form, label="Dietary needs", required=True)
    registration = sign_up(participants[0], ongoing, answers={question.key: "None"})
    client.force_login(participants[0])
    page = client.get(registration.get_absolute_url()).content.decode()
    assert "None" in page and answers_url(registration) not in page
    response = client.post(answers_url(registration), {question.key: "Vegan"}, follow=True)
    assert "has started" in response.content.decode()
    assert answer(registration, question) == "None"


def test_an_event_without_registration_questions_has_no_answers_page(
    client, setup, event, participants
):
    Question.objects.create(form=setup, stage=Stage.FOLLOW_UP, label="Passport number")
    registration = sign_up(participants[0], event)
    assert client.get(answers_url(registration)).status_code == 404
    assert (
        answers_url(registration)
        not in client.get(registration.get_absolute_url()).content.decode()
    )


def test_follow_up_answers_cannot_be_slipped_in(mine, diet, setup, participants):
    passport = Question.objects.create(form=setup, stage=Stage.FOLLOW_UP, label="Passport number")
    services.update_answers(
        participants[0], mine, {diet.key: "Vegan", passport.key: "X1234567"}, token=mine.token
    )
    mine.refresh_from_db()
    assert passport.key not in mine.answers
    assert mine.follow_up_answers == {}


def test_an_audit_entry_names_the_questions_not_the_answers(client, mine, diet, nights):
    client.post(answers_url(mine), {diet.key: "Gluten-free", nights.key: "2"})
    entry = AuditEntry.objects.get(action="registration.answers_updated")
    assert entry.object_id == str(mine.pk)
    assert entry.actor is None  # anonymous, holding the link
    assert entry.changes == {"questions": ["Dietary needs"]}
    assert "Gluten-free" not in str(entry.changes)
