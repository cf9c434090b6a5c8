"""Registration rules: capacity, waiting list, deadline, consent, approval, duplicates."""

import datetime

import pytest
from django.utils import timezone

from liaison.core.models import AuditEntry
from liaison.directory.models import Person
from liaison.events import services
from liaison.events.models import (
    Question,
    QuestionKind,
    Registration,
    RegistrationForm,
    RegistrationStatus,
    Stage,
)
from tests.events.conftest import make_event, person_data, sign_up

APPROVED = RegistrationStatus.APPROVED
WAITLISTED = RegistrationStatus.WAITLISTED


def test_places_go_first_come_then_the_waiting_list(setup, event, participants):
    statuses = [sign_up(user, event).status for user in participants[:4]]
    assert statuses == [APPROVED, APPROVED, WAITLISTED, WAITLISTED]


def test_cancelling_gives_the_place_to_the_first_on_the_waiting_list(
    setup, event, participants, mailoutbox, django_capture_on_commit_callbacks
):
    first, _second, third, fourth = (sign_up(u, event) for u in participants[:4])
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.cancel(participants[0], first)
    assert promoted.pk == third.pk
    third.refresh_from_db()
    fourth.refresh_from_db()
    first.refresh_from_db()
    assert (first.status, third.status, fourth.status) == (
        RegistrationStatus.CANCELLED,
        APPROVED,
        WAITLISTED,
    )
    assert {m.to[0] for m in mailoutbox} == {first.email, third.email}
    third_mail = next(m for m in mailoutbox if m.to == [third.email])
    assert "You have a place" in third_mail.body
    assert third.get_absolute_url() in third_mail.body
    assert AuditEntry.objects.filter(action="registration.cancelled").exists()
    assert AuditEntry.objects.filter(action="registration.promoted").exists()


def test_cancelling_from_the_waiting_list_promotes_no_one(setup, event, participants):
    regs = [sign_up(u, event) for u in participants[:4]]
    assert services.cancel(participants[2], regs[2]) is None
    regs[3].refresh_from_db()
    assert regs[3].status == WAITLISTED


def test_a_full_event_without_waiting_list_refuses(setup, event, participants):
    setup.waiting_list = False
    setup.save()
    sign_up(participants[0], event)
    sign_up(participants[1], event)
    with pytest.raises(services.RegistrationRefused, match="full"):
        sign_up(participants[2], event)
    assert Registration.objects.count() == 2


def test_raising_the_capacity_fills_places_from_the_waiting_list(
    setup, event, participants, manager
):
    regs = [sign_up(u, event) for u in participants[:4]]
    fields = {name: getattr(setup, name) for name in services.FORM_FIELDS}
    services.configure_registration(manager, event, {**fields, "capacity": 3})
    statuses = [Registration.objects.get(pk=r.pk).status for r in regs]
    assert statuses == [APPROVED, APPROVED, APPROVED, WAITLISTED]


def test_the_deadline_closes_registration(setup, event, participants):
    setup.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    setup.save()
    with pytest.raises(services.RegistrationRefused, match="deadline has passed"):
        sign_up(participants[0], event)
    assert not Registration.objects.exists()


def test_registration_not_yet_open_or_closed_by_hand(setup, event, participants):
    setup.opens_at = timezone.now() + datetime.timedelta(days=1)
    setup.save()
    with pytest.raises(services.RegistrationRefused, match="not opened yet"):
        sign_up(participants[0], event)
    setup.opens_at = None
    setup.is_open = False
    setup.save()
    with pytest.raises(services.RegistrationRefused, match="not open"):
        sign_up(participants[0], event)


def test_an_event_that_is_over_takes_no_registrations(setup, event, participants):
    event.start = timezone.now() - datetime.timedelta(days=2)
    event.end = timezone.now() - datetime.timedelta(days=1)
    event.save()
    with pytest.raises(services.RegistrationRefused, match="over"):
        sign_up(participants[0], event)


def test_an_event_without_a_form_takes_no_registrations(event, participants):
    with pytest.raises(services.RegistrationRefused):
        sign_up(participants[0], event)


def test_consent_is_required(setup, event, participants):
    with pytest.raises(services.RegistrationRefused, match="consent"):
        sign_up(participants[0], event, consent=False)
    assert not Registration.objects.exists()
    assert not Person.objects.filter(email=participants[0].email).exists()


def test_the_consent_text_agreed_to_is_kept_when_the_form_changes(setup, event, participants):
    setup.consent_text = "We keep your name for the attendance list."
    setup.save()
    registration = sign_up(participants[0], event)
    setup.consent_text = "We keep your name and photograph."
    setup.save()
    registration.refresh_from_db()
    assert registration.consent_text == "We keep your name for the attendance list."
    assert registration.consent_given_at is not None


def test_the_same_person_cannot_register_twice(setup, event, participants):
    sign_up(participants[0], event)
    with pytest.raises(services.RegistrationRefused, match="already registered"):
        sign_up(participants[0], event)
    assert Registration.objects.count() == 1


def test_after_cancelling_one_may_register_again(setup, event, participants):
    first = sign_up(participants[0], event)
    services.cancel(participants[0], first)
    again = sign_up(participants[0], event)
    assert again.status == APPROVED
    assert again.person_id == first.person_id


def test_cancelling_twice_is_refused(setup, event, participants):
    registration = sign_up(participants[0], event)
    services.cancel(participants[0], registration)
    with pytest.raises(services.RegistrationRefused):
        services.cancel(participants[0], registration)


def test_someone_else_cannot_cancel_a_registration(setup, event, participants, other_manager):
    registration = sign_up(participants[0], event)
    for outsider in (participants[1], other_manager):
        with pytest.raises(services.PermissionDenied):
            services.cancel(outsider, registration)
    # The link from the participant's e-mail is enough, without signing in.
    services.cancel(None, registration, token=registration.token)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_approval_flow(setup, event, participants, manager, other_manager):
    setup.needs_approval = True
    setup.save()
    first, second, third = (sign_up(u, event) for u in participants[:3])
    assert [first.status, second.status, third.status] == [
        RegistrationStatus.PENDING,
        RegistrationStatus.PENDING,
        WAITLISTED,
    ]
    with pytest.raises(services.PermissionDenied):
        services.approve(other_manager, first)
    services.approve(manager, first, "Nominated by the ministry")
    services.reject(manager, second, "Not in the target group")
    first.refresh_from_db()
    third.refresh_from_db()
    assert first.status == APPROVED
    # The rejected registration freed a place: the waiting list moves up, to be approved.
    assert third.status == RegistrationStatus.PENDING
    entry = AuditEntry.objects.get(action="registration.rejected")
    assert entry.reason == "Not in the target group" and entry.actor == manager
    with pytest.raises(services.RegistrationRefused):
        services.approve(manager, first)


def test_promote_gives_a_place_beyond_the_capacity_only_with_a_reason(
    setup, event, participants, manager
):
    """Regression (issue 13, item 8): "Give a place" took an event of 2 places to 3 approved
    participants with no warning."""
    regs = [sign_up(u, event) for u in participants[:3]]
    with pytest.raises(services.RegistrationRefused, match="2 of 2 places are taken"):
        services.promote(manager, regs[2])
    assert Registration.objects.filter(event=event, status=APPROVED).count() == 2
    services.promote(manager, regs[2], "Speaker's deputy")
    regs[2].refresh_from_db()
    assert regs[2].status == APPROVED and regs[2].over_capacity_reason == "Speaker's deputy"
    assert Registration.objects.filter(event=event, status=APPROVED).count() == 3
    entry = AuditEntry.objects.get(action="registration.promoted", object_id=str(regs[2].pk))
    assert entry.reason == "Speaker's deputy"
    assert entry.changes["over_capacity_reason"] == ["", "Speaker's deputy"]


def test_promote_within_the_capacity_needs_no_reason(setup, event, participants, manager):
    regs = [sign_up(u, event) for u in participants[:3]]
    setup.capacity = 3
    setup.save()  # a place is free, but the waiting list is not promoted by this save
    services.promote(manager, regs[2])
    regs[2].refresh_from_db()
    assert regs[2].status == APPROVED and regs[2].over_capacity_reason == ""


def test_the_admin_cannot_approve_beyond_the_capacity_without_a_reason(setup, event, participants):
    """The admin's form calls ``Registration.clean``, which asks the services' question."""
    from django.core.exceptions import ValidationError

    regs = [sign_up(u, event) for u in participants[:3]]
    waiting = regs[2]
    waiting.status = APPROVED
    with pytest.raises(ValidationError, match="2 of 2 places are taken"):
        waiting.full_clean()
    waiting.over_capacity_reason = "Host country's delegate"
    waiting.full_clean()
    regs[0].full_clean()  # a registration that already holds its place stays valid


def test_required_and_choice_questions(setup, event, participants):
    role = Question.objects.create(
        form=setup,
        label="Role in the unit",
        kind=QuestionKind.CHOICE,
        choices="Analyst\nInvestigator",
        required=True,
    )
    diet = Question.objects.create(form=setup, label="Dietary needs", kind=QuestionKind.TEXT)
    with pytest.raises(services.RegistrationRefused, match="Role in the unit"):
        sign_up(participants[0], event)
    with pytest.raises(services.RegistrationRefused, match="Choose one"):
        sign_up(participants[0], event, answers={role.key: "Chef"})
    registration = sign_up(participants[0], event, answers={role.key: "Analyst", diet.key: ""})
    assert registration.answers == {role.key: {"question": "Role in the unit", "answer": "Analyst"}}


def test_nomination_registers_all_officers_or_none(setup, event, manager, organisation):
    setup.allow_nominations = True
    setup.capacity = None
    setup.save()
    people = [
        {"name": "Officer One", "email": "one@example.org", "sex": "male"},
        {"name": "Officer Two", "email": "two@example.org", "sex": "female"},
    ]
    with pytest.raises(services.RegistrationRefused, match="agreed"):
        services.nominate(manager, event, organisation, people, consent=False)
    done = services.nominate(manager, event, organisation, people, consent=True)
    assert [r.status for r in done] == [APPROVED, APPROVED]
    assert done[0].country == organisation.country
    assert done[0].institution_type == organisation.type
    assert done[0].nominated_by_organisation == organisation
    # One of the officers is already registered: nothing of this nomination is kept.
    again = [{"name": "Officer Three", "email": "three@example.org"}, people[0]]
    with pytest.raises(services.RegistrationRefused, match="Officer One"):
        services.nominate(manager, event, organisation, again, consent=True)
    assert Registration.objects.count() == 2
    assert not Person.objects.filter(email="three@example.org").exists()


def test_an_officer_nominates_only_for_their_own_institution(
    setup, event, participants, organisation, contact
):
    setup.allow_nominations = True
    setup.save()
    officer = participants[0]
    other = type(organisation).objects.create(name="Another ministry")
    people = [{"name": "Colleague", "email": "colleague@example.org"}]
    with pytest.raises(services.PermissionDenied):
        services.nominate(officer, event, organisation, people, consent=True)
    contact.user = officer
    contact.save()
    services.nominate(officer, event, organisation, people, consent=True)
    with pytest.raises(services.PermissionDenied):
        services.nominate(officer, event, other, people, consent=True)


def test_one_person_record_across_events(setup, event, participants, project, countries):
    second = make_event("Study visit", projects=[project], country=countries["RS"])
    RegistrationForm.objects.create(event=second, is_open=True)
    one = sign_up(participants[0], event)
    two = sign_up(participants[0], second)
    assert one.person_id == two.person_id
    assert Person.objects.get(pk=one.person_id).user == participants[0]


def test_registering_never_links_an_existing_contact_with_the_same_e_mail(
    setup, event, participants, contact
):
    """The account has not proved it owns the address (issue 13): it gets a person of its own."""
    user = participants[0]
    user.email = contact.email
    user.save()
    registration = sign_up(user, event)
    assert registration.person != contact and registration.person.user == user
    contact.refresh_from_db()
    assert contact.user is None


def test_follow_up_form_is_for_approved_participants_and_their_answers(
    setup, event, participants, manager
):
    visa = Question.objects.create(
        form=setup, stage=Stage.FOLLOW_UP, label="Passport number", required=True
    )
    approved = sign_up(participants[0], event)
    with pytest.raises(services.RegistrationRefused):
        services.submit_follow_up(participants[0], approved, {visa.key: "X1"})
    services.request_follow_up(manager, approved)
    with pytest.raises(services.PermissionDenied):
        services.submit_follow_up(participants[1], approved, {visa.key: "X1"})
    with pytest.raises(services.RegistrationRefused):
        services.submit_follow_up(participants[0], approved, {})
    services.submit_follow_up(participants[0], approved, {visa.key: "X1234567"})
    approved.refresh_from_db()
    assert approved.follow_up_answers[visa.key]["answer"] == "X1234567"
    entry = AuditEntry.objects.get(action="registration.follow_up_submitted")
    assert "X1234567" not in str(entry.changes)


def test_register_needs_a_signed_in_user(setup, event):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(services.PermissionDenied):
        services.register(AnonymousUser(), event, person_data(), {}, True)
