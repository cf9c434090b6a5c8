"""A person's rights over their data: a copy of it, and erasure, decided by the secretariat.

Erasure anonymises rather than deletes: the person's record stays (so enrolments, attendance
and certificates still count by sex, country and institution type), but nothing in it, or in
the records that hang from it, names or reaches the person any more. An issued certificate
stays verifiable by its code, without the holder's name.
"""

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core.models import AuditEntry, Role
from liaison.directory.models import Affiliation, NetworkAffiliation, Person
from liaison.events import services as events
from liaison.events.models import Registration, Speaker
from liaison.invitations.models import Invitation
from liaison.training.models import Certificate, FocalPoint
from liaison.training.services.player import forget_names

from .models import DataExport, ErasureRequest, ErasureStatus
from .permissions import can_decide_erasure


def erased_name() -> str:
    """What an erased person is called, in the site's default language (it is stored)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Erased person")


def note_export(user, person, format) -> DataExport:
    return DataExport.objects.create(person=person, by=user, format=format)


@transaction.atomic
def request_erasure(user, person, note: str = "") -> ErasureRequest:
    """The person asks to be forgotten; one request waits at a time."""
    if person.user_id != user.pk:
        raise PermissionDenied(_("Only the person can ask for their own data to be erased."))
    try:
        with transaction.atomic():
            request = ErasureRequest.objects.create(person=person, requested_by=user, note=note)
    except IntegrityError:
        raise ValidationError(_("Your request is already with the secretariat.")) from None
    audit.record(user, "person.erasure_requested", request)
    return request


@transaction.atomic
def refuse_erasure(actor, request: ErasureRequest, legal_reason: str) -> ErasureRequest:
    """The secretariat keeps the data for a legal reason, which the person will read."""
    if not can_decide_erasure(actor)[0]:
        raise PermissionDenied(can_decide_erasure(actor)[1])
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ErasureStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if not legal_reason.strip():
        raise ValidationError(_("Give the legal reason for keeping the data."))
    request.status = ErasureStatus.REFUSED
    request.legal_reason = legal_reason.strip()
    request.decided_by, request.decided_at = actor, timezone.now()
    request.save()
    audit.record(actor, "person.erasure_refused", request, reason=request.legal_reason)
    return request


@transaction.atomic
def carry_out_erasure(actor, request: ErasureRequest) -> ErasureRequest:
    """Anonymise the person everywhere, in one transaction, and close the request."""
    if not can_decide_erasure(actor)[0]:
        raise PermissionDenied(can_decide_erasure(actor)[1])
    request = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ErasureStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    erase(actor, request.person, reason=_("erasure request #%(id)s") % {"id": request.pk})
    request.status = ErasureStatus.CARRIED_OUT
    request.note = ""
    request.decided_by, request.decided_at = actor, timezone.now()
    request.save()
    return request


def erase(actor, person: Person, *, reason: str = "") -> Person:
    """Remove what names or reaches ``person``; keep what the counts need. Caller's transaction.

    * event registrations: name, e-mail, position, answers and links blanked (the same rule as
      the end of a registration form's retention period);
    * talks: the speaker's name and biography;
    * certificates: the holder's name (the code still verifies the certificate);
    * focal-point roles, memberships and invitations end; the account is closed and emptied;
    * the person's own record keeps only organisation-level facts;
    * the audit trail keeps what happened, with the name and address replaced.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    name, email, now, anonymous = person.name, person.email, timezone.now(), erased_name()
    events.erase_registrations(list(Registration.objects.filter(person=person)), now)
    Speaker.objects.filter(person=person).update(
        name=anonymous, position="", affiliation="", bio="", person=None
    )
    Certificate.objects.filter(enrolment__person=person).update(holder_name="")
    FocalPoint.objects.filter(person=person).delete()
    Affiliation.objects.filter(person=person).delete()
    NetworkAffiliation.objects.filter(person=person).delete()
    Invitation.objects.filter(person=person).delete()

    user = person.user
    person.name, person.position, person.email, person.phone = anonymous, "", "", ""
    person.is_contact_point, person.user = False, None
    person.save()
    if user is not None:
        forget_names(user)
        _close_account(user)
    _scrub_audit_trail([v for v in (name, email, getattr(user, "email", "")) if v], anonymous)
    audit.record(actor, "person.erased", person, reason=reason)
    return person


def _close_account(user):
    """The account can never sign in again and no longer says who it was."""
    # django-allauth's addresses, authenticators and sessions; the sign-in log; API tokens.
    for related in (
        "emailaddress_set",
        "authenticator_set",
        "usersession_set",
        "sign_ins",
        "access_tokens",
    ):
        rows = getattr(user, related, None)
        if rows is not None:
            rows.all().delete()
    user.username = f"erased-{user.pk}"
    user.email = user.first_name = user.last_name = ""
    user.role = Role.PUBLIC
    user.is_active = False
    user.set_unusable_password()
    user.save()


def _scrub_audit_trail(values, anonymous):
    """Entries that quote the name or the address get them replaced by ``anonymous``."""
    matches = Q()
    for value in values:
        matches |= Q(object_repr__icontains=value) | Q(text__icontains=value)
    entries = AuditEntry.objects.annotate(text=Cast("changes", TextField())).filter(matches)
    for entry in entries:
        entry.object_repr = _replace(entry.object_repr, values, anonymous)
        entry.changes = _replace(entry.changes, values, anonymous)
        entry.save(update_fields=["object_repr", "changes"])


def _replace(value, values, anonymous):
    if isinstance(value, str):
        for old in values:
            value = _case_insensitive_replace(value, old, anonymous)
        return value
    if isinstance(value, list):
        return [_replace(v, values, anonymous) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, values, anonymous) for k, v in value.items()}
    return value


def _case_insensitive_replace(text: str, old: str, new: str) -> str:
    return re.sub(re.escape(old), new, text, flags=re.IGNORECASE)
