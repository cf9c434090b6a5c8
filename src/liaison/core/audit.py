"""Writing the audit trail. Call ``record`` inside the transaction of the change it describes."""

from decimal import Decimal

from django.db import models

from .models import AuditEntry


def _plain(value):
    """Turn a field value into something JSON can hold and a person can read."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        return sorted(_plain(v) for v in value)
    return value


def diff(before: dict, after: dict) -> dict:
    """The fields whose value changed, as ``{field: [old, new]}``."""
    changes = {}
    for key in after:
        old, new = _plain(before.get(key)), _plain(after.get(key))
        if old != new:
            changes[key] = [old, new]
    return changes


def record(actor, action: str, obj: models.Model, changes: dict | None = None, reason: str = ""):
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes or {},
        reason=reason,
    )
