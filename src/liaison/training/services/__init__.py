"""The training centre's writes, one module per area. Each function takes the acting user and
plain values, runs in a transaction, writes the audit trail and raises a domain error."""

from django.core.exceptions import PermissionDenied

from liaison.core.permissions import require


class TrainingError(Exception):
    """A rule of the training centre refused the action; the message says which."""


__all__ = ["PermissionDenied", "TrainingError", "require"]
