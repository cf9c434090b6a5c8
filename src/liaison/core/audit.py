"""Writing the audit trail. Call ``record`` inside the transaction of the change it describes."""

import datetime
from contextvars import ContextVar
from decimal import Decimal

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .models import AuditEntry


def _plain(value):
    """Turn a field value into something JSON can hold and a person can read."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # One instant reads the same whether it came from the database (UTC) or a form (the
        # local zone); forms keep whole seconds, so a re-save is not a change.
        return value.astimezone(datetime.UTC).replace(microsecond=0).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple | set):
        items = [_plain(v) for v in value]
        try:
            return sorted(items)
        except TypeError:  # rows of a JSON field (dicts) keep their own order
            return items
    if isinstance(value, FieldFile):
        return value.name or None
    if value is None or isinstance(value, str | int | float | bool | dict):
        return value
    # Anything else (UUIDs, geometry, lazy strings) is kept as it reads.
    return str(value)


def diff(before: dict, after: dict) -> dict:
    """The fields whose value changed, as ``{field: [old, new]}``."""
    changes = {}
    for key in after:
        old, new = _plain(before.get(key)), _plain(after.get(key))
        if old != new:
            changes[key] = [old, new]
    return changes


# The personal access token the current request was authenticated with, set by the API's bearer
# authentication and cleared when each request starts (``forget_token``), so that every entry a
# token-authenticated call writes names the token beside its owner, whichever service writes it.
current_token: ContextVar = ContextVar("liaison_access_token", default=None)


def forget_token(**kwargs):
    current_token.set(None)


def record(actor, action: str, obj: models.Model, changes: dict | None = None, reason: str = ""):
    actor = actor if getattr(actor, "is_authenticated", False) else None
    token = current_token.get()
    return AuditEntry.objects.create(
        actor=actor,
        via_token=token if token is not None and actor and token.owner_id == actor.pk else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes or {},
        reason=reason,
    )


# Never written into the audit trail, whatever the model: a hash is still a secret, and a
# sign-in time is not a change anybody made.
NEVER_AUDITED = frozenset({"password", "last_login"})


def snapshot(obj: models.Model, exclude=(), related=()) -> dict:
    """Every field and many-to-many of ``obj`` as ``diff`` compares them.

    ``related`` names reverse relations (such as ``funding_lines``) whose rows are listed too,
    each described field by field, so that a change made in an admin inline shows on the parent.
    Used where no service keeps its own list of audited fields (the admin, the user's role).
    """
    skip = NEVER_AUDITED | set(exclude)
    values = {}
    for field in obj._meta.concrete_fields:
        if _kept(field, skip):
            values[field.name] = getattr(obj, field.name)
    if obj.pk:
        for field in obj._meta.many_to_many:
            if field.name not in skip:
                values[field.name] = [str(o) for o in getattr(obj, field.name).all()]
        for name in related:
            accessor = getattr(obj, name)
            parent = accessor.field.name
            values[name] = [describe(row, exclude={parent}) for row in accessor.all()]
    return values


def describe(obj: models.Model, exclude=()) -> str:
    """One line that names each field of a row with its value, for lists of rows in a change."""
    skip = NEVER_AUDITED | set(exclude)
    parts = [
        f"{field.verbose_name}: {_plain(getattr(obj, field.name))}"
        for field in obj._meta.concrete_fields
        if _kept(field, skip)
    ]
    return "; ".join(parts)


def _kept(field, skip) -> bool:
    # Time stamps the database keeps by itself say when, which the entry already does.
    stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    return not (field.primary_key or stamped or field.name in skip)


def removed(before: dict) -> dict:
    """The changes of a deletion: every value that was there, and nothing after."""
    return {key: [old, None] for key, (_none, old) in diff({}, before).items()}
