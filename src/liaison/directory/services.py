"""Writes to the directory that concern who a person is.

The link between an account and a directory person decides whose enrolments, results and
certificates an account sees, so it is made or changed only here, in the caller's transaction,
with an audit entry. Nothing links an account to an existing person on an e-mail address the
account has not proved it owns: a self-service path only ever creates a new person for the
account, and an existing person is linked by the secretariat (the admin) or, later, by an
invitation the person accepts.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core.models import AuditEntry
from liaison.core.permissions import require

from . import duplicates
from .models import Affiliation, Organisation, OrganisationRole, Person, PersonMerge
from .permissions import can_manage_people

# The fields a merge fills on the kept record where it has none and the merged record has one.
FILLED_ON_MERGE = ("position", "organisation", "email", "phone", "user")


class MergeRefused(Exception):
    """The two records cannot be merged as they are; ``problems`` says why, one line each."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


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


@transaction.atomic
def set_role(actor, organisation: Organisation, person: Person, role: str) -> Affiliation:
    """Give ``person`` ``role`` in ``organisation``, or change the role of their open
    membership. Only people listed in the institution (or already members of it) can be given
    a role there, so an administrator never reaches another institution's people."""
    require(can_manage_people(actor, organisation))
    if role not in OrganisationRole.values:
        raise ValidationError(_("Choose one of the roles offered."))
    open_ = Affiliation.objects.select_for_update().filter(
        organisation=organisation, person=person, end__isnull=True
    )
    affiliation = open_.first()
    if affiliation is None:
        if person.organisation_id != organisation.pk:
            raise ValidationError(_("This person is not one of the institution's people."))
        affiliation = Affiliation.objects.create(
            organisation=organisation, person=person, role=role, start=timezone.localdate()
        )
        audit.record(
            actor,
            "affiliation.created",
            affiliation,
            {"role": [None, role], "organisation": organisation.pk, "person": person.pk},
        )
        return affiliation
    if affiliation.role != role:
        _keep_an_administrator(actor, affiliation)
        old = affiliation.role
        affiliation.role = role
        affiliation.save(update_fields=["role"])
        audit.record(
            actor,
            "affiliation.role_changed",
            affiliation,
            {"role": [old, role], "organisation": organisation.pk, "person": person.pk},
        )
    return affiliation


def _keep_an_administrator(actor, affiliation: Affiliation):
    """An administrator does not leave their institution without one (by ending or changing
    their own role, or a colleague's): nobody could then manage its people but the
    secretariat, which may still do so, for example when the last one has left."""
    if affiliation.role != OrganisationRole.ADMINISTRATOR or actor.is_secretariat:
        return
    others = (
        Affiliation.objects.current()
        .filter(organisation=affiliation.organisation_id, role=OrganisationRole.ADMINISTRATOR)
        .exclude(pk=affiliation.pk)
    )
    if not others.exists():
        raise ValidationError(
            _(
                "%(organisation)s would have no administrator: give someone else the role "
                "first, or ask the secretariat."
            )
            % {"organisation": affiliation.organisation.name}
        )


@transaction.atomic
def end_affiliation(actor, affiliation: Affiliation) -> Affiliation | None:
    """End a membership: it held until yesterday, so its rights stop now and its history
    stays. One that began today (or later) never took effect and is removed."""
    affiliation = Affiliation.objects.select_for_update().get(pk=affiliation.pk)
    require(can_manage_people(actor, affiliation.organisation))
    if affiliation.end is not None:
        raise ValidationError(_("This membership has already ended."))
    _keep_an_administrator(actor, affiliation)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    changes = {
        "role": affiliation.role,
        "organisation": affiliation.organisation_id,
        "person": affiliation.person_id,
    }
    if affiliation.start is not None and affiliation.start > yesterday:
        audit.record(actor, "affiliation.removed", affiliation, changes)
        affiliation.delete()
        return None
    affiliation.end = yesterday
    affiliation.save(update_fields=["end"])
    audit.record(
        actor, "affiliation.ended", affiliation, {**changes, "end": [None, str(yesterday)]}
    )
    return affiliation


@transaction.atomic
def merge_people(actor, keep: Person, drop: Person) -> PersonMerge:
    """Make ``drop`` part of ``keep``: every record pointing at ``drop`` moves, then it goes.

    All in one transaction, or nothing: registrations, enrolments (and so their attendance,
    results and certificates), speaker and trainer roles, memberships, audit entries about the
    person, anything any app points at a person with. Blank details of the kept record are
    filled from the merged one. Refused, with the reasons, when the two records collide (both
    registered for one event, both with an account): the secretariat settles those first.
    """
    if not getattr(actor, "is_secretariat", False):
        raise PermissionDenied(_("Only the secretariat merges people."))
    if keep.pk == drop.pk:
        raise MergeRefused([_("A record cannot be merged into itself.")])
    locked = Person.objects.select_for_update().in_bulk([keep.pk, drop.pk])
    if len(locked) != 2:
        raise MergeRefused([_("One of the two records no longer exists.")])
    keep, drop = locked[keep.pk], locked[drop.pk]
    problems = duplicates.collisions(keep, drop)
    if problems:
        raise MergeRefused(problems)

    moved = {}
    for model, name, label in duplicates.references():
        rows = model._default_manager.filter(**{name: drop})
        if model._meta.auto_created:
            # A many-to-many row that ``keep`` already has is the same fact twice.
            other = next(f.name for f in model._meta.fields if f.is_relation and f.name != name)
            held = model._default_manager.filter(**{name: keep}).values(other)
            rows.filter(**{f"{other}__in": held}).delete()
        count = rows.update(**{name: keep})
        if count:
            moved[str(label)] = moved.get(str(label), 0) + count

    filled = {}
    for name in FILLED_ON_MERGE:
        if not getattr(keep, name) and getattr(drop, name):
            filled[name] = [None, audit._plain(getattr(drop, name))]
    history = AuditEntry.objects.filter(
        object_type=Person._meta.label_lower, object_id=str(drop.pk)
    ).update(object_id=str(keep.pk))
    if history:
        moved[str(_("audit entries"))] = history
    merge = PersonMerge.objects.create(
        kept=keep,
        merged_id=drop.pk,
        merged_name=drop.name,
        merged_email=drop.email,
        moved=moved,
        by=actor,
    )
    values = {name: getattr(drop, name) for name in filled}
    drop.delete()
    if values:
        # After the delete: the merged record's account is free to join the kept one.
        for name, value in values.items():
            setattr(keep, name, value)
        keep.save(update_fields=list(values))
    audit.record(
        actor,
        "person.merged",
        keep,
        {"merged": f"#{merge.merged_id} {merge.merged_name}", "moved": moved, **filled},
        reason=_("same person as #%(id)s") % {"id": merge.merged_id},
    )
    return merge
