"""Sending, resending, withdrawing and accepting invitations; each audited.

Accepting proves the person holds the address the link was sent to, so the account made is
attached to the existing person record (``directory.services.link_account``) and its address
counts as verified. Every refusal says what went wrong in words a person can act on; none
creates an account.
"""

import datetime
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.directory import services as directory

from .models import Invitation, InvitationState, hash_token
from .permissions import can_invite, can_manage_invitation

logger = logging.getLogger(__name__)


class InvitationInvalid(Exception):
    """The link cannot be used; the message says why."""


def _lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.INVITATION_DAYS)


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    invitation.expires_at = timezone.now() + _lifetime()
    invitation.sent_at = timezone.now()
    return token


@transaction.atomic
def invite(actor, person, *, organisation=None, next_url="", reason="", checked=False):
    """Invite ``person`` to sign in; an earlier open invitation is withdrawn.

    ``checked`` is for callers that have already decided the actor may (the centre approving a
    nomination invites the nominee as part of that decision).
    """
    person = type(person).objects.select_for_update().get(pk=person.pk)
    allowed, why = can_invite(actor, person)
    if not allowed and not (checked and not person.user_id and person.email):
        raise PermissionDenied(why)
    Invitation.objects.filter(person=person).open().update(withdrawn_at=timezone.now())
    invitation = Invitation(
        person=person,
        email=person.email,
        organisation=organisation or person.organisation,
        next_url=next_url,
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason[:200],
    )
    token = _new_token(invitation)
    invitation.save()
    audit.record(actor, "invitation.sent", invitation, {"person": person.pk, "to": person.email})
    _send_after_commit(invitation, token)
    return invitation


@transaction.atomic
def resend(actor, invitation: Invitation) -> Invitation:
    """A fresh link and a fresh week; the old link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _require_manage(actor, invitation)
    if invitation.state not in (InvitationState.PENDING, InvitationState.EXPIRED):
        raise ValidationError(_("This invitation is %(state)s.") % {"state": _state(invitation)})
    token = _new_token(invitation)
    invitation.save(update_fields=["token_hash", "expires_at", "sent_at"])
    audit.record(actor, "invitation.resent", invitation)
    _send_after_commit(invitation, token)
    return invitation


@transaction.atomic
def withdraw(actor, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _require_manage(actor, invitation)
    if invitation.accepted_at or invitation.withdrawn_at:
        raise ValidationError(_("This invitation is %(state)s.") % {"state": _state(invitation)})
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    audit.record(actor, "invitation.withdrawn", invitation)
    return invitation


def find(token: str) -> Invitation:
    """The invitation a link opens, or why it opens none."""
    invitation = (
        Invitation.objects.select_related("person", "organisation", "invited_by")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    if invitation is None:
        raise InvitationInvalid(
            _("This invitation link is not valid. It may have been replaced by a newer one.")
        )
    if invitation.accepted_at:
        raise InvitationInvalid(_("This invitation has already been used. Sign in instead."))
    if invitation.withdrawn_at:
        raise InvitationInvalid(_("This invitation was withdrawn."))
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(
            _("This invitation has expired. Ask whoever invited you to send it again.")
        )
    return invitation


def username_for(email: str) -> str:
    """A free username made from the address's local part."""
    user_model = get_user_model()
    base = (email.split("@")[0] or "user")[:140]
    candidate, n = base, 1
    while user_model.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


@transaction.atomic
def accept(token: str, *, password: str = "", user=None):
    """Open the account: a new one with ``password``, or the signed-in ``user`` (who has no
    person yet). Returns the account, attached to the invited person."""
    invitation = find(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    find(token)  # again, under the lock: two clicks cannot both pass
    person = invitation.person
    if person.user_id:
        raise InvitationInvalid(_("%(name)s already has an account.") % {"name": person.name})
    user_model = get_user_model()
    if user is None:
        if user_model.objects.filter(email__iexact=invitation.email).exists():
            raise InvitationInvalid(
                _("An account already uses %(email)s: sign in, then open the link again.")
                % {"email": invitation.email}
            )
        user = user_model(username=username_for(invitation.email), email=invitation.email)
        user.first_name, _sep, user.last_name = person.name.partition(" ")
        validate_password(password, user)
        user.set_password(password)
        user.save()
    elif getattr(user, "person", None) is not None:
        raise InvitationInvalid(
            _("Your account already belongs to %(name)s.") % {"name": user.person.name}
        )
    directory.link_account(
        user, person, user, reason=_("accepted invitation #%(id)s") % {"id": invitation.pk}
    )
    _mark_verified(user, invitation.email)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(user, "invitation.accepted", invitation, {"account": user.get_username()})
    return user, invitation


def _mark_verified(user, email):
    """The link reached this address, so the address is proved (django-allauth's record)."""
    from django.apps import apps

    if not apps.is_installed("allauth.account"):
        return
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=email.lower(), defaults={"verified": True, "primary": True}
    )


def _require_manage(actor, invitation):
    allowed, why = can_manage_invitation(actor, invitation)
    if not allowed:
        raise PermissionDenied(why)


def _state(invitation) -> str:
    return str(invitation.get_state_display()).lower()


def _send_after_commit(invitation: Invitation, token: str):
    pk = invitation.pk
    transaction.on_commit(lambda: send_invitation(pk, token))


def send_invitation(pk: int, token: str):
    invitation = Invitation.objects.select_related("person", "invited_by").filter(pk=pk).first()
    if invitation is None:
        return
    body = render_to_string(
        "invitations/email/invitation.txt",
        {
            "invitation": invitation,
            "link": Invitation.link(token),
            "days": settings.INVITATION_DAYS,
        },
    )
    try:
        send_mail(_("Your invitation to Liaison"), body, None, [invitation.email])
    except (OSError, ValidationError):
        logger.exception("Could not send invitation %s", pk)
