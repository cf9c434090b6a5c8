"""Account pages beyond Django's own sign-in and password views."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core.sessions import end_all_sessions


@login_required
@require_POST
def end_other_sessions(request):
    """Signs the account out everywhere except in this browser (form on the password page)."""
    user = end_all_sessions(request.user)
    update_session_auth_hash(request, user)
    messages.success(request, _("You are now signed out on every other device and browser."))
    return redirect("password_change")
