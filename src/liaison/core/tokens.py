"""Personal access tokens: how a person's scripts reach the API without their password.

A token is shown once, when it is made, and only its SHA-256 hash is stored, so a copy of the
database (or a backup) gives nobody a working token. The secret is long and random, so a plain
hash is enough (a slow password hash protects guessable secrets, which these are not); a short
visible prefix lets the owner tell their tokens apart. Every token expires within a year and can
be revoked by its owner at once.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What every token starts with, so a leaked one is recognisable (and secret scanners can find it).
TOKEN_MARK = "lia_"  # noqa: S105 (a public marker, not a secret)
PREFIX_LENGTH = 8
# How often the "last used" time is written: once a minute is precise enough to tell whether a
# token is still in use, and spares a write on every call.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class TokenScope(models.TextChoices):
    READ = "read", _("Read only")
    WRITE = "write", _("Read and write")


class TokenLifetime(models.IntegerChoices):
    """The lifetimes offered; a year at most, so a forgotten token does not live for ever."""

    MONTH = 30, _("30 days")
    QUARTER = 90, _("90 days")
    YEAR = 365, _("1 year")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class PersonalAccessTokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class PersonalAccessToken(models.Model):
    """One script's or machine's key to the API, acting as its owner within the token's scope."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="access_tokens",
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. “nightly export”.")
    )
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, editable=False)
    secret_hash = models.CharField(_("secret hash"), max_length=64, unique=True, editable=False)
    scope = models.CharField(
        _("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = PersonalAccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.name} ({TOKEN_MARK}{self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_usable(self) -> bool:
        return not (self.is_expired or self.is_revoked)

    @property
    def allows_writes(self) -> bool:
        return self.scope == TokenScope.WRITE

    def touch(self, now=None):
        """Note that the token was used, at most once a minute and in one UPDATE."""
        now = now or timezone.now()
        if self.last_used_at and now - self.last_used_at < LAST_USED_PRECISION:
            return
        PersonalAccessToken.objects.filter(pk=self.pk).update(last_used_at=now)
        self.last_used_at = now


def create_token(owner, name: str, scope: str, days: int) -> tuple[PersonalAccessToken, str]:
    """Make a token and return it with its secret, which is never stored and never shown again."""
    from .audit import diff, record

    if days not in TokenLifetime.values:
        raise ValueError(f"A token lives {TokenLifetime.values} days, not {days}.")
    secret = TOKEN_MARK + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = PersonalAccessToken.objects.create(
            owner=owner,
            name=name,
            prefix=secret[len(TOKEN_MARK) : len(TOKEN_MARK) + PREFIX_LENGTH],
            secret_hash=hash_secret(secret),
            scope=scope,
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
        record(
            owner,
            "token.create",
            token,
            diff({}, {"name": name, "scope": scope, "expires_at": token.expires_at}),
        )
    return token, secret


def revoke_token(owner, token: PersonalAccessToken) -> PersonalAccessToken:
    """End a token now; revoking one already revoked changes nothing and writes nothing."""
    from .audit import diff, record

    if token.owner_id != owner.pk:
        raise PermissionError("Only a token's owner revokes it.")
    if token.revoked_at:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(owner, "token.revoke", token, diff({}, {"revoked_at": token.revoked_at}))
    return token


def find_token(secret: str) -> PersonalAccessToken | None:
    """The token whose secret this is, whatever its state; None for a secret nobody was given."""
    if not secret.startswith(TOKEN_MARK) or len(secret) > 200:
        return None
    return (
        PersonalAccessToken.objects.select_related("owner")
        .filter(secret_hash=hash_secret(secret))
        .first()
    )
