"""What every app's permission checks share. Checks return ``(allowed, reason)`` so that pages
can show the reason; services call ``require`` to turn a refusal into ``PermissionDenied``."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require(check: tuple[bool, str]):
    """Raise ``PermissionDenied`` with the reason when a permission check refuses."""
    allowed, why = check
    if not allowed:
        raise PermissionDenied(why)


def can_read_audit(user) -> tuple[bool, str]:
    """The audit trail names people and their changes across every project: the secretariat's.

    Managers and viewers see a record's current state on its own page, not who changed what.
    """
    if getattr(user, "is_secretariat", False):
        return True, ""
    return False, _("Only the secretariat reads the audit log.")


def can_read_personal_data_log(user) -> tuple[bool, str]:
    """Who looked at whose personal data: the data-protection officer's to supervise, and the
    secretariat's as controller. Everyone else sees only reads of their own data (My data)."""
    if getattr(user, "is_secretariat", False):
        return True, ""
    if getattr(user, "is_active", False) and getattr(user, "role", "") == "data_protection_officer":
        return True, ""
    return False, _("Only the data-protection officer and the secretariat read this log.")
