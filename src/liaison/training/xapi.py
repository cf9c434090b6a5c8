"""Learning activity as xAPI statements (the Experience API, version 1.0.3).

Liaison acts as its own learning record store: each statement is kept whole so that the export
is what a learning record store such as Learning Locker or SCORM Cloud takes in. Activity ids
are URLs on this site, so they stay unique and resolvable.
"""

import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .models import Statement

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
) -> Statement:
    """Store one statement that ``user`` did ``verb`` (a key of ``VERBS``) to the activity at
    ``object_path`` (a path on this site, e.g. ``reverse("training:lesson", ...)``)."""
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
        data["result"] = result
    parents = []
    if course is not None:
        parents.append({"id": activity_id(reverse("training:course", args=[course.pk]))})
    if module is not None:
        parents.append({"id": activity_id(reverse("training:module", args=[module.pk]))})
    if parents:
        data["context"] = {"contextActivities": {"parent": parents}}
    return Statement.objects.create(
        id=statement_id,
        user=user,
        module=module,
        course=course,
        verb=VERBS[verb],
        object_id=data["object"]["id"],
        timestamp=now,
        data=data,
    )
