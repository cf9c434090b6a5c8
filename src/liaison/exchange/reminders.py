"""Reminders before a deadline, and the re-encryption of content under a new key.

Both run from the command line (``liaison exchange_remind`` every few minutes from cron or a
timer; ``liaison exchange_rotate_key`` once after a new key is put first in
``LIAISON_EXCHANGE_KEY``). A reminder says which request waits and until when, never what it
says.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import crypto
from .models import OPEN_CASES, Attachment, Case, Entity, Message, Request, SearchToken, UnitRole


def due_for_reminder(now=None):
    """Open cases whose deadline falls within their network's reminder time, not reminded."""
    now = now or timezone.now()
    cases = Case.objects.filter(
        status__in=OPEN_CASES, reminded_at__isnull=True, deadline__gt=now
    ).select_related("request__sender", "unit__exchange")
    return [
        case
        for case in cases.iterator()
        if case.deadline - now <= datetime.timedelta(hours=case.unit.exchange.reminder_hours)
    ]


def send_reminders(now=None) -> int:
    now = now or timezone.now()
    sent = 0
    for case in due_for_reminder(now):
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            if locked.reminded_at is not None:
                continue
            users = list(locked.assigned.all()) or [
                role.user for role in UnitRole.objects.filter(unit=case.unit, ended__isnull=True)
            ]
            addresses = sorted({u.email for u in users if u.email})
            local = case.deadline.astimezone(case.unit.zone)
            if addresses:
                send_mail(
                    _("[Liaison] Due soon: %(reference)s") % {"reference": case.request.reference},
                    _(
                        "Request %(reference)s is due on %(when)s (%(zone)s). Sign in to "
                        "answer it; its content is not sent by e-mail."
                    )
                    % {
                        "reference": case.request.reference,
                        "when": f"{local:%Y-%m-%d %H:%M}",
                        "zone": case.unit.timezone,
                    },
                    settings.DEFAULT_FROM_EMAIL,
                    addresses,
                    fail_silently=True,
                )
            locked.reminded_at = now
            locked.save(update_fields=["reminded_at"])
            sent += 1
    return sent


@transaction.atomic
def rotate_key() -> dict:
    """Re-encrypt every value under the first key and recompute the search tokens with it.

    The tokens are recomputed from the entities' own words, so the old tokens are replaced,
    not kept beside the new ones."""
    from .services import entity_details, searchable_text

    counts = {"requests": 0, "messages": 0, "entities": 0, "attachments": 0}
    for model, fields, key in [
        (Request, ["subject"], "requests"),
        (Message, ["body", "handling_restriction"], "messages"),
        (Entity, ["details"], "entities"),
        (Attachment, ["name"], "attachments"),
    ]:
        for row in model.objects.only("pk", *fields).iterator():
            # Reading decrypts with any of the keys; saving encrypts with the first.
            model.objects.filter(pk=row.pk).update(**{f: getattr(row, f) for f in fields})
            counts[key] += 1
    storage = Attachment._meta.get_field("blob").storage
    for attachment in Attachment.objects.iterator():
        with storage.open(attachment.blob.name, "rb") as handle:
            data = crypto.unseal_bytes(handle.read())
        with storage.open(attachment.blob.name, "wb") as handle:
            handle.write(crypto.seal_bytes(data))
    SearchToken.objects.all().delete()
    words: dict[int, list[str]] = {}
    for entity in Entity.objects.iterator():
        text = searchable_text(entity.kind, entity_details(entity))
        words.setdefault(entity.request_id, []).append(text)
    SearchToken.objects.bulk_create(
        [
            SearchToken(request_id=request_id, token=token)
            for request_id, texts in words.items()
            for token in crypto.tokens(" ".join(texts))
        ],
        ignore_conflicts=True,
    )
    return counts
