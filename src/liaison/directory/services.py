"""Writes to the directory that concern who a person is.

The link between an account and a directory person decides whose enrolments, results and
certificates an account sees, so it is made or changed only here, in the caller's transaction,
with an audit entry. Nothing links an account to an existing person on an e-mail address the
account has not proved it owns: a self-service path only ever creates a new person for the
account, and an existing person is linked by the secretariat (the admin) or, later, by an
invitation the person accepts.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from liaison.core import audit

from .models import Person


@transaction.atomic
def create_person_for_account(actor, user, **fields) -> Person:
    """A new directory person for ``user``, who has none yet (registering themselves)."""
    person = Person.objects.create(user=user, is_contact_point=False, **fields)
    audit.record(
        actor,
        "person.account_linked",
        person,
        {"user": [None, user.get_username()]},
        reason="created for the account when it registered itself",
    )
    return person


@transaction.atomic
def link_account(actor, person: Person, user, *, reason: str = "") -> Person:
    """Attach ``user`` to ``person`` (or detach with ``user=None``), audited with both sides."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    old = person.user.get_username() if person.user_id else None
    new = user.get_username() if user is not None else None
    if old == new:
        return person
    person.user = user
    person.save(update_fields=["user"])
    action = "person.account_linked" if user is not None else "person.account_unlinked"
    audit.record(actor, action, person, {"user": [old, new]}, reason=reason)
    return person


@transaction.atomic
def mark_reviewed(actor, organisation):
    """The secretariat has checked an organisation created from a factsheet: it goes public."""
    if not getattr(actor, "is_secretariat", False):
        raise PermissionDenied(_("Only the secretariat reviews organisations."))
    organisation = type(organisation).objects.select_for_update().get(pk=organisation.pk)
    if not organisation.needs_review:
        return organisation
    organisation.needs_review = False
    organisation.save(update_fields=["needs_review"])
    audit.record(actor, "organisation.reviewed", organisation, {"needs_review": [True, False]})
    return organisation
