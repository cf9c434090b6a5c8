"""Every change to a cooperation request: draft, send, assign, answer, refuse, follow up,
restrict, permit passing on, pass on, close, withdraw.

Each function takes the acting user, asks ``permissions``, runs in one transaction and writes
an audit entry that names codes and statuses, never content. E-mails (a new request, an
assignment, an answer) say that something waits and where, never what: the content is read
only on the page, by someone who may, and that read is logged.
"""

import datetime
import hashlib
import json
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit, uploads
from liaison.core.permissions import require

from . import crypto, deadlines, permissions
from .models import (
    Attachment,
    Case,
    CaseStatus,
    Entity,
    EntityKind,
    HandlingCode,
    Message,
    MessageKind,
    RefusalGround,
    Request,
    RequestStatus,
    SearchToken,
    Unit,
    UnitRole,
    UnitRoleKind,
)

log = logging.getLogger(__name__)

CODE_FIELDS = [
    "handling_code",
    "handling_restriction",
    "source_evaluation",
    "information_evaluation",
]
REQUEST_FIELDS = ["subject", "kind", "crime_area", "language", "urgency"]
# What of an entity is searchable, by kind: the words of these fields become blind tokens.
SEARCHABLE = {
    EntityKind.PERSON: ["names", "documents"],
    EntityKind.VEHICLE: ["plate", "vin"],
    EntityKind.PHONE: ["number"],
    EntityKind.ORGANISATION: ["name"],
    EntityKind.PLACE: ["name"],
}


class ExchangeError(ValidationError):
    """A request cannot change as asked; the message says why."""


def _lock(request: Request) -> Request:
    return (
        Request.objects.select_for_update().select_related("sender", "exchange").get(pk=request.pk)
    )


def _codes(values: dict) -> dict:
    codes = {name: values.get(name) for name in CODE_FIELDS if values.get(name) is not None}
    codes.setdefault("handling_code", HandlingCode.H0)
    if (
        codes["handling_code"] == HandlingCode.H3
        and not (codes.get("handling_restriction") or "").strip()
    ):
        raise ExchangeError(_("H3: state the restrictions in words."))
    if codes["handling_code"] != HandlingCode.H3:
        codes["handling_restriction"] = ""
    return codes


def _message(request, unit, actor, kind, body, values, case=None, **extra) -> Message:
    message = Message(
        request=request, case=case, from_unit=unit, author=actor, kind=kind, body=body, **extra
    )
    for name, value in _codes(values).items():
        setattr(message, name, value)
    message.full_clean(exclude=["request", "case", "from_unit", "author", "permits"])
    message.save()
    return message


def searchable_text(kind: str, details: dict) -> str:
    """The words of an entity that search finds it by (``SEARCHABLE``), as one text."""
    words = []
    for name in SEARCHABLE.get(kind, []):
        value = details.get(name, "")
        words.append(" ".join(value) if isinstance(value, list) else str(value))
    return " ".join(words)


def _entities(request: Request, entities: list[dict]):
    """Store the entities (encrypted) and the blind tokens of their searchable words."""
    words = []
    for item in entities:
        kind = item.get("kind")
        if kind not in EntityKind.values:
            raise ExchangeError(_("Unknown kind of entity: %(kind)s.") % {"kind": kind})
        details = {k: v for k, v in item.items() if k != "kind" and v not in (None, "", [])}
        if not details:
            continue
        Entity.objects.create(request=request, kind=kind, details=json.dumps(details))
        words.append(searchable_text(kind, details))
    tokens = crypto.tokens(" ".join(words))
    SearchToken.objects.bulk_create(
        [SearchToken(request=request, token=t) for t in tokens], ignore_conflicts=True
    )


def entity_details(entity: Entity) -> dict:
    return json.loads(entity.details or "{}")


# Drafting and sending --------------------------------------------------------------------------


@transaction.atomic
def draft(actor, sender: Unit, values: dict, recipients, entities=(), now=None) -> Request:
    """A draft from ``sender`` to ``recipients`` (units of the same network): the request's
    fields, its narrative and codes (``values``) and the entities it is about."""
    require(permissions.can_draft(actor, sender))
    now = now or timezone.now()
    recipients = list(recipients)
    if not recipients:
        raise ExchangeError(_("Choose at least one unit to send the request to."))
    for unit in recipients:
        if unit.exchange_id != sender.exchange_id or not unit.active or unit.pk == sender.pk:
            raise ExchangeError(
                _("%(unit)s is not another unit of this network.") % {"unit": unit.code}
            )
    Unit.objects.select_for_update().filter(pk=sender.pk).first()
    last = Request.objects.filter(sender=sender, year=now.year).aggregate(n=Max("number"))["n"]
    request = Request(
        exchange_id=sender.exchange_id,
        sender=sender,
        year=now.year,
        number=(last or 0) + 1,
        created_by=actor,
        forwarded_from=values.get("forwarded_from"),
    )
    for name in REQUEST_FIELDS:
        if values.get(name) is not None:
            setattr(request, name, values[name])
    if not (request.subject or "").strip():
        raise ExchangeError(_("Give the request a subject."))
    request.full_clean(exclude=["exchange", "sender", "created_by", "forwarded_from"])
    request.save()
    _message(request, sender, actor, MessageKind.REQUEST, values.get("narrative", ""), values)
    Case.objects.bulk_create([Case(request=request, unit=unit) for unit in recipients])
    _entities(request, list(entities))
    audit.record(
        actor,
        "exchange.request_drafted",
        request,
        {"to": [None, ", ".join(u.code for u in recipients)], "urgency": [None, request.urgency]},
    )
    return request


@transaction.atomic
def send(actor, request: Request, now=None) -> Request:
    """Send the draft: each receiving unit acknowledges it at once and its clock starts, due
    on its own wall clock (``deadlines.due``)."""
    request = _lock(request)
    require(permissions.can_edit_draft(actor, request))
    now = now or timezone.now()
    request.status = RequestStatus.SENT
    request.sent_at = now
    request.save(update_fields=["status", "sent_at"])
    for case in request.cases.select_related("unit"):
        case.status = CaseStatus.RECEIVED
        case.received_at = now
        case.deadline = deadlines.due(now, request.urgency, case.unit.zone)
        case.save(update_fields=["status", "received_at", "deadline"])
        _notify(case.unit, _("A new request waits for your unit"), request)
    audit.record(actor, "exchange.request_sent", request, {"status": ["draft", "sent"]})
    return request


def _notify(unit: Unit, subject: str, request: Request, users=None):
    """Tell the unit's people (or ``users``) that something waits, without any content."""
    if users is None:
        users = [r.user for r in UnitRole.objects.filter(unit=unit, ended__isnull=True)]
    addresses = sorted({u.email for u in users if u.email})
    if not addresses:
        return
    body = _(
        "Request %(reference)s (%(urgency)s) waits in Liaison for %(unit)s. "
        "Sign in to read it; its content is not sent by e-mail."
    ) % {
        "reference": request.reference,
        "urgency": request.get_urgency_display(),
        "unit": unit.code,
    }
    transaction.on_commit(
        lambda: send_mail(
            f"[Liaison] {subject}: {request.reference}",
            body,
            settings.DEFAULT_FROM_EMAIL,
            addresses,
            fail_silently=True,
        )
    )


# The receiving unit -------------------------------------------------------------------------


@transaction.atomic
def assign(actor, case: Case, officers) -> Case:
    _lock(case.request)
    case = Case.objects.select_related("request", "unit").get(pk=case.pk)
    require(permissions.can_assign(actor, case))
    officers = list(officers)
    holders = set(
        UnitRole.objects.filter(unit=case.unit, ended__isnull=True).values_list("user", flat=True)
    )
    if not officers or any(o.pk not in holders for o in officers):
        raise ExchangeError(_("Assign officers who hold the exchange role in your unit."))
    case.assigned.set(officers)
    if case.status == CaseStatus.RECEIVED:
        case.status = CaseStatus.ASSIGNED
        case.save(update_fields=["status"])
    audit.record(
        actor,
        "exchange.case_assigned",
        case.request,
        {
            "assigned": [None, ", ".join(o.username for o in officers)],
            "unit": [None, case.unit.code],
        },
    )
    _notify(case.unit, _("A request is assigned to you"), case.request, users=officers)
    return case


@transaction.atomic
def reply(actor, case: Case, body: str, values: dict, now=None) -> Message:
    _lock(case.request)
    case = Case.objects.select_related("request", "unit").get(pk=case.pk)
    require(permissions.can_answer(actor, case))
    if not (body or "").strip():
        raise ExchangeError(_("Write the reply."))
    now = now or timezone.now()
    message = _message(case.request, case.unit, actor, MessageKind.REPLY, body, values, case=case)
    if case.answered_at is None:
        case.answered_at = now
    case.status = CaseStatus.ANSWERED
    case.save(update_fields=["status", "answered_at"])
    audit.record(
        actor,
        "exchange.case_answered",
        case.request,
        {
            "unit": [None, case.unit.code],
            "codes": [None, f"{message.handling_code} {message.evaluation}"],
        },
    )
    _notify(case.request.sender, _("An answer came in"), case.request)
    return message


@transaction.atomic
def refuse(actor, case: Case, ground: str, reason: str, now=None) -> Message:
    _lock(case.request)
    case = Case.objects.select_related("request", "unit").get(pk=case.pk)
    require(permissions.can_answer(actor, case))
    if ground not in RefusalGround.values:
        raise ExchangeError(_("Choose the ground of the refusal."))
    if not (reason or "").strip():
        raise ExchangeError(_("State the reason for the refusal in words."))
    now = now or timezone.now()
    message = _message(case.request, case.unit, actor, MessageKind.REFUSAL, reason, {}, case=case)
    case.status = CaseStatus.REFUSED
    case.refused_at = now
    case.refusal_ground = ground
    case.save(update_fields=["status", "refused_at", "refusal_ground"])
    audit.record(
        actor,
        "exchange.case_refused",
        case.request,
        {"unit": [None, case.unit.code], "ground": [None, ground]},
    )
    _notify(case.request.sender, _("A request was refused"), case.request)
    return message


@transaction.atomic
def restrict_case(actor, case: Case, restricted: bool) -> Case:
    require(permissions.can_restrict_case(actor, case))
    case.restricted = restricted
    case.save(update_fields=["restricted"])
    audit.record(
        actor, "exchange.case_restricted", case.request, {"restricted": [None, restricted]}
    )
    return case


# Either side --------------------------------------------------------------------------------


@transaction.atomic
def follow_up(actor, request: Request, body: str, values: dict, case: Case | None = None):
    """A message in the thread: from the sending unit to every receiving unit (no ``case``)
    or to one; from a receiving unit to the sender (its own ``case``)."""
    request = _lock(request)
    require(permissions.can_follow_up(actor, request, case))
    if not (body or "").strip():
        raise ExchangeError(_("Write the message."))
    sender_side = permissions.can_act_for_sender(actor, request)
    unit = request.sender if sender_side else case.unit
    message = _message(request, unit, actor, MessageKind.FOLLOW_UP, body, values, case=case)
    audit.record(actor, "exchange.follow_up", request, {"from": [None, unit.code]})
    return message


@transaction.atomic
def close(actor, request: Request, now=None) -> Request:
    request = _lock(request)
    require(permissions.can_close(actor, request))
    return _end(actor, request, RequestStatus.CLOSED, now)


@transaction.atomic
def withdraw(actor, request: Request, now=None) -> Request:
    request = _lock(request)
    require(permissions.can_withdraw(actor, request))
    return _end(actor, request, RequestStatus.WITHDRAWN, now)


def _end(actor, request: Request, status: str, now=None) -> Request:
    now = now or timezone.now()
    before = request.status
    request.status = status
    request.closed_at = now
    request.save(update_fields=["status", "closed_at"])
    request.cases.exclude(status=CaseStatus.CLOSED).update(status=CaseStatus.CLOSED, closed_at=now)
    audit.record(actor, f"exchange.request_{status}", request, {"status": [before, status]})
    return request


@transaction.atomic
def restrict_request(actor, request: Request, restricted: bool) -> Request:
    require(permissions.can_restrict_request(actor, request))
    request.restricted = restricted
    request.save(update_fields=["restricted"])
    audit.record(actor, "exchange.request_restricted", request, {"restricted": [None, restricted]})
    return request


# Passing on -------------------------------------------------------------------------------------


@transaction.atomic
def grant_forwarding(actor, message: Message, unit: Unit, note: str = "") -> Message:
    """Record, in the thread, that ``message`` (H2 or H3) may go to ``unit``."""
    require(permissions.can_grant_forwarding(actor, message))
    permission = Message.objects.create(
        request=message.request,
        case=message.case,
        from_unit=message.from_unit,
        author=actor,
        kind=MessageKind.PERMISSION,
        body=note,
        permits=message,
        permitted_unit=unit,
    )
    audit.record(
        actor,
        "exchange.forwarding_granted",
        message.request,
        {"message": [None, message.pk], "to": [None, unit.code]},
    )
    return permission


@transaction.atomic
def forward(actor, message: Message, sender: Unit, recipients, values: dict, entities=()):
    """A new request from ``sender`` carrying on ``message`` (which ``actor`` may read): refused
    for H2 and H3 unless its sender permitted each recipient (``permissions.may_pass_on``)."""
    if not permissions.visible_messages(actor, message.request).filter(pk=message.pk).exists():
        raise ExchangeError(_("You cannot pass on a message you may not read."))
    recipients = list(recipients)
    refusals = [
        why for unit in recipients for ok, why in [permissions.may_pass_on(message, unit)] if not ok
    ]
    if refusals:
        raise ExchangeError(refusals)
    return draft(actor, sender, {**values, "forwarded_from": message}, recipients, entities)


# Attachments -----------------------------------------------------------------------------------


def max_attachment_bytes() -> int:
    return getattr(settings, "EXCHANGE_ATTACHMENT_MAX_BYTES", 20 * uploads.MB)


@transaction.atomic
def attach(actor, message: Message, upload) -> Attachment:
    """Store ``upload`` with ``message``, encrypted, after checking its kind by content."""
    if message.author_id != getattr(actor, "pk", None):
        raise ExchangeError(_("Only the author attaches files to a message."))
    kind = uploads.kind_of(upload, max_attachment_bytes())
    upload.seek(0)
    data = upload.read()
    attachment = Attachment(
        message=message,
        name=uploads.stored_name(upload, kind),
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    from django.core.files.base import ContentFile

    attachment.blob.save("blob.bin", ContentFile(crypto.seal_bytes(data)), save=False)
    attachment.save()
    return attachment


def attachment_content(attachment: Attachment) -> bytes:
    with attachment.blob.open("rb") as handle:
        return crypto.unseal_bytes(handle.read())


# Retention ---------------------------------------------------------------------------------------


@transaction.atomic
def erase_expired(now=None) -> int:
    """Erase the content of requests closed longer ago than their network keeps it, leaving
    units, dates, codes and statuses for the statistics. Returns how many were erased."""
    now = now or timezone.now()
    erased = 0
    expired = Request.objects.filter(
        status__in=[RequestStatus.CLOSED, RequestStatus.WITHDRAWN],
        content_erased_at__isnull=True,
        closed_at__isnull=False,
    ).select_related("exchange")
    storage = Attachment._meta.get_field("blob").storage
    for request in expired.iterator():
        if request.closed_at + datetime.timedelta(days=request.exchange.retention_days) > now:
            continue
        files = list(
            Attachment.objects.filter(message__request=request).values_list("blob", flat=True)
        )
        Attachment.objects.filter(message__request=request).delete()
        request.messages.update(body="", handling_restriction="")
        request.entities.all().delete()
        request.tokens.all().delete()
        Request.objects.filter(pk=request.pk).update(subject="", content_erased_at=now)
        transaction.on_commit(lambda files=files: [storage.delete(name) for name in files])
        erased += 1
    return erased


def unit_officers(unit: Unit):
    return UnitRole.objects.filter(unit=unit, ended__isnull=True, role=UnitRoleKind.OFFICER)
