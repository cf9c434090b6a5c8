"""The results' writes, one module per area. Each function takes the acting user and plain
values, runs in a transaction, writes the audit trail and raises a domain error."""

from django.core.exceptions import PermissionDenied

from liaison.core.permissions import require


class ResultsError(Exception):
    """A rule of results reporting refused the action; the message says which."""


__all__ = ["PermissionDenied", "ResultsError", "require"]
