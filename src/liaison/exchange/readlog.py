"""Writing and checking the read log (``models/log.py``).

Each request's entries form one chain: an entry's hash covers what it records and the hash of
the entry before it in the same request. Changing, removing or reordering an entry breaks the
chain from there on, which ``verify`` finds in an exported log. The chain is extended under a
lock on the request's row, so two readers at the same moment do not fork it.
"""

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from .models import ReadEntry, Request

GENESIS = "0" * 64


def entry_hash(previous: str, at, user_id, unit_id, request_id, what: str, detail: str) -> str:
    payload = json.dumps(
        [previous, at.isoformat(), user_id, unit_id, request_id, what, detail],
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@transaction.atomic
def record(user, request: Request, what: str, detail: str = "", unit=None) -> ReadEntry:
    """Note that ``user`` (acting for ``unit``) read ``what`` of ``request``."""
    Request.objects.select_for_update().filter(pk=request.pk).first()
    last = ReadEntry.objects.filter(request=request).order_by("-pk").first()
    previous = last.hash if last else GENESIS
    at = timezone.now()
    user_id = getattr(user, "pk", None)
    unit_id = getattr(unit, "pk", None)
    return ReadEntry.objects.create(
        at=at,
        user_id=user_id,
        unit_id=unit_id,
        request=request,
        what=what,
        detail=str(detail)[:100],
        previous=previous,
        hash=entry_hash(previous, at, user_id, unit_id, request.pk, what, str(detail)[:100]),
    )


def verify(rows) -> int | None:
    """The index of the first entry whose chain is broken in ``rows`` (dicts or entries of one
    request, in order), or None when the chain holds."""
    previous = GENESIS
    for index, row in enumerate(rows):
        get = row.get if isinstance(row, dict) else lambda name, row=row: getattr(row, name)
        at = get("at")
        if isinstance(at, str):
            from datetime import datetime

            at = datetime.fromisoformat(at)
        expected = entry_hash(
            previous,
            at,
            get("user_id"),
            get("unit_id"),
            get("request_id"),
            get("what"),
            get("detail"),
        )
        if get("previous") != previous or get("hash") != expected:
            return index
        previous = get("hash")
    return None
