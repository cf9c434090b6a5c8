"""The second factor is required, not only offered, for the roles that read personal data."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Pages a user without an authenticator may still open: allauth's own (activating TOTP, signing
# out, the password and e-mail pages), the language switch and static files.
OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/")


def needs_second_factor(user) -> bool:
    """Whether ``user`` must activate an authenticator app before using the site."""
    if not user.is_authenticated or user.role not in settings.MFA_REQUIRED_ROLES:
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
            and needs_second_factor(user)
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
