"""Who may do what with personal-data requests. Each check returns ``(allowed, reason)``."""

from django.utils.translation import gettext as _


def can_decide_erasure(user) -> tuple[bool, str]:
    """The secretariat acts as controller: it carries out or refuses erasure."""
    if getattr(user, "is_secretariat", False):
        return True, ""
    return False, _("Only the secretariat decides on erasure requests.")


def can_have_data(user) -> tuple[bool, str]:
    """A signed-in person with a directory record reads their own data."""
    if getattr(user, "is_authenticated", False) and getattr(user, "person", None) is not None:
        return True, ""
    return False, _("Your account has no personal record in Liaison yet.")
