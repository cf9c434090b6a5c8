"""Middleware that applies the installation's own rules to every request and response.

Each class here answers one operational rule of issue 13: a Permissions-Policy header on every
response, an idle timeout for signed-in sessions, and the site's own 404 page when DEBUG is on.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import Http404
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

from .models import STAFF_ROLES
from .sessions import LAST_SEEN_KEY

# The last-seen time is written at most once a minute, so reading pages does not rewrite the
# session row on every request.
LAST_SEEN_RESOLUTION = 60


class PermissionsPolicyMiddleware:
    """Turns off browser features Liaison never uses (camera, microphone, location, payment,
    USB...), so a script that slips in cannot ask for them either. Django has no setting for
    this header; the policy is ``settings.PERMISSIONS_POLICY``."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


def idle_limit(user) -> int:
    """Seconds a signed-in user may stay idle: shorter for staff, who see personal data and
    edit the portfolio, than for public accounts."""
    if holds_sensitive_role(user):
        return settings.SESSION_IDLE_SECONDS_SENSITIVE
    if user.is_superuser or user.role in STAFF_ROLES:
        return settings.SESSION_IDLE_SECONDS_STAFF
    return settings.SESSION_IDLE_SECONDS


def holds_sensitive_role(user) -> bool:
    """Whether one of ``settings.SENSITIVE_ROLE_CHECKS`` says ``user`` holds a role that reads
    police data (an exchange role in a unit): second factor, short idle time. Asked once per
    request at most (the answer is kept on the user object of the request)."""
    cached = getattr(user, "_liaison_sensitive_role", None)
    if cached is None:
        cached = any(import_string(path)(user) for path in settings.SENSITIVE_ROLE_CHECKS)
        user._liaison_sensitive_role = cached
    return cached


def shortest_idle_limit() -> int:
    return min(
        settings.SESSION_IDLE_SECONDS_SENSITIVE,
        settings.SESSION_IDLE_SECONDS_STAFF,
        settings.SESSION_IDLE_SECONDS,
    )


class IdleTimeoutMiddleware:
    """Signs out a session that has not been used for longer than its user's idle limit.

    Django's own expiry (``SESSION_COOKIE_AGE``) is counted from sign-in and stays as the
    absolute limit; this one is counted from the last request. Placed after the
    authentication and message middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            idle = None if last_seen is None else now - int(last_seen)
            # Who the user is (a query) matters only once the shortest limit has passed.
            if idle is not None and idle > shortest_idle_limit() and idle > idle_limit(user):
                logout(request)
                messages.info(request, _("You were signed out after a period without activity."))
            elif last_seen is None or now - int(last_seen) >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class SiteNotFoundMiddleware:
    """With DEBUG on, a page that does not exist shows the site's own 404 page instead of
    Django's technical page, which lists every URL pattern of the installation to whoever
    mistypes an address. Tracebacks of server errors stay as they are in development.

    With DEBUG off Django already renders ``404.html``; this middleware then does nothing.
    A mistyped address fails in URL resolution, before any view and so before
    ``process_exception``: it is resolved here first, in development only.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG:
            try:
                resolve(request.path_info, getattr(request, "urlconf", None) or get_urlconf())
            except Resolver404 as error:
                return page_not_found(request, error)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
