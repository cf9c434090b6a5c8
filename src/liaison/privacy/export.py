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
from typing import NamedTuple

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from liaison.core.models import AuditEntry
from liaison.directory.duplicates import references

SECRET_NAMES = ("password", "token", "secret", "key_hash", "session_key", "session_epoch")


class Fact(NamedTuple):
    """One field of a record: its name and stored value for the JSON copy, which a program
    reads, and its label and the value as a person reads it (``text``) for the page."""

    name: str
    label: str
    value: object
    text: str


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


def readable(value) -> str:
    """A stored value as the rest of the site shows it: yes or no, dates as "5 Dec 2026" (with
    the local time when there is one), lists and answers spelled out; nothing as ""."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "j M Y H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j M Y")
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, dict):
        return "; ".join(f"{key}: {readable(item) or '–'}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(readable(item) or "–" for item in value)
    return str(value)


def _text(obj, field) -> str:
    """A field's value for the page: a choice by its label, anything else by ``readable``."""
    if field.choices:
        return str(getattr(obj, f"get_{field.name}_display")() or "")
    return readable(getattr(obj, field.name))


def _is_secret(field) -> bool:
    return any(part in field.name for part in SECRET_NAMES)


def fact(obj, field) -> Fact:
    return Fact(field.name, str(field.verbose_name), _value(obj, field), _text(obj, field))


def record(obj) -> list[Fact]:
    """A record's fields, secrets left out."""
    return [
        fact(obj, field)
        for field in obj._meta.concrete_fields
        if not (field.primary_key or _is_secret(field))
    ]


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
            label = str(relation.related_model._meta.verbose_name)
            rows = [
                [Fact("name", label, str(o), str(o))]
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
    fields = [AuditEntry._meta.get_field(name) for name in ("at", "action", "changes")]
    rows = [[fact(entry, field) for field in fields] for entry in history]
    if rows:
        sections.append(_section(AuditEntry, rows))
    return sections


def as_json(person, sections) -> dict:
    """The copy as JSON: field names as keys, each kind of record under its model's label."""

    def plain(rows):
        return [{fact.name: fact.value for fact in row} for row in rows]

    out = {"format": "liaison-personal-data/1", "person_id": person.pk, "records": {}}
    for section in sections:
        rows = plain(section["rows"])
        for row, children in zip(rows, section.get("row_children", []), strict=False):
            for child in children:
                row.setdefault("_records", {})[child["key"]] = plain(child["rows"])
        out["records"].setdefault(section["key"], []).extend(rows)
    return out
