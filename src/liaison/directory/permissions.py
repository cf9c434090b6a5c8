"""Who may do what in the directory. Each check returns ``(allowed, reason)``."""

from django.utils.translation import gettext as _


def can_merge_people(user) -> tuple[bool, str]:
    """Finding and merging duplicate people reads everyone's details and rewrites their
    history: the secretariat's, as controller of the personal data."""
    if getattr(user, "is_secretariat", False):
        return True, ""
    return False, _("Only the secretariat finds and merges duplicate people.")
