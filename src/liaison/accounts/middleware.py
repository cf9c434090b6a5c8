"""The second factor is required, not only offered, for the roles that read personal data; the
list of sessions learns when each was last used."""

import time

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from liaison.core.middleware import holds_sensitive_role
from liaison.directory.scopes import administered_organisations

# Pages a user without an authenticator may still open: allauth's own (activating TOTP, signing
# out, the password and e-mail pages), the language switch and static files.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/")


# In ``settings.MFA_REQUIRED_ROLES``, the administrators of an institution (a scope, not a
# platform role): they read their institution's people, nominations and registrations.
INSTITUTION_ADMINISTRATOR = "institution_administrator"


def _required_for(user, path: str = "") -> bool:
    required = settings.MFA_REQUIRED_ROLES
    if user.role in required:
        return True
    if INSTITUTION_ADMINISTRATOR in required and administered_organisations(user).exists():
        return True
    # A role that reads police data (``settings.SENSITIVE_ROLE_CHECKS``) needs the second
    # factor on the pages of that data, which are the only ones it opens.
    return path.startswith(tuple(settings.SENSITIVE_PATHS)) and holds_sensitive_role(user)


def needs_second_factor(user, path: str = "") -> bool:
    """Whether ``user`` must activate an authenticator app before opening ``path``."""
    if not user.is_authenticated or not _required_for(user, path):
        return False
    return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireSecondFactorMiddleware:
    """Sends a signed-in user of a role listed in ``settings.MFA_REQUIRED_ROLES`` who has no
    authenticator yet to the TOTP activation page. At the next sign-in allauth asks the code.
    Placed after the authentication, message and idle-timeout middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and not request.path.startswith(OPEN_PREFIXES)
            and needs_second_factor(user, request.path)
        ):
            messages.warning(
                request,
                _(
                    "Your role gives access to personal data: set up an authenticator app "
                    "before you continue."
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


SEEN_KEY = "liaison_session_listed"
# The session list's "last seen" is written at most once a minute, as the idle timeout's is.
SEEN_RESOLUTION = 60


def mark_listed(request) -> None:
    """The session is in the list as of now (called at sign-in, when allauth records it)."""
    request.session[SEEN_KEY] = int(time.time())


class SessionActivityMiddleware:
    """Keeps allauth's list of sessions (browser, address, last seen) up to date.

    allauth's own middleware writes the session's row on every request; this one does so at
    most once a minute, so reading pages costs no write. A session opened before the list
    existed is added on its first request. Placed after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.session.session_key:
            now = int(time.time())
            seen = request.session.get(SEEN_KEY)
            if seen is None or now - int(seen) >= SEEN_RESOLUTION:
                UserSession.objects.create_from_request(request)
                request.session[SEEN_KEY] = now
        return self.get_response(request)
