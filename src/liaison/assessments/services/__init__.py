"""The writes of needs assessments: templates in ``templates``, assessments, their answers and
recommendations in ``assessments``. Each function takes the acting user and plain values, runs
in a transaction, writes the audit trail and raises a domain error saying what was refused."""

from django.core.exceptions import PermissionDenied

from liaison.core.permissions import require


class AssessmentError(Exception):
    """A rule of needs assessments refused the action; the message says which."""


__all__ = ["AssessmentError", "PermissionDenied", "require"]
