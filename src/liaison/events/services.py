"""Writes to events: the event and its parts, registration, attendance, erasure.

Every write takes the acting user and plain values, runs in one transaction, asks the named
permission checks, leaves an audit entry for decisions about people, and sends e-mails only
after the transaction commits. Registration rules live here, not in views.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core.models import Role
from liaison.directory.models import OrganisationType, Person
from liaison.directory.scopes import network_secretariats
from liaison.directory.services import create_person_for_account

from . import permissions
from .models import (
    ACTIVE,
    Attendance,
    Event,
    Question,
    QuestionKind,
    Registration,
    RegistrationForm,
    RegistrationStatus,
    Sex,
    Stage,
)

logger = logging.getLogger(__name__)

EVENT_FIELDS = [
    "title",
    "type",
    "description",
    "network",
    "parent",
    "mode",
    "venue",
    "city",
    "country",
    "timezone",
    "start",
    "end",
    "online_url",
    "published",
    "synopsis",
    "minutes",
]
FORM_FIELDS = [
    "is_open",
    "opens_at",
    "closes_at",
    "capacity",
    "waiting_list",
    "needs_approval",
    "allow_nominations",
    "consent_text",
    "retention_days",
    "publish_list",
    "follow_up_intro",
]
PERSONAL_FIELDS = {"name": "", "email": "", "position": "", "organisation_name": ""}


class PermissionDenied(Exception):
    """The actor may not do this; the message says why."""


class RegistrationRefused(Exception):
    """A registration (or a change to one) breaks a rule; the message says which."""


def _require(check: tuple[bool, str]):
    allowed, why = check
    if not allowed:
        raise PermissionDenied(why)


# Events and their parts ----------------------------------------------------------------------


def _event_snapshot(event: Event) -> dict:
    values = {name: getattr(event, name) for name in EVENT_FIELDS}
    if event.pk:
        values["projects"] = [str(p) for p in event.projects.all()]
        values["organisers"] = [u.get_username() for u in event.organisers.all()]
    return values


def linkable_projects(user, projects):
    """The projects a user may attach an event to: all for the secretariat, else their own."""
    if getattr(user, "is_secretariat", False):
        return projects
    return projects.filter(managers=user)


@transaction.atomic
def save_event(
    actor, event: Event | None, fields: dict, *, projects=None, organisers=None, reason=""
) -> Event:
    """Create an event (``event=None``) or change one, with an audit entry.

    A project manager may only attach the event to projects they manage; the creator becomes
    an organiser.
    """
    from liaison.portfolio.models import Project

    created = event is None or event.pk is None
    if created:
        _require(permissions.can_create_event(actor))
        event = event or Event()
        before = {}
    else:
        _require(permissions.can_manage_event(actor, event))
        before = _event_snapshot(Event.objects.get(pk=event.pk))
    if projects is not None:
        projects = list(projects)
        allowed = set(
            linkable_projects(actor, Project.objects.filter(pk__in=[p.pk for p in projects]))
        )
        kept = set() if created else set(event.projects.all())
        refused = [p for p in projects if p not in allowed and p not in kept]
        if refused:
            raise PermissionDenied(
                _("You may only link events to projects you manage: %(projects)s.")
                % {"projects": ", ".join(str(p) for p in refused)}
            )
    for name, value in fields.items():
        setattr(event, name, value)
    _require_own_network(actor, event)
    if created:
        event.created_by = actor
    event.full_clean()
    event.save()
    if projects is not None:
        event.projects.set(projects)
    if organisers is not None:
        event.organisers.set(organisers)
    if created and actor.role in (Role.SECRETARIAT, Role.PROJECT_MANAGER):
        event.organisers.add(actor)
    changes = audit.diff(before, _event_snapshot(event))
    if changes:
        audit.record(actor, "event.created" if created else "event.updated", event, changes, reason)
    return event


def _require_own_network(actor, event):
    """One who creates and manages events only as a network's secretariat keeps them in
    their network: an event moved out of it would be one they no longer manage."""
    if actor.is_secretariat or actor.role == Role.PROJECT_MANAGER:
        return
    if event.network_id is None or not network_secretariats(actor).filter(pk=event.network_id):
        raise PermissionDenied(_("Choose a network whose secretariat you are."))


@transaction.atomic
def save_part(actor, event: Event, obj, *, relations: dict | None = None):
    """Save a session, talk, speaker, decision or follow-up action of an event."""
    _require(permissions.can_manage_event(actor, event))
    created = obj.pk is None
    obj.full_clean()
    obj.save()
    for name, values in (relations or {}).items():
        getattr(obj, name).set(values)
    action = f"{obj._meta.model_name}.{'created' if created else 'updated'}"
    audit.record(actor, action, obj, {"event": event.pk})
    return obj


@transaction.atomic
def delete_part(actor, event: Event, obj):
    _require(permissions.can_manage_event(actor, event))
    audit.record(actor, f"{obj._meta.model_name}.deleted", obj, {"event": event.pk})
    obj.delete()


# Registration form ---------------------------------------------------------------------------


@transaction.atomic
def configure_registration(
    actor, event: Event, fields: dict, questions: list[dict] | None = None
) -> RegistrationForm:
    """Set up (or change) the event's registration form and its questions.

    ``questions`` holds dicts of Question fields; ``instance`` names an existing question,
    ``delete`` removes it. Raising the capacity promotes people from the waiting list.
    """
    _require(permissions.can_manage_event(actor, event))
    form = RegistrationForm.objects.select_for_update().filter(event=event).first()
    before = {name: getattr(form, name) for name in FORM_FIELDS} if form else {}
    form = form or RegistrationForm(event=event)
    for name, value in fields.items():
        setattr(form, name, value)
    form.full_clean()
    form.save()
    for row in questions or []:
        row = dict(row)
        instance = row.pop("instance", None)
        delete = row.pop("delete", False)
        if instance is not None and instance.form_id != form.pk:
            raise PermissionDenied(_("That question belongs to another event."))
        if delete:
            if instance is not None:
                instance.delete()
            continue
        question = instance or Question(form=form)
        for name, value in row.items():
            setattr(question, name, value)
        question.full_clean()
        question.save()
    changes = audit.diff(before, {name: getattr(form, name) for name in FORM_FIELDS})
    changes["questions"] = [q.label for q in form.questions.all()]
    audit.record(actor, "registration_form.saved", form, changes)
    _fill_places(actor, form)
    return form


def clean_answers(questions, answers: dict) -> dict:
    """Check answers (keyed ``q<id>``) against the questions; return them keyed by label too.

    Raises ``RegistrationRefused`` naming the first answer that is missing or not allowed.
    """
    cleaned = {}
    for question in questions:
        value = answers.get(question.key)
        if isinstance(value, str):
            value = value.strip()
        empty = value in (None, "", [])
        if empty:
            if question.required and question.kind != QuestionKind.YES_NO:
                raise RegistrationRefused(
                    _("Answer the question “%(label)s”.") % {"label": question.label}
                )
            if question.kind == QuestionKind.YES_NO:
                value = False
            else:
                continue
        if question.kind == QuestionKind.CHOICE and value not in question.choice_list:
            raise RegistrationRefused(
                _("Choose one of the answers offered to “%(label)s”.") % {"label": question.label}
            )
        if question.kind == QuestionKind.NUMBER:
            try:
                value = float(value)
            except (TypeError, ValueError):
                raise RegistrationRefused(
                    _("Answer “%(label)s” with a number.") % {"label": question.label}
                ) from None
        if question.kind == QuestionKind.YES_NO:
            value = value in (True, "True", "true", "on", "yes", "1")
            if question.required and not value:
                raise RegistrationRefused(
                    _("“%(label)s” must be accepted.") % {"label": question.label}
                )
        cleaned[question.key] = {"question": question.label, "answer": value}
    return cleaned


# Registration --------------------------------------------------------------------------------


def _person_for(data: dict, user=None) -> tuple[Person, bool]:
    """The directory person a registration is for.

    Registering oneself (``user`` given) means one's own person: the one linked to the account,
    or a new one created for it. An existing person is never attached to the account on the
    strength of an e-mail address typed in a form, since the account has not proved it owns
    that address. A nomination (no ``user``) is a registration *of* the person with that
    e-mail, found or created, and never changes who their account is.
    """
    if user is not None:
        person = Person.objects.filter(user=user).first()
        if person is not None:
            return person, False
        person = create_person_for_account(
            user,
            user,
            name=data["name"],
            email=(data.get("email") or "").strip(),
            position=data.get("position", ""),
            organisation=data.get("organisation"),
        )
        return person, True
    email = (data.get("email") or "").strip()
    person = Person.objects.filter(email__iexact=email).order_by("pk").first() if email else None
    if person is not None:
        return person, False
    person = Person.objects.create(
        name=data["name"],
        email=email,
        position=data.get("position", ""),
        organisation=data.get("organisation"),
        is_contact_point=False,
    )
    return person, True


def _own_email(actor, data: dict) -> None:
    """Refuse a self-registration under an e-mail address that is not the account's own."""
    typed = (data.get("email") or "").strip().lower()
    person = Person.objects.filter(user=actor).only("email").first()
    own = {
        address.strip().lower()
        for address in (actor.email, person.email if person else "")
        if address and address.strip()
    }
    if own and typed not in own:
        raise RegistrationRefused(
            _(
                "You register yourself with your own e-mail address (%(email)s). To register "
                "someone else, ask the organisers or the focal point of their institution to "
                "nominate them."
            )
            % {"email": ", ".join(sorted(own))}
        )


def _locked_form(event: Event) -> RegistrationForm | None:
    # Locking the form row serialises registrations of one event, so capacity holds.
    return RegistrationForm.objects.select_for_update().filter(event_id=event.pk).first()


def _new_registration(
    actor, event, form, data: dict, answers: dict, now, *, self_service, nominated_by_org=None
) -> Registration:
    name = (data.get("name") or "").strip()
    email = (data.get("email") or "").strip()
    if not name or not email:
        raise RegistrationRefused(_("Give the participant's name and e-mail."))
    sex = data.get("sex") or Sex.NOT_STATED
    if sex not in Sex.values:
        raise RegistrationRefused(_("Choose one of the options offered for sex."))
    institution_type = data.get("institution_type") or ""
    organisation = data.get("organisation")
    if organisation is not None:
        institution_type = institution_type or organisation.type
    if institution_type and institution_type not in OrganisationType.values:
        raise RegistrationRefused(_("Choose one of the institution types offered."))
    questions = form.questions.filter(stage=Stage.REGISTRATION)
    cleaned = clean_answers(questions, answers)
    person, person_created = _person_for(data, actor if self_service else None)
    duplicate = Registration.objects.filter(event=event, status__in=ACTIVE).filter(
        Q(person=person) | Q(email__iexact=email)
    )
    if duplicate.exists():
        raise RegistrationRefused(
            _("%(name)s is already registered for this event.") % {"name": name}
        )
    taken = Registration.objects.filter(event=event).holding_place().count()
    if form.capacity is not None and taken >= form.capacity:
        if not form.waiting_list:
            raise RegistrationRefused(_("The event is full."))
        status = RegistrationStatus.WAITLISTED
    elif form.needs_approval:
        status = RegistrationStatus.PENDING
    else:
        status = RegistrationStatus.APPROVED
    registration = Registration.objects.create(
        event=event,
        person=person,
        person_created=person_created,
        user=actor if self_service else person.user,
        nominated_by=None if self_service else actor,
        nominated_by_organisation=nominated_by_org,
        name=name,
        email=email,
        position=data.get("position", ""),
        organisation=organisation,
        organisation_name=data.get("organisation_name", "") if organisation is None else "",
        country=data.get("country") or (organisation.country if organisation else None),
        institution_type=institution_type,
        sex=sex,
        status=status,
        answers=cleaned,
        consent_given_at=now,
        consent_text=form.consent_text,
        publish_consent=bool(data.get("publish_consent")),
        decided_at=now if status == RegistrationStatus.APPROVED else None,
    )
    audit.record(
        actor,
        "registration.created" if self_service else "registration.nominated",
        registration,
        {"event": event.pk, "status": status},
    )
    _email_after_commit(registration, "registered")
    return registration


@transaction.atomic
def register(
    actor, event: Event, person: dict, answers: dict, consent: bool, *, now=None
) -> Registration:
    """Register the signed-in ``actor`` for ``event``.

    ``person`` holds name, e-mail, position, organisation (or organisation_name), country,
    institution_type, sex and publish_consent. The result is approved, waiting for approval,
    or on the waiting list when the event is full; ``RegistrationRefused`` says why not.
    """
    now = now or timezone.now()
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to register."))
    form = _locked_form(event)
    if form is None:
        raise RegistrationRefused(_("Registration for this event is not open."))
    reason = form.refusal(now)
    if reason:
        raise RegistrationRefused(reason)
    if not consent:
        raise RegistrationRefused(
            _("Registration needs your consent to the use of your personal data.")
        )
    if Registration.objects.filter(event=event, user=actor, status__in=ACTIVE).exists():
        raise RegistrationRefused(_("You are already registered for this event."))
    _own_email(actor, person)
    return _new_registration(actor, event, form, person, answers, now, self_service=True)


@transaction.atomic
def nominate(
    actor, event: Event, organisation, people: list[dict], consent: bool, *, now=None
) -> list[Registration]:
    """An institution nominates its officers; all are registered or, if one is refused, none.

    ``consent`` confirms the nominees agreed to the use of their personal data.
    """
    now = now or timezone.now()
    _require(permissions.can_nominate(actor, event, organisation))
    form = _locked_form(event)
    if form is None:
        raise RegistrationRefused(_("Registration for this event is not open."))
    reason = form.refusal(now)
    if reason:
        raise RegistrationRefused(reason)
    if not form.allow_nominations:
        raise RegistrationRefused(_("This event does not take nominations."))
    if not consent:
        raise RegistrationRefused(
            _("Confirm that the nominees agreed to the use of their personal data.")
        )
    if not people:
        raise RegistrationRefused(_("Nominate at least one officer."))
    registrations = []
    for data in people:
        data = {"organisation": organisation, **data}
        registrations.append(
            _new_registration(
                actor,
                event,
                form,
                data,
                data.get("answers", {}),
                now,
                self_service=False,
                nominated_by_org=organisation,
            )
        )
    return registrations


def _locked(registration: Registration) -> Registration:
    return Registration.objects.select_for_update().select_related("event").get(pk=registration.pk)


def _fill_places(actor, form: RegistrationForm, now=None) -> list[Registration]:
    """Promote from the waiting list, first come first served, while places are free."""
    now = now or timezone.now()
    promoted = []
    taken = Registration.objects.filter(event_id=form.event_id).holding_place().count()
    free = None if form.capacity is None else form.capacity - taken
    for registration in Registration.objects.filter(event_id=form.event_id).waiting():
        if free is not None and free <= 0:
            break
        registration.status = (
            RegistrationStatus.PENDING if form.needs_approval else RegistrationStatus.APPROVED
        )
        registration.decided_at = now if not form.needs_approval else None
        registration.save(update_fields=["status", "decided_at"])
        audit.record(
            actor,
            "registration.promoted",
            registration,
            {"status": [RegistrationStatus.WAITLISTED, registration.status]},
        )
        _email_after_commit(registration, "promoted")
        promoted.append(registration)
        if free is not None:
            free -= 1
    return promoted


@transaction.atomic
def cancel(
    actor, registration: Registration, *, token: str = "", reason: str = "", now=None
) -> Registration | None:
    """Cancel a registration; a freed place goes to the first person on the waiting list.

    Returns the promoted registration, if any.
    """
    now = now or timezone.now()
    form = _locked_form(registration.event)
    registration = _locked(registration)
    _require(permissions.can_cancel(actor, registration, token))
    if not registration.is_active:
        raise RegistrationRefused(_("This registration is no longer active."))
    old = registration.status
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    audit.record(
        actor,
        "registration.cancelled",
        registration,
        {"status": [old, RegistrationStatus.CANCELLED]},
        reason,
    )
    _email_after_commit(registration, "cancelled")
    if form is not None and old in (RegistrationStatus.PENDING, RegistrationStatus.APPROVED):
        promoted = _fill_places(actor, form, now)
        return promoted[0] if promoted else None
    return None


def registration_questions(event: Event) -> list[Question]:
    """The questions the event asks on registration, in their order.

    Read from ``form.questions.all()`` so that a list which prefetched them (the participant's
    own registrations) asks the database nothing more per row.
    """
    form = event.registration_form
    if form is None:
        return []
    return [q for q in form.questions.all() if q.stage == Stage.REGISTRATION]


def answers_refusal(registration: Registration, now=None) -> str:
    """Why the registrant cannot change their answers at ``now``, or an empty string.

    The answers stay open until the event starts, not only until the registration deadline:
    the deadline (or an organiser closing the form) limits new places, whereas the answers are
    what the organisers prepare the event with (needs, arrival, dietary and accessibility
    wishes), and a participant who may still withdraw after the deadline should be able to
    correct them too. Once the event has started the organisers have acted on the answers, so
    they stay as they were then. A cancelled or turned-down registration is closed, and so is
    one whose personal data was erased.
    """
    now = now or timezone.now()
    if not registration.is_active or registration.erased_at:
        return _("This registration is no longer active, so its answers cannot be changed.")
    if now >= registration.event.start:
        return _("The event has started, so the answers can no longer be changed.")
    if not registration_questions(registration.event):
        return _("This event asks no questions on registration.")
    return ""


@transaction.atomic
def update_answers(
    actor, registration: Registration, answers: dict, *, token: str = "", now=None
) -> Registration:
    """The registrant's new answers to the registration questions (keyed ``q<id>``).

    The registrant alone may do this (``permissions.can_update_answers``), while
    ``answers_refusal`` is empty. The answers are checked as on registration
    (``clean_answers``: required questions stay required), and only the questions asked on
    registration are kept, so follow-up answers cannot be slipped in here and answers to
    questions the organisers have since removed are dropped. All or nothing: a refused answer
    leaves the registration as it was.
    """
    now = now or timezone.now()
    registration = _locked(registration)
    _require(permissions.can_update_answers(actor, registration, token))
    refusal = answers_refusal(registration, now)
    if refusal:
        raise RegistrationRefused(refusal)
    cleaned = clean_answers(registration_questions(registration.event), answers)
    before = registration.answers or {}
    changed = [
        (cleaned.get(key) or before.get(key) or {}).get("question", key)
        for key in sorted(set(before) | set(cleaned))
        if before.get(key) != cleaned.get(key)
    ]
    if not changed:
        return registration
    registration.answers = cleaned
    registration.save(update_fields=["answers"])
    # The answers are personal data: the entry names the questions answered anew, not the
    # answers, since the audit trail outlives the erasure of registrations.
    audit.record(actor, "registration.answers_updated", registration, {"questions": changed})
    return registration


def _decide(actor, registration, allowed_from, new_status, action, reason, now, *, check=None):
    now = now or timezone.now()
    form = _locked_form(registration.event)
    registration = _locked(registration)
    _require(permissions.can_manage_event(actor, registration.event))
    if registration.status not in allowed_from:
        raise RegistrationRefused(
            _("A registration that is “%(status)s” cannot be changed this way.")
            % {"status": registration.get_status_display()}
        )
    changes = {"status": [registration.status, new_status]}
    fields = ["status", "decided_at"]
    if check is not None:
        # Further rules of this decision, asked once the rows are locked.
        extra = check(form, registration)
        for name, value in extra.items():
            changes[name] = [getattr(registration, name), value]
            setattr(registration, name, value)
            fields.append(name)
    old = registration.status
    registration.status = new_status
    registration.decided_at = now
    registration.save(update_fields=fields)
    audit.record(actor, action, registration, changes, reason)
    _email_after_commit(registration, new_status)
    if form is not None and old == RegistrationStatus.PENDING:
        _fill_places(actor, form, now)
    return registration


@transaction.atomic
def approve(actor, registration: Registration, reason: str = "", *, now=None) -> Registration:
    """Approve a registration waiting for approval."""
    return _decide(
        actor,
        registration,
        [RegistrationStatus.PENDING],
        RegistrationStatus.APPROVED,
        "registration.approved",
        reason,
        now,
    )


@transaction.atomic
def promote(actor, registration: Registration, reason: str = "", *, now=None) -> Registration:
    """Give a place to someone on the waiting list.

    Within the capacity no reason is needed. When the event is full the organiser may still
    give the place on purpose, but only with a reason: it is kept on the registration (the
    participant list shows "over capacity: <reason>") and in the audit trail.
    """
    reason = (reason or "").strip()

    def within_capacity(form, registration):
        refusal = form.full_refusal(excluding=registration) if form is not None else ""
        if not refusal:
            return {}
        if not reason:
            raise RegistrationRefused(refusal)
        return {"over_capacity_reason": reason[:500]}

    return _decide(
        actor,
        registration,
        [RegistrationStatus.WAITLISTED],
        RegistrationStatus.APPROVED,
        "registration.promoted",
        reason,
        now,
        check=within_capacity,
    )


@transaction.atomic
def reject(actor, registration: Registration, reason: str = "", *, now=None) -> Registration:
    """Turn down a registration waiting for approval or on the waiting list."""
    return _decide(
        actor,
        registration,
        [RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED],
        RegistrationStatus.REJECTED,
        "registration.rejected",
        reason,
        now,
    )


# After approval: the follow-up form ----------------------------------------------------------


@transaction.atomic
def request_follow_up(actor, registration: Registration, *, now=None) -> Registration:
    """Ask an approved participant for the follow-up form (travel and visa details, ...)."""
    registration = _locked(registration)
    _require(permissions.can_manage_event(actor, registration.event))
    if registration.status != RegistrationStatus.APPROVED:
        raise RegistrationRefused(_("Only approved participants are asked for the follow-up."))
    form = registration.event.registration_form
    if form is None or not form.questions.filter(stage=Stage.FOLLOW_UP).exists():
        raise RegistrationRefused(_("Add follow-up questions to the registration form first."))
    registration.follow_up_requested_at = now or timezone.now()
    registration.save(update_fields=["follow_up_requested_at"])
    audit.record(actor, "registration.follow_up_requested", registration)
    _email_after_commit(registration, "follow_up")
    return registration


@transaction.atomic
def submit_follow_up(
    actor, registration: Registration, answers: dict, *, token: str = "", now=None
) -> Registration:
    """The participant's answers to the follow-up form, seen by the organisers only."""
    registration = _locked(registration)
    own = token and token == registration.token
    own = own or (getattr(actor, "is_authenticated", False) and registration.user_id == actor.pk)
    if not own:
        raise PermissionDenied(_("Only the participant answers the follow-up form."))
    if (
        registration.status != RegistrationStatus.APPROVED
        or not registration.follow_up_requested_at
    ):
        raise RegistrationRefused(_("No follow-up form is waiting for this registration."))
    questions = registration.event.registration_form.questions.filter(stage=Stage.FOLLOW_UP)
    registration.follow_up_answers = clean_answers(questions, answers)
    registration.follow_up_submitted_at = now or timezone.now()
    registration.save(update_fields=["follow_up_answers", "follow_up_submitted_at"])
    # The answers are personal data: the audit entry notes the fact, not the content.
    audit.record(actor, "registration.follow_up_submitted", registration)
    return registration


# Attendance ----------------------------------------------------------------------------------


@transaction.atomic
def set_attendance(
    actor, registration: Registration, present: bool, *, session=None, day=None, now=None
) -> bool:
    """Check an approved participant in to a session or a day (or undo it); returns presence.

    Only within the event's check-in window (``Event.check_in_window``), so nobody is marked
    present months before the event by a slip of the finger.
    """
    event = registration.event
    _require(permissions.can_check_in(actor, event))
    refusal = event.check_in_refusal(now or timezone.now())
    if refusal:
        raise RegistrationRefused(refusal)
    if (session is None) == (day is None):
        raise RegistrationRefused(_("Choose a session or a day."))
    if session is not None and session.event_id != event.pk:
        raise RegistrationRefused(_("That session belongs to another event."))
    if day is not None and day not in event.days:
        raise RegistrationRefused(_("The event does not take place on that day."))
    if registration.status != RegistrationStatus.APPROVED:
        raise RegistrationRefused(_("Only approved participants are checked in."))
    where = {"session": session} if session is not None else {"day": day}
    existing = Attendance.objects.filter(registration=registration, **where)
    if present and not existing.exists():
        Attendance.objects.create(registration=registration, checked_in_by=actor, **where)
    elif not present:
        existing.delete()
    return present


def attendance_counts(event: Event) -> dict:
    """Participants by country, institution type and sex, from one aggregated query.

    ``registered`` counts approved registrations (cancelled ones are left out), ``attended``
    those checked in at least once. Erased registrations still count.
    """
    attended = Exists(Attendance.objects.filter(registration=OuterRef("pk")))
    rows = list(
        Registration.objects.filter(event=event)
        .filter(Q(status=RegistrationStatus.APPROVED) | Q(attended))
        .values("country__code", "country__name", "institution_type", "sex")
        .annotate(
            registered=Count("pk", filter=Q(status=RegistrationStatus.APPROVED)),
            attended=Count("pk", filter=Q(attended)),
        )
        .order_by()
    )
    type_labels = dict(OrganisationType.choices)
    sex_labels = dict(Sex.choices)

    def by(key, label):
        totals = {}
        for row in rows:
            name = label(row)
            entry = totals.setdefault(
                row[key] or "", {"label": name, "registered": 0, "attended": 0}
            )
            entry["registered"] += row["registered"]
            entry["attended"] += row["attended"]
        return sorted(
            totals.values(), key=lambda e: (-e["attended"], -e["registered"], str(e["label"]))
        )

    unknown = _("Not stated")
    return {
        "registered": sum(r["registered"] for r in rows),
        "attended": sum(r["attended"] for r in rows),
        "by_country": by("country__code", lambda r: r["country__name"] or unknown),
        "by_institution_type": by(
            "institution_type", lambda r: type_labels.get(r["institution_type"], unknown)
        ),
        "by_sex": by("sex", lambda r: sex_labels.get(r["sex"], unknown)),
    }


# Privacy: erasure after the retention period -------------------------------------------------


def erase_registrations(registrations, now) -> None:
    """Blank the personal data of ``registrations`` (a list), keeping what the counts need:
    country, institution type, sex, status and attendance. The caller holds the transaction."""
    for registration in registrations:
        for name, blank in PERSONAL_FIELDS.items():
            setattr(registration, name, blank)
        registration.person = None
        registration.user = None
        registration.nominated_by = None
        registration.organisation = None
        registration.answers = {}
        registration.follow_up_answers = {}
        registration.publish_consent = False
        registration.erased_at = now
    Registration.objects.bulk_update(
        registrations,
        [
            *PERSONAL_FIELDS,
            "person",
            "user",
            "nominated_by",
            "organisation",
            "answers",
            "follow_up_answers",
            "publish_consent",
            "erased_at",
        ],
    )


@transaction.atomic
def erase_expired_registrations(now=None) -> int:
    """Erase the personal data of registrations whose retention period has ended.

    Name, e-mail, position, answers and the link to the person go; a person created only for
    such registrations (no account, no contact point, no other registration, no speaker role)
    is deleted. Country, institution type, sex, status and attendance remain for the counts.
    """
    now = now or timezone.now()
    erased = 0
    forms = RegistrationForm.objects.select_related("event").filter(
        event__registrations__erased_at__isnull=True
    )
    for form in forms.distinct():
        if form.event.end + datetime.timedelta(days=form.retention_days) > now:
            continue
        registrations = list(form.event.registrations.filter(erased_at__isnull=True))
        people = {r.person_id for r in registrations if r.person_created and r.person_id}
        erase_registrations(registrations, now)
        Person.objects.filter(
            pk__in=people,
            user__isnull=True,
            is_contact_point=False,
            registrations__isnull=True,
            speaker_roles__isnull=True,
        ).delete()
        audit.record(
            None,
            "event.participants_erased",
            form.event,
            {"registrations": len(registrations)},
            _("Retention period of %(days)s days ended.") % {"days": form.retention_days},
        )
        erased += len(registrations)
    return erased


# Knowledge -----------------------------------------------------------------------------------


@transaction.atomic
def save_knowledge_item(actor, item, fields: dict, themes=None):
    _require(permissions.can_edit_knowledge(actor, item))
    created = item.pk is None
    for name, value in fields.items():
        setattr(item, name, value)
    if created:
        item.created_by = actor
    item.full_clean()
    item.save()
    if themes is not None:
        item.themes.set(themes)
    audit.record(actor, "knowledge.created" if created else "knowledge.updated", item)
    return item


# E-mail --------------------------------------------------------------------------------------


def _email_after_commit(registration: Registration, kind: str):
    pk = registration.pk
    transaction.on_commit(lambda: send_registration_email(pk, kind))


def send_registration_email(registration_pk: int, kind: str):
    """Tell the participant where their registration stands, with the link to manage it."""
    registration = Registration.objects.select_related("event").filter(pk=registration_pk).first()
    if registration is None or not registration.email:
        return
    context = {
        "registration": registration,
        "event": registration.event,
        "kind": kind,
        "link": settings.SITE_URL + registration.get_absolute_url(),
    }
    subject = _("%(event)s: %(status)s") % {
        "event": registration.event.title[:120],
        "status": registration.get_status_display(),
    }
    body = render_to_string("events/email/registration.txt", context)
    try:
        send_mail(subject, body, None, [registration.email])
    except (OSError, ValidationError):
        # The registration stands; a lost e-mail must not undo it.
        logger.exception("Could not send the registration e-mail %s", registration_pk)
