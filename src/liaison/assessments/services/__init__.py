"""The writes of needs assessments: templates in ``templates``, assessments, their answers and
recommendations in ``assessments``. Each function takes the acting user and plain values, runs
in a transaction, writes the audit trail and raises a domain error saying what was refused."""

from django.core.exceptions import PermissionDenied


class AssessmentError(Exception):
    """A rule of needs assessments refused the action; the message says which."""


def require(check: tuple[bool, str]):
    """Raise ``PermissionDenied`` with the reason when a permission check refuses."""
    allowed, why = check
    if not allowed:
        raise PermissionDenied(why)


__all__ = ["AssessmentError", "PermissionDenied", "require"]
