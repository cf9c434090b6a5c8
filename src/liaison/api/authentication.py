"""How the API knows who calls: sessions (the browsable pages), basic and bearer tokens.

Basic authentication refuses credentials no account can have before asking anyone.

A username with a NUL character reached the login-attempt records (django-axes) and
PostgreSQL, which cannot store NUL in text: the request answered 500 instead of a refusal.
Django's login form already refuses such input (``ProhibitNullCharactersValidator``); the API's
basic authentication now does the same.
"""

from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import BasicScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from liaison.core.audit import current_token
from liaison.core.tokens import find_token


def _consume(request, key: str, *, dry_run: bool = False) -> bool:
    """One use of allauth's "login_failed" limit. Its public helper skips GET requests (its
    forms only post); API reads are GETs, so the counting function is called with them."""
    usage = ratelimit.consume(
        request,
        app="allauth.account",
        action="login_failed",
        key=key,
        dry_run=dry_run,
        limit_get=True,
    )
    return usage is not None


class BasicAuthentication(authentication.BasicAuthentication):
    def authenticate_credentials(self, userid, password, request=None):
        if "\x00" in userid or "\x00" in password:
            raise exceptions.AuthenticationFailed(_("Invalid username/password."))
        http_request = getattr(request, "_request", request)
        if http_request is None:
            return super().authenticate_credentials(userid, password, request)
        # The key the sign-in form counts under, so both doors share one count per account.
        key = get_adapter()._get_login_attempts_cache_key(http_request, username=userid)
        if not _consume(http_request, key, dry_run=True):
            raise exceptions.Throttled(detail=_("Too many failed sign-in attempts."))
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            _consume(http_request, key)
            raise


class BasicAuthenticationScheme(BasicScheme):
    """The schema describes this class as drf-spectacular describes DRF's own."""

    target_class = BasicAuthentication


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer lia_…``: a personal access token acts as its owner.

    A refused token answers 401 with the reason (unknown, expired, revoked); a read-only token
    answers 403 to any write. Failed tokens are counted per address in the shared cache, so the
    limit holds across every process: past it, bearer calls from that address get 429 until the
    window ends. The token is remembered for the audit trail (``core.audit.current_token``).
    """

    keyword = "bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.encode():
            return None
        address = throttling.BaseThrottle().get_ident(request)
        failures_key = f"liaison:token-failures:{address}"
        if cache.get(failures_key, 0) >= settings.LIAISON_TOKEN_MAX_FAILURES:
            raise exceptions.Throttled(
                wait=settings.LIAISON_TOKEN_FAILURE_WINDOW,
                detail=str(_("Too many refused tokens from this address; try again later.")),
            )
        if len(parts) != 2:
            raise TokenRefused(_("Send one token: “Authorization: Bearer <token>”."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        token = find_token(secret)
        refusal = None
        if token is None:
            refusal = _("This token is not valid.")
        elif token.is_revoked:
            refusal = _("This token was revoked by its owner.")
        elif token.is_expired:
            refusal = _("This token has expired; its owner can make a new one.")
        elif not token.owner.is_active:
            refusal = _("The account this token belongs to is not active.")
        if refusal:
            # add() starts the window only once; incr() counts within it.
            cache.add(failures_key, 0, timeout=settings.LIAISON_TOKEN_FAILURE_WINDOW)
            try:
                cache.incr(failures_key)
            except ValueError:  # expired between the two calls
                cache.set(failures_key, 1, timeout=settings.LIAISON_TOKEN_FAILURE_WINDOW)
            raise TokenRefused(refusal)
        if request.method not in permissions.SAFE_METHODS and not token.allows_writes:
            raise exceptions.PermissionDenied(
                _("This token is read-only; its owner can make a read-and-write token.")
            )
        token.touch()
        current_token.set(token)
        return token.owner, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class TokenRefused(exceptions.APIException):
    """401 with the reason and a ``WWW-Authenticate`` header.

    Not ``AuthenticationFailed``: DRF turns that into 403 when the first authentication class
    (sessions, for the browsable pages) names no scheme, and a refused token is a 401.
    """

    status_code = 401
    default_detail = _("This token is not valid.")
    default_code = "invalid_token"
    auth_header = 'Bearer realm="api", error="invalid_token"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal access token, made and revoked by its owner at /accounts/tokens/. "
                "A read-only token is refused any write (403); an expired, revoked or unknown "
                "one gets 401, and too many refused tokens from one address get 429."
            ),
        }
