"""Who may do what with an event. Views ask these, never roles directly.

Each check returns ``(allowed, reason)``. Organisers, the managers of the event's projects and
the secretariat manage an event; they alone see its participants and check them in.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from liaison.core.models import Role
from liaison.directory.models import Organisation, Person
from liaison.directory.permissions import can_see_contact_details
from liaison.directory.scopes import administered_organisations, network_secretariats, signed_in

from .models import Event, Registration, RegistrationStatus


def can_create_event(user) -> tuple[bool, str]:
    if not signed_in(user):
        return False, _("Sign in to create events.")
    if user.is_secretariat or user.role == Role.PROJECT_MANAGER:
        return True, ""
    if network_secretariats(user).exists():
        return True, ""  # for their network only: services.save_event holds them to it
    return False, _(
        "Only the secretariat, project managers and a network's secretariat create events."
    )


def can_manage_event(user, event) -> tuple[bool, str]:
    """The secretariat manages every event; a project manager the events they organise or
    whose project they manage; a network's secretariat (``directory.scopes``) the network's
    events. A staff viewer listed by mistake still only reads."""
    if not signed_in(user):
        return False, _("Sign in to manage this event.")
    if user.is_secretariat:
        return True, ""
    if event.network_id and network_secretariats(user).filter(pk=event.network_id).exists():
        return True, ""
    if user.role == Role.PROJECT_MANAGER and (
        event.organisers.filter(pk=user.pk).exists()
        or event.projects.filter(managers=user).exists()
    ):
        return True, ""
    return False, _(
        "Only the event's organisers, its projects' managers, its network's secretariat and "
        "the secretariat may do this."
    )


def can_see_participants(user, event) -> tuple[bool, str]:
    return can_manage_event(user, event)


def can_check_in(user, event) -> tuple[bool, str]:
    return can_manage_event(user, event)


def can_see_online_link(user, event) -> tuple[bool, str]:
    """Approved participants and those who manage the event see the online link."""
    if signed_in(user):
        approved = Registration.objects.filter(
            event=event, user=user, status=RegistrationStatus.APPROVED
        ).exists()
        if approved or can_manage_event(user, event)[0]:
            return True, ""
    return False, _("The link is sent to approved participants.")


def can_see_report(user, event) -> tuple[bool, str]:
    """The report holds figures and no names: whoever may read a published event reads its
    report; a draft's report is for those who manage the event."""
    if event.published or can_manage_event(user, event)[0]:
        return True, ""
    return False, _("The report of an unpublished event is shown to its organisers only.")


def online_link_events(user):
    """The events whose online links ``user`` may see: ``can_see_online_link`` for a whole list."""
    if not signed_in(user):
        return Event.objects.none()
    approved = Registration.objects.filter(user=user, status=RegistrationStatus.APPROVED)
    managed = Event.objects.managed_by(user)
    return Event.objects.filter(Q(pk__in=approved.values("event")) | Q(pk__in=managed.values("pk")))


def _is_registrant(user, registration, token: str = "") -> bool:
    """The person registered: signed in to the account registered, or holding the secret link
    from their e-mail (a nominee may have no account at all)."""
    if token and token == registration.token:
        return True
    return signed_in(user) and registration.user_id == user.pk


def can_cancel(user, registration, token: str = "") -> tuple[bool, str]:
    """The registrant (signed in, or holding the link from their e-mail) or a manager."""
    if _is_registrant(user, registration, token):
        return True, ""
    if signed_in(user) and can_manage_event(user, registration.event)[0]:
        return True, ""
    return False, _("Only the participant or the event's organisers may cancel this registration.")


def can_update_answers(user, registration, token: str = "") -> tuple[bool, str]:
    """The registrant alone, as for cancelling. The answers are theirs to give (needs, dietary
    and accessibility wishes, consent-like choices): an organiser who changed them would be
    speaking for the participant, so organisers read them and do not edit them."""
    if _is_registrant(user, registration, token):
        return True, ""
    return False, _("Only the participant may change the answers of this registration.")


def can_nominate(user, event, organisation) -> tuple[bool, str]:
    """A person of an institution nominates its officers; those who manage the event anyone."""
    if not signed_in(user):
        return False, _("Sign in to nominate officers.")
    if can_manage_event(user, event)[0]:
        return True, ""
    if organisation is not None and nominating_organisations(user).filter(pk=organisation.pk):
        return True, ""
    return False, _("You may nominate officers of your own institution only.")


def nominating_organisations(user):
    """The institutions ``user`` nominates for, without managing the event: the one they are
    listed in, and those they administer."""
    if not signed_in(user):
        return Organisation.objects.none()
    person = getattr(user, "person", None)
    listed = Q(pk=person.organisation_id) if person and person.organisation_id else Q(pk=None)
    return Organisation.objects.filter(listed | Q(pk__in=administered_organisations(user)))


def can_edit_knowledge(user, item=None) -> tuple[bool, str]:
    """The secretariat and project managers record lessons; an item is edited by its author."""
    allowed, why = can_create_event(user)
    if not allowed:
        return False, _("Only the secretariat and project managers record lessons and practices.")
    if item is None or item.pk is None or user.is_secretariat or item.created_by_id == user.pk:
        return True, ""
    return False, _("Only the author and the secretariat may edit this item.")


def can_see_person(user, person) -> tuple[bool, str]:
    """A person's history is personal data: their own page, staff, and the administrators of
    the person's institution (``directory.permissions``)."""
    if signed_in(user) and can_see_contact_details(user, person)[0]:
        return True, ""
    return False, _(
        "A person's page is shown to that person, their institution's administrators and staff."
    )


def people_seen_by(user):
    """The people whose page ``user`` may open: ``can_see_person`` for a whole list, to use as
    a subquery so a list of people costs no query per row."""
    if not signed_in(user):
        return Person.objects.none()
    return Person.objects.visible_to(user)
