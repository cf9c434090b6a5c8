"""Basic authentication that refuses credentials no account can have before asking anyone.

A username with a NUL character reached the login-attempt records (django-axes) and
PostgreSQL, which cannot store NUL in text: the request answered 500 instead of a refusal.
Django's login form already refuses such input (``ProhibitNullCharactersValidator``); the API's
basic authentication now does the same.
"""

from allauth.core import ratelimit
from django.utils.translation import gettext_lazy as _
from drf_spectacular.authentication import BasicScheme
from rest_framework import authentication, exceptions


class BasicAuthentication(authentication.BasicAuthentication):
    def authenticate_credentials(self, userid, password, request=None):
        if "\x00" in userid or "\x00" in password:
            raise exceptions.AuthenticationFailed(_("Invalid username/password."))
        http_request = getattr(request, "_request", request)
        key = userid.strip().lower()
        if http_request is not None and not ratelimit.consume(
            http_request, action="login_failed", key=key, dry_run=True
        ):
            raise exceptions.Throttled(detail=_("Too many failed sign-in attempts."))
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if http_request is not None:
                ratelimit.consume(http_request, action="login_failed", key=key)
            raise


class BasicAuthenticationScheme(BasicScheme):
    """The schema describes this class as drf-spectacular describes DRF's own."""

    target_class = BasicAuthentication
