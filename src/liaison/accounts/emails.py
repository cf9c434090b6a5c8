"""When two spellings are one mailbox.

Many providers deliver ``Jane.Doe+x@gmail.com`` to ``janedoe@gmail.com``; a second account made
with such a variant of an already verified address is a disposable duplicate. The comparison is
done on a canonical form: the whole address in lower case, and for the providers that ignore
them, the dots and the ``+tag`` of the local part removed.
"""

from django.conf import settings

# Providers whose mailboxes ignore dots and "+tag" in the local part.
DEFAULT_DOTLESS_DOMAINS = ("gmail.com", "googlemail.com")
# Addresses of these domains are one and the same provider.
DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}


def dotless_domains() -> set[str]:
    return set(getattr(settings, "ACCOUNTS_DOTLESS_DOMAINS", DEFAULT_DOTLESS_DOMAINS))


def canonical(address: str) -> str:
    """The form two addresses of one mailbox share."""
    local, _at, domain = address.strip().lower().rpartition("@")
    if not local:
        return address.strip().lower()
    domain = DOMAIN_ALIASES.get(domain, domain)
    if domain in {DOMAIN_ALIASES.get(d, d) for d in dotless_domains()}:
        local = local.split("+", 1)[0].replace(".", "")
    return f"{local}@{domain}"


def verified_variant_owner(address: str, *, exclude_user=None):
    """The user who has verified another spelling of ``address``, or None.

    An exact match (in any case) is allauth's own unique-address rule; this finds the variants
    it cannot see. Only the provider's addresses are compared, so the check reads few rows.
    """
    from allauth.account.models import EmailAddress

    wanted = canonical(address)
    domain = wanted.rpartition("@")[2]
    domains = {domain} | {alias for alias, kept in DOMAIN_ALIASES.items() if kept == domain}
    candidates = EmailAddress.objects.filter(verified=True).select_related("user")
    if exclude_user is not None and exclude_user.pk:
        candidates = candidates.exclude(user=exclude_user)
    for other in domains:
        for row in candidates.filter(email__iendswith=f"@{other}"):
            if row.email.lower() != address.strip().lower() and canonical(row.email) == wanted:
                return row.user
    return None
