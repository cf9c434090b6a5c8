"""Sessions: when they were last used, and ending them on other devices (a lost laptop, a
shared computer)."""

import time

from django.db import transaction
from django.db.models import F

from . import audit
from .models import User

LAST_SEEN_KEY = "liaison_last_seen"


def stamp_sign_in(sender, request, user, **kwargs):
    """Count signing in as activity, so the idle timeout starts then and the first page after
    it does not write the session again (connected to ``user_logged_in``)."""
    if hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


def end_all_sessions(user: User) -> User:
    """Make every session of ``user`` invalid by raising their session generation, which is
    part of the hash each session is signed with; audited. The caller keeps its own session by
    calling ``update_session_auth_hash`` with the returned user."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
        user.refresh_from_db(fields=["session_epoch"])
        audit.record(
            user,
            "sessions.ended",
            user,
            {"session_epoch": [user.session_epoch - 1, user.session_epoch]},
        )
    return user
