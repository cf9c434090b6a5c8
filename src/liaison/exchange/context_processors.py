"""The exchange's place in the main menu, decided at sign-in so that pages cost no query."""

from .permissions import can_see_statistics, holds_exchange_role

NAV_KEY = "liaison_exchange_nav"


def remember_at_sign_in(sender, request, user, **kwargs):
    """At sign-in, note in the session whether the account holds an exchange role (the
    Requests link) and may see the statistics (the network's secretariat). A role given
    later shows in the menu from the next sign-in; the pages themselves always ask."""
    if request is not None and hasattr(request, "session"):
        request.session[NAV_KEY] = [
            bool(holds_exchange_role(user)),
            bool(can_see_statistics(user)[0]),
        ]


def exchange(request):
    session = getattr(request, "session", None)
    role, statistics = (session.get(NAV_KEY) if session is not None else None) or [False, False]
    user = getattr(request, "user", None)
    staff = bool(user is not None and getattr(user, "is_liaison_staff", False))
    return {"has_exchange_role": role, "may_see_exchange_statistics": statistics or staff}
