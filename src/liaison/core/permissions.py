"""What every app's permission checks share. Checks return ``(allowed, reason)`` so that pages
can show the reason; services call ``require`` to turn a refusal into ``PermissionDenied``."""

from django.core.exceptions import PermissionDenied


def require(check: tuple[bool, str]):
    """Raise ``PermissionDenied`` with the reason when a permission check refuses."""
    allowed, why = check
    if not allowed:
        raise PermissionDenied(why)
