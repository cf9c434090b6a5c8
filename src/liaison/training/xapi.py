"""Learning activity as xAPI statements (the Experience API, version 1.0.3).

Liaison acts as its own learning record store: each statement is kept whole so that the export
is what a learning record store such as Learning Locker or SCORM Cloud takes in. Activity ids
are URLs on this site, so they stay unique and resolvable. Scores are kept within xAPI's bounds
(``score``); the statements of one attempt share its ``context.registration``. When
``LIAISON_LRS_URL`` names an external store, each new statement is also queued for it
(``XapiDelivery``, sent by ``tasks.send_statement``); ``tests/training/xapi_rules.py`` holds
the rules every statement is tested against.
"""

import math
import uuid
from contextlib import nullcontext
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from .models import Statement, XapiDelivery

VERBS = {
    "launched": "http://adlnet.gov/expapi/verbs/launched",
    "experienced": "http://adlnet.gov/expapi/verbs/experienced",
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "attended": "http://adlnet.gov/expapi/verbs/attended",
}

ACTIVITY_TYPES = {
    "course": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "lesson": "http://adlnet.gov/expapi/activities/lesson",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "media": "http://adlnet.gov/expapi/activities/media",
}


def activity_id(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def actor(user) -> dict:
    """The learner as an xAPI agent named by account, not by e-mail, to keep addresses out of
    exports."""
    return {
        "objectType": "Agent",
        "name": user.get_full_name() or user.get_username(),
        "account": {"homePage": settings.SITE_URL.rstrip("/"), "name": str(user.pk)},
    }


def duration(seconds: int) -> str:
    """ISO 8601 duration, as xAPI writes time spent."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"PT{hours}H{minutes}M{secs}S"


def _number(value) -> float | None:
    """A finite number from what a runtime or a column holds (``85``, ``"85.5"``, a Decimal),
    or None for an empty, unreadable or infinite value."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return None
    try:
        number = float(value if not isinstance(value, Decimal) else str(value))
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _scaled(raw: float, low: float, high: float) -> float:
    """``raw`` between ``low`` and ``high`` brought to [-1, 1]: zero stays zero when the range
    holds it (a penalty below zero is negative), otherwise the range is stretched to [0, 1]."""
    if low >= 0:
        return (raw - low) / (high - low)
    if high <= 0:
        return (raw - high) / (high - low)
    return raw / high if raw >= 0 else raw / -low


def score(raw=None, min=None, max=None, scaled=None) -> dict | None:
    """A score object that keeps the rules of xAPI 1.0.3 (section 2.4.5.1), from what a quiz,
    a SCORM runtime or a column gives (numbers, numeric strings, Decimals or None).

    * ``min`` and ``max`` are kept only when ``min < max`` (a package's own bounds, never an
      assumed 0); a bound that ``raw`` falls outside of is dropped, ``raw`` is kept;
    * ``scaled`` is kept only within [-1, 1]; when it is missing (or out of range) it is
      computed from ``raw`` and the bounds, taking a missing ``min`` as 0 for a score that is
      not negative, and left out when that is not meaningful (no ``max``);
    * None when neither a raw nor a scaled score remains.
    """
    raw, low, high, scaled = _number(raw), _number(min), _number(max), _number(scaled)
    if low is not None and high is not None and not low < high:
        low = high = None
    if raw is not None:
        if low is not None and raw < low:
            low = None
        if high is not None and raw > high:
            high = None
    if scaled is not None and not -1 <= scaled <= 1:
        scaled = None
    if scaled is None and raw is not None and high is not None:
        floor = low if low is not None else (0.0 if raw >= 0 else None)
        if floor is not None and floor < high:
            scaled = round(_scaled(raw, floor, high), 4)
            scaled = scaled if -1 <= scaled <= 1 else None
    if raw is None and scaled is None:
        return None
    result = {}
    if scaled is not None:
        result["scaled"] = scaled
    if raw is not None:
        result["raw"] = raw
    if low is not None:
        result["min"] = low
    if high is not None:
        result["max"] = high
    return result


def _checked(result: dict) -> dict:
    """``result`` with its score brought within the rules (a copy; the caller's dict may be
    reused for the next statement)."""
    result = dict(result)
    given = result.pop("score", None)
    if isinstance(given, dict):
        checked = score(
            raw=given.get("raw"),
            min=given.get("min"),
            max=given.get("max"),
            scaled=given.get("scaled"),
        )
        if checked is not None:
            result["score"] = checked
    return result


def _queue_delivery(statement: Statement) -> None:
    """When an external learning record store is configured, a delivery for ``statement`` in
    the same transaction; the worker is told after commit, so the learner never waits on it."""
    if not settings.LRS_URL:
        return
    delivery = XapiDelivery.objects.create(statement=statement, next_try=timezone.now())
    from .tasks import enqueue_delivery

    transaction.on_commit(lambda: enqueue_delivery(delivery.pk), robust=True)


def record(
    user,
    verb: str,
    *,
    object_path: str,
    name: str,
    activity_type: str,
    module=None,
    course=None,
    result: dict | None = None,
    registration: uuid.UUID | str | None = None,
) -> Statement:
    """Store one statement that ``user`` did ``verb`` (a key of ``VERBS``) to the activity at
    ``object_path`` (a path on this site, e.g. ``reverse("training:lesson", ...)``).

    A result's score is kept within xAPI's bounds (``score``); ``registration`` (the UUID of an
    attempt, such as a SCORM attempt's) becomes ``context.registration``, so a learning record
    store groups the attempt's statements. Raises ValueError for a registration that is not a
    UUID.
    """
    now = timezone.now()
    statement_id = uuid.uuid4()
    data = {
        "id": str(statement_id),
        "actor": actor(user),
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": {
            "objectType": "Activity",
            "id": activity_id(object_path),
            "definition": {
                "name": {"en-US": name},
                "type": ACTIVITY_TYPES[activity_type],
            },
        },
        "timestamp": now.isoformat(),
    }
    if result:
        result = _checked(result)
    if result:
        data["result"] = result
    parents = []
    if course is not None:
        parents.append({"id": activity_id(reverse("training:course", args=[course.pk]))})
    if module is not None:
        parents.append({"id": activity_id(reverse("training:module", args=[module.pk]))})
    context = {}
    if registration is not None:
        context["registration"] = str(
            registration if isinstance(registration, uuid.UUID) else uuid.UUID(str(registration))
        )
    if parents:
        context["contextActivities"] = {"parent": parents}
    if context:
        data["context"] = context
    # With an external store, the delivery is written in the statement's own transaction.
    with transaction.atomic() if settings.LRS_URL else nullcontext():
        statement = Statement.objects.create(
            id=statement_id,
            user=user,
            module=module,
            course=course,
            verb=VERBS[verb],
            object_id=data["object"]["id"],
            timestamp=now,
            data=data,
        )
        _queue_delivery(statement)
    return statement
