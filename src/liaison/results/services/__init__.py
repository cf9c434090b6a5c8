"""The results' writes, one module per area. Each function takes the acting user and plain
values, runs in a transaction, writes the audit trail and raises a domain error."""

from django.core.exceptions import PermissionDenied


class ResultsError(Exception):
    """A rule of results reporting refused the action; the message says which."""


def require(check: tuple[bool, str]):
    """Raise ``PermissionDenied`` with the reason when a permission check refuses."""
    allowed, why = check
    if not allowed:
        raise PermissionDenied(why)


__all__ = ["PermissionDenied", "ResultsError", "require"]
