"""Lost updates: notice that a record changed since someone opened it, before their save reverts it.

One mechanism for every edit form and every PUT/PATCH of a shared record. A *version* is a
fingerprint (hash) of the record's editable values, followed by the id of the last audit entry
about it when it was read: ``"3f2a...c9.1842"``. The edit form carries it in a hidden
``record_version`` field and the API sends it as the ``ETag``. On save the record is read again with
``select_for_update`` inside the save's own transaction; if its fingerprint differs from the one
the person started from, nothing is saved and ``Conflict`` says which fields changed since then,
to what, by whom and when (from the audit entries written after the one in the version).

Only the fingerprint decides; the audit id only says where to start reading who changed what, so
an audit entry that changed nothing never causes a conflict. A save without a version (an old
client, a script) is not checked: sending one is how a client asks for the check.
"""

import hashlib
import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings

from .models import AuditEntry


@dataclass
class Change:
    """One field someone else changed after the version a person started from."""

    field: str
    label: str
    value: object
    by: str
    at: datetime | None

    @property
    def shown(self) -> str:
        """The value as a person reads it: a list joined, nothing as a dash."""
        if self.value in (None, "", []):
            return "—"
        if isinstance(self.value, list | tuple):
            return ", ".join(str(v) for v in self.value)
        return str(self.value)


class Conflict(ValidationError):
    """The record changed since it was opened; ``changes`` lists what, ``version`` is the new one.

    A ``ValidationError``, so a view that shows a service's refusal on the form shows this too."""

    def __init__(self, version: str, changes: list[Change] | None = None):
        super().__init__(
            _(
                "Someone else changed this record since you opened it. Nothing of yours was "
                "saved yet: check their changes below, then save again to replace them with "
                "your values, or reload the page to start from theirs."
            ),
            code="conflict",
        )
        self.version = version
        self.changes = changes or []

    def as_json(self) -> dict:
        """The body of a 412 answer: the message, the current version and each changed field."""
        return {
            "detail": " ".join(str(m) for m in self.messages),
            "version": self.version,
            "changed": [
                {
                    "field": c.field,
                    "value": c.value,
                    "changed_by": c.by,
                    "changed_at": c.at.isoformat() if c.at else None,
                }
                for c in self.changes
            ],
        }


def _editable_fields(model) -> list[models.Field]:
    """The fields a person edits: not the key, not values the platform keeps itself."""
    return [
        f
        for f in model._meta.get_fields()
        if getattr(f, "concrete", False)
        and f.editable
        and not f.primary_key
        and not getattr(f, "auto_now", False)
    ]


def _values(instance: models.Model, skip: str = "") -> dict:
    values = {}
    for f in _editable_fields(type(instance)):
        if f.name == skip:
            continue
        if f.many_to_many:
            values[f.name] = sorted(getattr(instance, f.name).values_list("pk", flat=True), key=str)
        else:
            values[f.name] = f.value_from_object(instance)
    return values


def fingerprint(instance: models.Model, related: tuple[str, ...] = ()) -> str:
    """A hash of the record's editable values (and of the rows of ``related`` reverse relations,
    such as a project's funding lines, when the same form edits them)."""
    data = {"record": _values(instance)}
    for name in related:
        manager = getattr(instance, name)
        parent = manager.field.name
        data[name] = sorted(
            (_values(row, skip=parent) for row in manager.all()),
            key=lambda row: json.dumps(row, sort_keys=True, default=str),
        )
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def audit_trail(instance: models.Model):
    """The audit entries written about ``instance``."""
    return AuditEntry.objects.filter(
        object_type=instance._meta.label_lower, object_id=str(instance.pk)
    )


def version(instance: models.Model, related: tuple[str, ...] = (), trail=None) -> str:
    """The version of the record as it is now: fingerprint, then the last audit entry's id."""
    trail = audit_trail(instance) if trail is None else trail
    last = trail.order_by("-id").values_list("id", flat=True).first()
    return f"{fingerprint(instance, related)}.{last or 0}"


def _parse(token: str) -> tuple[str, int]:
    token = (token or "").strip()
    if token.startswith("W/"):
        token = token[2:]
    token = token.strip('"')
    hashed, _dot, since = token.partition(".")
    # Any text may arrive in If-Match: only a plain, database-sized id is an audit id.
    plain = since.isascii() and since.isdigit() and len(since) <= 18
    return hashed, int(since) if plain else 0


def _label(model, name: str, labels: dict) -> str:
    if name in labels:
        return str(labels[name])
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))
    except (FieldDoesNotExist, AttributeError):
        return capfirst(name.replace("_", " "))


def changes_since(instance, since: int, labels: dict | None = None, trail=None) -> list[Change]:
    """What the audit trail says changed on the record after entry ``since``, newest value per
    field, in the order the fields were first touched."""
    found: dict[str, Change] = {}
    trail = audit_trail(instance) if trail is None else trail
    entries = trail.filter(id__gt=since).select_related("actor").order_by("id")
    for entry in entries:
        actor = entry.actor
        by = (actor.get_full_name() or actor.get_username()) if actor else str(_("unknown"))
        pairs = {
            name: pair[1]
            for name, pair in (entry.changes or {}).items()
            if isinstance(pair, list | tuple) and len(pair) == 2
        }
        if not pairs:
            # Some services note that a record changed without its old and new values.
            found[f"#{entry.pk}"] = Change("", _("Fields not recorded"), None, by, entry.at)
        for name, value in pairs.items():
            label = _label(type(instance), name, labels or {})
            found[name] = Change(name, label, value, by, entry.at)
    return list(found.values())


def _conflict(instance, token: str, related=(), labels=None, trail=None) -> Conflict | None:
    """Lock the record's row and tell whether it is no longer the version ``token`` (or any of
    a comma-separated list, as ``If-Match`` allows); an empty ``token`` or ``*`` asks nothing."""
    tokens = [_parse(t) for t in (token or "").split(",") if t.strip()]
    if not tokens or any(t[0] == "*" for t in tokens) or instance.pk is None:
        return None
    current = type(instance)._default_manager.select_for_update().filter(pk=instance.pk).first()
    if current is None:
        raise Http404(_("This record was removed while you were editing it."))
    now = fingerprint(current, related)
    if any(expected == now for expected, _since in tokens):
        return None
    since = min(since for _expected, since in tokens)
    return Conflict(version(current, related, trail), changes_since(current, since, labels, trail))


def check(instance: models.Model, token: str, related=(), labels=None, trail=None) -> None:
    """Raise ``Conflict`` if the record is no longer the version ``token``; call it inside the
    transaction that saves, so the row stays locked until the save commits."""
    conflict = _conflict(instance, token, related, labels, trail)
    if conflict is not None:
        raise conflict


@contextmanager
def unchanged(instance: models.Model, token: str, related=(), labels=None, trail=None):
    """One transaction around a save that only runs if the record is still version ``token``.

    ``trail`` is the audit entries that describe the record's changes, when its service
    records them on a parent (an area's target on its assessment)."""
    with transaction.atomic():
        check(instance, token, related, labels, trail)
        yield


@contextmanager
def judged_after(instance: models.Model, token: str, related=()):
    """Lock and compare first, but raise ``Conflict`` only after the body ran, rolling it back.

    For the API, whose viewsets check the caller's right to change a record inside the save:
    a caller who may not change it gets their 403 (and an invalid body its 400) before anyone's
    changes are shown to them; a valid, allowed but stale change is undone and answered 412."""
    with transaction.atomic():
        conflict = _conflict(instance, token, related)
        yield
        if conflict is not None:
            raise conflict


class VersionedFormMixin(forms.Form):
    """Put the record's version in a hidden field and refuse a save over someone else's change.

    The view saves inside ``with form.unchanged():``. On a conflict the form keeps everything
    the person typed, lists the other person's changes (``form.conflict``, shown by the shared
    form template) and now carries the new version, so saving again replaces them on purpose.
    ``version_related`` names reverse relations the same page edits (a project's funding lines).
    """

    version_related: tuple[str, ...] = ()

    record_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, record=None, **kwargs):
        self.record = record
        super().__init__(*args, **kwargs)
        self.conflict: Conflict | None = None
        record = self.instance_for_version
        if getattr(record, "pk", None) and not self.is_bound:
            self.initial["record_version"] = version(
                record, self.version_related, self.audit_trail(record)
            )

    @property
    def instance_for_version(self):
        """The record whose version the form carries: a model form's instance, or the
        ``record`` a plain form was given (the indicator whose targets it sets)."""
        return self.record or getattr(self, "instance", None)

    def audit_trail(self, record):
        """The audit entries that say who changed ``record``; override when the service records
        them on a parent record."""
        return audit_trail(record)

    def _token(self) -> str:
        return self.data.get(self.add_prefix("record_version"), "") if self.is_bound else ""

    def _labels(self) -> dict:
        return {name: f.label for name, f in self.fields.items() if f.label}

    def _keep(self, conflict: Conflict):
        """Remember the conflict for the page and carry the new version in the bound data."""
        self.conflict = conflict
        data = self.data.copy()
        data[self.add_prefix("record_version")] = conflict.version
        self.data = data

    @contextmanager
    def unchanged(self):
        """Open the save's transaction; raise ``Conflict`` (and keep it) if the record changed."""
        try:
            record = self.instance_for_version
            trail = self.audit_trail(record)
            with unchanged(record, self._token(), self.version_related, self._labels(), trail):
                yield
        except Conflict as conflict:
            self._keep(conflict)
            raise


def _when(at: datetime | None) -> str:
    return formats.date_format(timezone.localtime(at), "DATETIME_FORMAT") if at else ""


class VersionedAdminForm(VersionedFormMixin, forms.ModelForm):
    """The same check for the Django admin's change form (``form = VersionedAdminForm``).

    The admin saves inside the transaction it opens for the whole request, so the check runs in
    ``clean()``: the row stays locked until the save commits. The admin's page has no panel, so
    the error itself lists the fields changed meanwhile, their values, who and when."""

    def clean(self):
        data = super().clean()
        try:
            check(self.instance, self._token(), self.version_related, self._labels())
        except Conflict as conflict:
            self._keep(conflict)
            raise ValidationError(
                [
                    *conflict.messages,
                    *(
                        _("%(field)s is now “%(value)s” (%(by)s, %(at)s).")
                        % {"field": c.label, "value": c.shown, "by": c.by, "at": _when(c.at)}
                        for c in conflict.changes
                    ),
                ]
            ) from conflict
        return data


class ConflictSerializer(serializers.Serializer):
    """The body of a 412 answer (documentation only; ``Conflict.as_json`` writes it)."""

    class ChangedField(serializers.Serializer):
        field = serializers.CharField(read_only=True)
        value = serializers.JSONField(allow_null=True, read_only=True)
        changed_by = serializers.CharField(read_only=True)
        changed_at = serializers.DateTimeField(allow_null=True, read_only=True)

    detail = serializers.CharField(read_only=True)
    version = serializers.CharField(read_only=True)
    changed = ChangedField(many=True, read_only=True)


class VersionedSchema(api_settings.DEFAULT_SCHEMA_CLASS):
    """Documents the ETag of detail answers, If-Match on PUT/PATCH and their 412 answer; built
    on the project's schema class, whatever it is."""

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        action = getattr(self.view, "action", None)
        if action in ("retrieve", "update", "partial_update"):
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    str,
                    OpenApiParameter.HEADER,
                    response=[200],
                    description=_("The record's version, for If-Match."),
                )
            )
        if action in ("update", "partial_update") and hasattr(self.view, "update"):
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description=_(
                        "The ETag the change starts from; if the record changed since, "
                        "nothing is saved and the answer is 412 naming what changed."
                    ),
                )
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if getattr(self.view, "action", None) in ("update", "partial_update"):
            responses.setdefault(
                "412", self._get_response_for_code(ConflictSerializer, "412", direction=direction)
            )
        return responses


class ETagMixin:
    """Send the record's version as the ``ETag`` of a detail GET (for read-only viewsets too, so a
    client can tell whether a record changed; only ``VersionedViewSetMixin`` adds writing)."""

    version_related: tuple[str, ...] = ()
    schema = VersionedSchema()

    def _with_etag(self, response, pk):
        if 200 <= response.status_code < 300 and pk is not None:
            model = self.get_queryset().model
            instance = model._default_manager.filter(pk=pk).first()
            if instance is not None:
                response["ETag"] = f'"{version(instance, self.version_related)}"'
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        lookup = self.lookup_url_kwarg or self.lookup_field
        return self._with_etag(response, self.kwargs.get(lookup))


class VersionedViewSetMixin(ETagMixin):
    """ETag on a detail GET and on PUT/PATCH answers; ``If-Match`` checked on PUT/PATCH.

    The viewset's own checks run first (``judged_after``), so a caller who may not change the
    record gets 403, not a list of someone else's changes. A stale ``If-Match`` gets 412
    Precondition Failed with the changed fields and who changed them, and nothing is saved.
    The version is a header only, never a body field, so serializers stay as they are (see
    docs/decisions.md)."""

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        try:
            with judged_after(instance, request.headers.get("If-Match", ""), self.version_related):
                response = super().update(request, *args, **kwargs)
        except Conflict as conflict:
            return Response(conflict.as_json(), status=status.HTTP_412_PRECONDITION_FAILED)
        return self._with_etag(response, instance.pk)
