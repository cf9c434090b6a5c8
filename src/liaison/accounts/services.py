"""What happens around allauth's flows: a verified address finds its person; sign-ins are kept."""

from allauth.account.adapter import get_adapter
from django.db import transaction

from liaison.directory.models import Person
from liaison.directory.services import create_person_for_account, link_account

from .models import KEPT_SIGN_INS, SignIn


@transaction.atomic
def attach_person(user, email: str) -> Person:
    """Give ``user`` their directory person once ``email`` is verified as theirs.

    The person already listed with that address (a contact point, a participant, a nominee) and
    not yet attached to an account becomes theirs, so their history is theirs; without one, a new
    person is made. Called only after verification: before it, an address proves nothing, and
    nobody may reach another person's record by typing their address at sign-up.
    """
    existing = Person.objects.filter(user=user).first()
    if existing is not None:
        return existing
    person = (
        Person.objects.select_for_update()
        .filter(email__iexact=email, user__isnull=True)
        .order_by("pk")
        .first()
    )
    if person is not None:
        return link_account(user, person, user, reason="the account verified this e-mail address")
    return create_person_for_account(
        user, user, name=user.get_full_name() or user.get_username(), email=email
    )


def on_email_confirmed(sender, request, email_address, **kwargs):
    """allauth's ``email_confirmed`` signal: the address is now proven to be the user's."""
    attach_person(email_address.user, email_address.email)


def on_signed_in(sender, request, user, **kwargs):
    """Django's ``user_logged_in`` signal: keep this sign-in, and only the last few."""
    if request is None:
        return
    if hasattr(request, "session"):
        from .middleware import mark_listed

        mark_listed(request)  # allauth lists the session at sign-in; no need to at once again
    try:
        ip = get_adapter(request).get_client_ip(request)
    except Exception:  # noqa: BLE001 - an unknown address must not stop a sign-in
        ip = None
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    SignIn.objects.create(user=user, ip=ip, user_agent=agent)
    old = SignIn.objects.filter(user=user).values_list("pk", flat=True)[KEPT_SIGN_INS:]
    SignIn.objects.filter(pk__in=list(old)).delete()


def vouch_for_addresses(users) -> int:
    """Mark the addresses of accounts made by staff (the demo, the admin) verified, as the
    data migration did for the accounts that existed before sign-up; returns how many.

    An address that another account has verified already is left unverified."""
    from allauth.account.models import EmailAddress

    count = 0
    for user in users:
        email = (user.email or "").strip().lower()
        if not email or EmailAddress.objects.filter(email__iexact=email, verified=True).exists():
            continue
        address, _created = EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"primary": True}
        )
        if not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])
            count += 1
    return count
