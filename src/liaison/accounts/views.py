"""Account pages beyond allauth's own: signing out other sessions, with the sign-in log."""

from allauth.usersessions.models import UserSession
from allauth.usersessions.views import ListUserSessionsView
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core.sessions import end_all_sessions

from .models import KEPT_SIGN_INS, SignIn


@login_required
@require_POST
def end_other_sessions(request):
    """Signs the account out everywhere except in this browser.

    Two things happen: the sessions allauth lists are deleted, and the account's session
    generation is raised, which also ends sessions allauth never saw (opened before it was
    installed). This browser keeps its session."""
    current = request.session.session_key
    for session in UserSession.objects.filter(user=request.user).exclude(session_key=current):
        session.end()
    user = end_all_sessions(request.user)
    update_session_auth_hash(request, user)
    messages.success(request, _("You are now signed out on every other device and browser."))
    return redirect("usersessions_list")


class SessionsView(ListUserSessionsView):
    """allauth's list of open sessions, with the account's recent sign-ins beside it."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sign_ins"] = SignIn.objects.filter(user=self.request.user)[:KEPT_SIGN_INS]
        return context
