"""Writes of equipment: the request and each step of its path, and the use check after it.

Each function takes the acting user and plain values, checks the right through
``permissions``, locks the item, refuses a step taken out of order or a date that runs
backwards, and writes the audit trail with the old and new values. A refused step saves
nothing: the signed document of a hand-over that fails is removed again.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.core import audit
from liaison.core.models import AuditEntry
from liaison.core.permissions import require
from liaison.portfolio.models import Participation

from . import documents, permissions
from .models import HANDED_OVER, NEXT_STATUS, HandOver, Item, ItemStatus, UseCheck

REQUEST_FIELDS = [
    "project",
    "institution",
    "category",
    "name",
    "description",
    "quantity",
    "estimated_cost",
    "currency",
]
# A project's item stays with its project: what changes while requested is the rest.
EDITABLE_FIELDS = REQUEST_FIELDS[1:]
PATH_FIELDS = [
    "status",
    "requested_on",
    "approved_on",
    "procured_on",
    "supplier",
    "actual_cost",
    "delivered_on",
    "decision_note",
]


class EquipmentError(Exception):
    """A rule of the equipment path refused the action; the message says which."""


def _today() -> datetime.date:
    return timezone.localdate()


def _locked(item: Item) -> Item:
    return Item.objects.select_for_update().get(pk=item.pk)


def _snapshot(item: Item, names) -> dict:
    return {name: getattr(item, name) for name in names}


def _expect(item: Item, to: str):
    """Refuse a step that does not follow the item's current one."""
    if NEXT_STATUS.get(item.status) != to:
        previous = next(
            (ItemStatus(s).label for s, after in NEXT_STATUS.items() if after == to), ""
        )
        raise EquipmentError(
            _("The item is “%(status)s”; it becomes “%(to)s” only from “%(from)s”.")
            % {
                "status": item.get_status_display(),
                "to": ItemStatus(to).label,
                "from": previous,
            }
        )


def _check_date(day, earlier, earlier_label: str):
    """``day`` is not in the future and not before ``earlier``, the date of the step before."""
    if day is None:
        raise EquipmentError(_("Give the date."))
    if day > _today():
        raise EquipmentError(_("The date cannot be in the future."))
    if earlier is not None and day < earlier:
        raise EquipmentError(
            _("The date cannot be before the item was %(step)s (%(date)s).")
            % {"step": earlier_label, "date": earlier.isoformat()}
        )


def _check_institution(project, institution):
    if not Participation.objects.filter(project=project, organisation=institution).exists():
        raise EquipmentError(
            _("%(institution)s does not take part in the project; add it to the partners first.")
            % {"institution": institution}
        )


def currency_code(value: str) -> str:
    """The ISO 4217 code as typed, upper-cased; anything else is refused."""
    code = (value or "").strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValidationError({"currency": _("Give the three-letter code, such as EUR.")})
    return code


def _record(actor, action: str, item: Item, before: dict, names, reason: str = ""):
    audit.record(actor, action, item, audit.diff(before, _snapshot(item, names)), reason)


# The request ---------------------------------------------------------------------------------


@transaction.atomic
def request_item(actor, *, requested_on=None, **fields) -> Item:
    """A new item asked for: ``fields`` are those of ``REQUEST_FIELDS``."""
    unknown = set(fields) - set(REQUEST_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    project = fields["project"]
    require(permissions.can_request(actor, project))
    _check_institution(project, fields["institution"])
    fields["currency"] = currency_code(fields.get("currency", "EUR"))
    item = Item(**fields, requested_by=actor if actor.is_authenticated else None)
    item.requested_on = requested_on or _today()
    if item.requested_on > _today():
        raise EquipmentError(_("The date cannot be in the future."))
    item.full_clean()
    item.save()
    _record(actor, "item.requested", item, {}, REQUEST_FIELDS + ["status", "requested_on"])
    return item


@transaction.atomic
def update_request(actor, item: Item, fields: dict, reason: str = "") -> Item:
    """Change what is asked for, as long as nobody has decided on it."""
    item = _locked(item)
    require(permissions.can_edit_request(actor, item))
    if item.status != ItemStatus.REQUESTED:
        raise EquipmentError(
            _("The item is “%(status)s”: a request can be changed only before the decision.")
            % {"status": item.get_status_display()}
        )
    before = _snapshot(item, EDITABLE_FIELDS)
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise TypeError(f"{name} cannot be changed")
        setattr(item, name, value)
    item.currency = currency_code(item.currency)
    _check_institution(item.project, item.institution)
    item.full_clean()
    item.save()
    _record(actor, "item.updated", item, before, EDITABLE_FIELDS, reason)
    return item


# The decision --------------------------------------------------------------------------------


@transaction.atomic
def approve(actor, item: Item, note: str = "", on=None) -> Item:
    item = _locked(item)
    require(permissions.can_decide(actor, item))
    _expect(item, ItemStatus.APPROVED)
    on = on or _today()
    _check_date(on, item.requested_on, _("requested"))
    before = _snapshot(item, PATH_FIELDS)
    item.status, item.approved_on, item.decision_note = ItemStatus.APPROVED, on, note.strip()
    item.save()
    _record(actor, "item.approved", item, before, PATH_FIELDS, note.strip())
    return item


@transaction.atomic
def reject(actor, item: Item, note: str) -> Item:
    """Refuse a request; the note tells the project why."""
    item = _locked(item)
    require(permissions.can_decide(actor, item))
    if item.status != ItemStatus.REQUESTED:
        raise EquipmentError(
            _("The item is “%(status)s”: only a request waiting for a decision can be rejected.")
            % {"status": item.get_status_display()}
        )
    if not (note or "").strip():
        raise EquipmentError(_("Say why the request is rejected."))
    before = _snapshot(item, PATH_FIELDS)
    item.status, item.decision_note = ItemStatus.REJECTED, note.strip()
    item.save()
    _record(actor, "item.rejected", item, before, PATH_FIELDS, note.strip())
    return item


# The path ------------------------------------------------------------------------------------


@transaction.atomic
def record_procurement(actor, item: Item, *, procured_on, supplier: str, actual_cost) -> Item:
    item = _locked(item)
    require(permissions.can_follow_up(actor, item))
    _expect(item, ItemStatus.PROCURED)
    _check_date(procured_on, item.approved_on, _("approved"))
    if not (supplier or "").strip():
        raise EquipmentError(_("Name the supplier."))
    if actual_cost is None:
        raise EquipmentError(_("Give the actual cost."))
    before = _snapshot(item, PATH_FIELDS)
    item.status = ItemStatus.PROCURED
    item.procured_on, item.supplier, item.actual_cost = procured_on, supplier.strip(), actual_cost
    item.full_clean()
    item.save()
    _record(actor, "item.procured", item, before, PATH_FIELDS)
    return item


def deliver(
    actor,
    item: Item,
    *,
    handed_over_on,
    receiving_officer: str,
    document,
    receiving_position: str = "",
    notes: str = "",
) -> Item:
    """Record the hand-over with its signed document. If anything is refused once the document
    has been stored, the stored file is removed with the rolled-back records."""
    stored = []
    try:
        with transaction.atomic():
            return _deliver(
                actor,
                item,
                stored,
                handed_over_on=handed_over_on,
                receiving_officer=receiving_officer,
                receiving_position=receiving_position,
                document=document,
                notes=notes,
            )
    except BaseException:
        for field_file in stored:
            field_file.storage.delete(field_file.name)
        raise


def _deliver(actor, item, stored, *, document, **fields) -> Item:
    item = _locked(item)
    require(permissions.can_follow_up(actor, item))
    _expect(item, ItemStatus.DELIVERED)
    _check_date(fields["handed_over_on"], item.procured_on, _("procured"))
    if not (fields["receiving_officer"] or "").strip():
        raise EquipmentError(_("Name the officer who received the item."))
    try:
        kind = documents.kind_of(document)
    except ValidationError as error:
        raise ValidationError({"document": error.messages}) from error
    handover = HandOver(item=item, recorded_by=actor, **fields)
    handover.full_clean(exclude=["document", "item"])
    name = f"hand-over-{fields['handed_over_on'].isoformat()}.{kind}"
    handover.document.save(name, document, save=False)
    stored.append(handover.document)
    handover.save()
    before = _snapshot(item, PATH_FIELDS)
    item.status, item.delivered_on = ItemStatus.DELIVERED, fields["handed_over_on"]
    item.save()
    changes = audit.diff(before, _snapshot(item, PATH_FIELDS))
    changes.update(
        audit.diff(
            {},
            {
                "receiving_officer": handover.receiving_officer,
                "receiving_position": handover.receiving_position,
                "document": handover.document.name,
            },
        )
    )
    audit.record(actor, "item.delivered", item, changes, fields.get("notes", ""))
    return item


@transaction.atomic
def mark_in_use(actor, item: Item) -> Item:
    item = _locked(item)
    require(permissions.can_follow_up(actor, item))
    _expect(item, ItemStatus.IN_USE)
    before = _snapshot(item, PATH_FIELDS)
    item.status = ItemStatus.IN_USE
    item.save()
    _record(actor, "item.in_use", item, before, PATH_FIELDS)
    return item


@transaction.atomic
def record_use_check(actor, item: Item, *, checked_on, finding: str, notes: str = "") -> UseCheck:
    """A look at whether the institution uses what it received; due six months on."""
    item = _locked(item)
    require(permissions.can_follow_up(actor, item))
    if item.status not in HANDED_OVER:
        raise EquipmentError(
            _("The item is “%(status)s”: its use is checked once it has been delivered.")
            % {"status": item.get_status_display()}
        )
    _check_date(checked_on, item.delivered_on, _("delivered"))
    check = UseCheck(
        item=item, checked_on=checked_on, finding=finding, notes=notes.strip(), checked_by=actor
    )
    check.full_clean()
    check.save()
    audit.record(
        actor,
        "item.use_checked",
        item,
        audit.diff({}, {"checked_on": checked_on, "finding": finding}),
        check.notes,
    )
    return check


# Reading -------------------------------------------------------------------------------------

STEPS = [
    (ItemStatus.REQUESTED, "requested_on", "item.requested"),
    (ItemStatus.APPROVED, "approved_on", "item.approved"),
    (ItemStatus.PROCURED, "procured_on", "item.procured"),
    (ItemStatus.DELIVERED, "delivered_on", "item.delivered"),
    (ItemStatus.IN_USE, None, "item.in_use"),
]
ORDER = [status for status, _field, _action in STEPS]


ACTION_LABELS = {
    "item.requested": gettext_lazy("Requested"),
    "item.updated": gettext_lazy("Request changed"),
    "item.approved": gettext_lazy("Approved"),
    "item.rejected": gettext_lazy("Rejected"),
    "item.procured": gettext_lazy("Procured"),
    "item.delivered": gettext_lazy("Delivered"),
    "item.in_use": gettext_lazy("In use"),
    "item.use_checked": gettext_lazy("Use checked"),
}


def history(item: Item) -> list[AuditEntry]:
    """Every recorded change of the item, oldest first, with who made it: one query. Each
    entry carries ``label``, what was done in words."""
    entries = list(
        AuditEntry.objects.filter(object_type=Item._meta.label_lower, object_id=str(item.pk))
        .select_related("actor")
        .order_by("at", "pk")
    )
    for entry in entries:
        entry.label = ACTION_LABELS.get(entry.action, entry.action)
    return entries


def path(item: Item, entries: list[AuditEntry]) -> list[dict]:
    """The steps of the item's path, each with its date, who took it and when, from the
    audit ``entries``; the steps still ahead are listed as not done."""
    by_action = {}
    for entry in entries:
        by_action.setdefault(entry.action, entry)
    rejected = item.status == ItemStatus.REJECTED
    reached = 0 if rejected else ORDER.index(item.status)
    steps = []
    for index, (status, field, action) in enumerate(STEPS):
        if rejected and index > 0:
            break
        entry = by_action.get(action)
        steps.append(
            {
                "status": status,
                "label": status.label,
                "on": getattr(item, field) if field else (entry.at.date() if entry else None),
                "entry": entry,
                "done": index <= reached,
                "current": index == reached and not rejected,
            }
        )
    if rejected:
        entry = by_action.get("item.rejected")
        steps.append(
            {
                "status": ItemStatus.REJECTED,
                "label": ItemStatus.REJECTED.label,
                "on": entry.at.date() if entry else None,
                "entry": entry,
                "done": True,
                "current": True,
            }
        )
    return steps
