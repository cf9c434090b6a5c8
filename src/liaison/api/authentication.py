"""Basic authentication that refuses credentials no account can have before asking anyone.

A username with a NUL character reached the login-attempt records (django-axes) and
PostgreSQL, which cannot store NUL in text: the request answered 500 instead of a refusal.
Django's login form already refuses such input (``ProhibitNullCharactersValidator``); the API's
basic authentication now does the same.
"""

from allauth.account.adapter import get_adapter
from allauth.core.internal import ratelimit
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import BasicScheme
from rest_framework import authentication, exceptions


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
