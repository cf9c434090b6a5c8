"""Everything Liaison holds about a person, as one structure for the JSON file and the page.

The records are found from the model relations (``directory.duplicates.references``), not
listed here, so that what a later app keeps about a person (a grant application, a
cooperation request) is in the copy without anyone remembering to add it. Each record comes
with the records that hang from it (a registration's attendance, an enrolment's results and
certificate). Secrets (password hashes, link tokens) are left out: they are not data about the
person, and a copy must not become a key.
"""

import datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone

from liaison.core.models import AuditEntry
from liaison.directory.duplicates import references

SECRET_NAMES = ("password", "token", "secret", "key_hash", "session_key", "session_epoch")


def _value(obj, field):
    value = getattr(obj, field.name)
    if isinstance(field, models.ForeignKey):
        return None if value is None else str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else str(value)
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    return value


def _is_secret(field) -> bool:
    return any(part in field.name for part in SECRET_NAMES)


def record(obj) -> list[tuple[str, str, object]]:
    """A record's fields as ``(name, label, value)``, secrets left out."""
    rows = []
    for field in obj._meta.concrete_fields:
        if field.primary_key or _is_secret(field):
            continue
        rows.append((field.name, str(field.verbose_name), _value(obj, field)))
    return rows


def _children(obj) -> list[dict]:
    """The records that belong to ``obj`` (reverse one-to-many and one-to-one relations)."""
    sections = []
    for relation in obj._meta.related_objects:
        if relation.many_to_many:
            continue
        model = relation.related_model
        rows = model._default_manager.filter(**{relation.field.name: obj})
        found = [record(child) for child in rows[:500]]
        if found:
            sections.append(_section(model, found))
    return sections


def _section(model, rows, children=None) -> dict:
    return {
        "key": model._meta.label_lower,
        "title": str(model._meta.verbose_name_plural),
        "rows": rows,
        "children": children or [],
    }


def gather(person) -> list[dict]:
    """Sections of records: the person, their account, each kind of record that points at them
    (with its own records), and the audit trail about them."""
    sections = [_section(type(person), [record(person)])]
    user = person.user
    if user is not None:
        sections.append(_section(type(user), [record(user)]))
        for relation in type(user)._meta.related_objects:
            if not relation.many_to_many:
                continue
            # Memberships held through the account: projects managed, centres, assessment teams.
            rows = [
                [("name", str(relation.related_model._meta.verbose_name), str(o))]
                for o in relation.related_model._default_manager.filter(
                    **{relation.field.name: user}
                )
            ]
            if rows:
                sections.append(_section(relation.related_model, rows))
    for model, name, _label in references():
        if model._meta.auto_created:
            continue
        rows, children = [], []
        for obj in model._default_manager.filter(**{name: person}):
            rows.append(record(obj))
            children.append(_children(obj))
        if rows:
            section = _section(model, rows)
            section["row_children"] = children
            sections.append(section)
    history = AuditEntry.objects.filter(
        object_type=person._meta.label_lower, object_id=str(person.pk)
    )
    rows = [
        [
            (
                "at",
                str(AuditEntry._meta.get_field("at").verbose_name),
                _value(e, e._meta.get_field("at")),
            ),
            ("action", str(AuditEntry._meta.get_field("action").verbose_name), e.action),
            ("changes", str(AuditEntry._meta.get_field("changes").verbose_name), e.changes),
        ]
        for e in history
    ]
    if rows:
        sections.append(_section(AuditEntry, rows))
    return sections


def as_json(person, sections) -> dict:
    """The copy as JSON: field names as keys, each kind of record under its model's label."""

    def plain(rows):
        return [{name: value for name, _label, value in row} for row in rows]

    out = {"format": "liaison-personal-data/1", "person_id": person.pk, "records": {}}
    for section in sections:
        rows = plain(section["rows"])
        for row, children in zip(rows, section.get("row_children", []), strict=False):
            for child in children:
                row.setdefault("_records", {})[child["key"]] = plain(child["rows"])
        out["records"].setdefault(section["key"], []).extend(rows)
    return out
