"""Playing SCORM packages: a learner's attempts, the token the content origin acts with, the
runtime data each SCO starts from and sends back, and how the SCOs' outcomes roll up to the
lesson part.

Package content runs on a separate origin (``training.player``) where the learner's session
does not exist. What it may do there is bounded by the attempt's token: read the package's files
and write this attempt's tracking data. The token is issued when the learner opens the part on
Liaison, stored only as a hash, and replaced at the next launch.
"""

import hashlib
import secrets
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions, scorm, xapi
from ..models import (
    LessonPart,
    LessonProgress,
    PartKind,
    ScormAttempt,
    ScormTracking,
    ScormVersion,
    Statement,
)
from . import TrainingError, require
from .content import course_of

TOKEN_HOURS = 12
MAX_SCORE = Decimal("9999999.99")
MAX_SECONDS = 10**8
STATE_MAX_CHARS = 256 * 1024


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _package_part(user, part: LessonPart):
    require(permissions.can_learn(user, part.lesson.module))
    if part.kind != PartKind.SCORM or part.scorm_id is None:
        raise TrainingError(_("This part is not a SCORM package."))
    return part.scorm


def latest_attempt(user, package) -> ScormAttempt | None:
    return ScormAttempt.objects.filter(package=package, user=user).order_by("-number").first()


def _activity(part: LessonPart) -> dict:
    return {
        "object_path": reverse("training:scorm_launch", args=[part.pk]),
        "name": part.title,
        "activity_type": "lesson",
    }


@transaction.atomic
def launch(user, part: LessonPart, *, new_attempt: bool = False) -> tuple[ScormAttempt, str]:
    """Open a SCORM part: the learner's attempt (their last one, or a new one when they ask
    after finishing), a fresh token for the content origin, and a "launched" statement."""
    package = _package_part(user, part)
    attempt = latest_attempt(user, package)
    if attempt is None or (new_attempt and attempt.completed_at is not None):
        attempt = ScormAttempt.objects.create(
            package=package, user=user, number=(attempt.number + 1) if attempt else 1
        )
    token = secrets.token_urlsafe(32)
    attempt.token_hash = token_hash(token)
    attempt.token_expires = timezone.now() + timedelta(hours=TOKEN_HOURS)
    attempt.save(update_fields=["token_hash", "token_expires", "updated"])
    module = part.lesson.module
    xapi.record(
        user,
        "launched",
        module=module,
        course=course_of(user, module),
        registration=attempt.registration,
        **_activity(part),
    )
    return attempt, token


def attempt_for_token(token: str) -> ScormAttempt | None:
    """The attempt a token was issued for, while it is valid; None otherwise."""
    if not token or len(token) > 100:
        return None
    return (
        ScormAttempt.objects.select_related("package", "user")
        .filter(token_hash=token_hash(token), token_expires__gt=timezone.now())
        .first()
    )


# Starting data -----------------------------------------------------------------------------


def _timespan(seconds: int, version: str) -> str:
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if version == ScormVersion.SCORM_12:
        return f"{hours:04d}:{minutes:02d}:{secs:02d}"
    return f"PT{hours}H{minutes}M{secs}S"


def start_data(attempt: ScormAttempt, item: dict, tracking: ScormTracking | None) -> dict:
    """The runtime data a SCO starts from: who the learner is, the launch data the manifest
    gives, and what the SCO saved before, so the learner resumes where they left."""
    user, package = attempt.user, attempt.package
    saved = tracking.cmi if tracking else {}
    name = user.get_full_name() or user.get_username()
    total = _timespan(tracking.total_seconds if tracking else 0, package.version)
    if package.version == ScormVersion.SCORM_12:
        core = saved.get("core") if isinstance(saved.get("core"), dict) else {}
        start = {
            "core": {
                "student_id": str(user.pk),
                "student_name": name,
                "lesson_location": core.get("lesson_location", ""),
                "lesson_status": core.get("lesson_status") or "not attempted",
                "credit": "credit",
                "lesson_mode": "normal",
                "total_time": total,
                "entry": "resume" if core.get("exit") == "suspend" else "ab-initio",
            },
            "suspend_data": saved.get("suspend_data", ""),
            "launch_data": item.get("data_from_lms", ""),
        }
        if isinstance(core.get("score"), dict):
            start["core"]["score"] = core["score"]
        student_data = {}
        if item.get("mastery_score"):
            student_data["mastery_score"] = str(item["mastery_score"])
        if item.get("max_time_allowed"):
            student_data["max_time_allowed"] = item["max_time_allowed"]
        if item.get("time_limit_action"):
            student_data["time_limit_action"] = item["time_limit_action"]
        if student_data:
            start["student_data"] = student_data
        return start
    start = {
        "learner_id": str(user.pk),
        "learner_name": name,
        "location": saved.get("location", ""),
        "completion_status": saved.get("completion_status") or "unknown",
        "success_status": saved.get("success_status") or "unknown",
        "credit": "credit",
        "mode": "normal",
        "total_time": total,
        "entry": "resume" if saved.get("exit") == "suspend" else "ab-initio",
        "suspend_data": saved.get("suspend_data", ""),
        "launch_data": item.get("data_from_lms", ""),
    }
    if saved.get("score") and isinstance(saved["score"], dict):
        start["score"] = saved["score"]
    if item.get("mastery_score"):
        start["scaled_passing_score"] = str((Decimal(str(item["mastery_score"])) / 100).normalize())
    if item.get("completion_threshold"):
        start["completion_threshold"] = str(item["completion_threshold"])
    if item.get("time_limit_action"):
        start["time_limit_action"] = item["time_limit_action"]
    return start


def player_config(attempt: ScormAttempt) -> dict:
    """What the player on the content origin needs: the items, each SCO's starting data, the
    sequencing (2004) and where to resume."""
    package = attempt.package
    tracking = {row.sco: row for row in attempt.scos.all()}
    items = [
        {
            "id": item["id"],
            "title": item["title"],
            "depth": item.get("depth", 0),
            "launch": item.get("launch", ""),
            "visible": item.get("visible", True),
            "status": _item_status(tracking.get(item["id"])),
        }
        for item in package.items
    ]
    config = {
        "version": package.version,
        "items": items,
        "start": {
            item["id"]: start_data(attempt, item, tracking.get(item["id"])) for item in package.scos
        },
        "current": attempt.current,
        "state": attempt.sequencing_state,
    }
    if package.version == ScormVersion.SCORM_2004 and package.sequencing:
        config["sequencing"] = package.sequencing
    return config


def _item_status(tracking: ScormTracking | None) -> str:
    if tracking is None:
        return "not attempted"
    if tracking.success_status in ("passed", "failed"):
        return tracking.success_status
    return tracking.completion_status or "incomplete"


# Commits -----------------------------------------------------------------------------------


def _decimal(value, places="0.01", bound=MAX_SCORE) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite() or abs(number) > bound:
        return None
    return number.quantize(Decimal(places))


def summary_of(version: str, cmi: dict) -> dict:
    """What a SCO's commit says: completion, success, score (raw, min, max, scaled as the
    package gives them) and time.

    SCORM 1.2 has one ``lesson_status`` for both; "failed" is read as not completed so that a
    learner who fails tries again before the part counts as done.
    """
    if version == ScormVersion.SCORM_12:
        core = cmi.get("core") if isinstance(cmi.get("core"), dict) else {}
        status = str(core.get("lesson_status") or "")
        score = core.get("score") if isinstance(core.get("score"), dict) else {}
        completion = (
            "completed"
            if status in ("completed", "passed")
            else ("incomplete" if status and status != "not attempted" else "not attempted")
        )
        success = status if status in ("passed", "failed") else "unknown"
        total, session = core.get("total_time"), core.get("session_time")
        scaled = None
    else:
        completion = str(cmi.get("completion_status") or "unknown")
        success = str(cmi.get("success_status") or "unknown")
        score = cmi.get("score") if isinstance(cmi.get("score"), dict) else {}
        total, session = cmi.get("total_time"), cmi.get("session_time")
        scaled = _decimal(score.get("scaled"), "0.0001", Decimal(1))
    raw, low, top = (_decimal(score.get(key)) for key in ("raw", "min", "max"))
    if version == ScormVersion.SCORM_12 and raw is not None:
        # SCORM 1.2 scores are 0-100 unless the SCO says otherwise.
        low = Decimal("0.00") if low is None else low
        top = Decimal("100.00") if top is None else top
    if scaled is None and raw is not None and low is not None and top is not None and top > low:
        scaled = ((raw - low) / (top - low)).quantize(Decimal("0.0001"))
        scaled = scaled if -1 <= scaled <= 1 else None
    return {
        "completion_status": completion[:20],
        "success_status": success[:20],
        "score_raw": raw,
        "score_min": low,
        "score_max": top,
        "score_scaled": scaled,
        "total": scorm.seconds_of(total),
        "session": scorm.seconds_of(session),
    }


def roll_up(attempt: ScormAttempt, rows: list[ScormTracking], reported: dict | None) -> None:
    """The attempt's outcome from its SCOs' (the manifest's rollup, simplified where the
    runtime did not report the root's status itself): completed when every SCO is; failed
    when one failed, passed when all that report success passed; score the SCOs' together;
    time their sum."""
    package = attempt.package
    ids = [item["id"] for item in package.scos]
    by_id = {row.sco: row for row in rows}
    present = [by_id[i] for i in ids if i in by_id]
    attempt.total_seconds = min(sum(row.total_seconds for row in present), MAX_SECONDS)
    if len(ids) == 1 and present:
        only = present[0]
        attempt.completion_status = only.completion_status
        attempt.success_status = only.success_status
        attempt.score_raw, attempt.score_min = only.score_raw, only.score_min
        attempt.score_max, attempt.score_scaled = only.score_max, only.score_scaled
    else:
        complete = len(present) == len(ids) and all(row.done for row in present)
        attempt.completion_status = "completed" if complete else "incomplete"
        successes = [row.success_status for row in present if row.success_status != "unknown"]
        if "failed" in successes:
            attempt.success_status = "failed"
        elif successes and len(successes) == len(ids):
            attempt.success_status = "passed"
        else:
            attempt.success_status = "unknown"
        scored = [row for row in present if row.score_scaled is not None]
        if scored:
            mean = sum(row.score_scaled for row in scored) / len(ids)
            attempt.score_scaled = mean.quantize(Decimal("0.0001"))
            attempt.score_raw = (attempt.score_scaled * 100).quantize(Decimal("0.01"))
            attempt.score_min, attempt.score_max = Decimal("0.00"), Decimal("100.00")
    if reported:
        # The runtime's own rollup of the activity tree (SCORM 2004 sequencing) is the rule.
        completion = str(reported.get("completion") or "")
        success = str(reported.get("success") or "")
        if completion in ("completed", "incomplete"):
            attempt.completion_status = completion
        if success in ("passed", "failed"):
            attempt.success_status = success
        scaled = _decimal(reported.get("scaled"), "0.0001", Decimal(1))
        if scaled is not None:
            attempt.score_scaled = scaled
            attempt.score_raw = (scaled * 100).quantize(Decimal("0.01"))
            attempt.score_min, attempt.score_max = Decimal("0.00"), Decimal("100.00")
    if attempt.done and attempt.completed_at is None:
        attempt.completed_at = timezone.now()


def _result(attempt: ScormAttempt) -> dict:
    result = {
        "completion": attempt.completion_status == "completed",
        "duration": xapi.duration(attempt.total_seconds),
    }
    if attempt.success_status in ("passed", "failed"):
        result["success"] = attempt.success_status == "passed"
    score = xapi.score(
        raw=attempt.score_raw,
        min=attempt.score_min,
        max=attempt.score_max,
        scaled=attempt.score_scaled,
    )
    if score:
        result["score"] = score
    return result


def _text(value, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _record_sco(attempt: ScormAttempt, sco: str, data: dict) -> ScormTracking:
    tracking, _created = ScormTracking.objects.get_or_create(attempt=attempt, sco=sco)
    summary = summary_of(attempt.package.version, data["cmi"])
    tracking.cmi = data["cmi"]
    tracking.completion_status = summary["completion_status"]
    tracking.success_status = summary["success_status"]
    if summary["score_raw"] is not None or summary["score_scaled"] is not None:
        for key in ("score_raw", "score_min", "score_max", "score_scaled"):
            setattr(tracking, key, summary[key])
    seconds = summary["total"]
    if seconds is None and summary["session"] is not None:
        seconds = tracking.total_seconds + summary["session"]
    if seconds is not None:
        tracking.total_seconds = min(max(tracking.total_seconds, seconds), MAX_SECONDS)
    if data.get("final") is True:
        tracking.sessions += 1
    if tracking.done and tracking.completed_at is None:
        tracking.completed_at = timezone.now()
    tracking.save()
    return tracking


@transaction.atomic
def record_commit(attempt: ScormAttempt, data) -> ScormAttempt:
    """Store what the runtime sent for one SCO of the attempt: its runtime data and their
    summary, the attempt's rolled-up outcome, the part done when the attempt is completed or
    passed, and a statement for each change of outcome."""
    if not isinstance(data, dict):
        raise scorm.ScormError(_("The runtime sent no cmi data."))
    state_only = "cmi" not in data and ("state" in data or "rollup" in data)
    if not state_only and not isinstance(data.get("cmi"), dict):
        raise scorm.ScormError(_("The runtime sent no cmi data."))
    attempt = (
        ScormAttempt.objects.select_for_update()
        .select_related("package", "user")
        .get(pk=attempt.pk)
    )
    package, user = attempt.package, attempt.user
    scos = {item["id"] for item in package.scos}
    sco = data.get("sco") if len(scos) > 1 else next(iter(scos))
    if not isinstance(sco, str) or sco not in scos:
        raise scorm.ScormError(_("The runtime named no item of this package."))
    if not state_only:
        _record_sco(attempt, sco, data)
    was = (attempt.completion_status, attempt.success_status)
    attempt.current = sco
    if "state" in data:
        attempt.sequencing_state = _text(data["state"], STATE_MAX_CHARS)
    reported = data.get("rollup") if isinstance(data.get("rollup"), dict) else None
    roll_up(attempt, list(attempt.scos.all()), reported)
    attempt.save()

    now = (attempt.completion_status, attempt.success_status)
    verbs = []
    if now[0] == "completed" and was[0] != "completed":
        verbs.append("completed")
    if now[1] in ("passed", "failed") and was[1] != now[1]:
        verbs.append(now[1])
    part = package.parts.select_related("lesson__module").first()
    if verbs and part is not None:
        module = part.lesson.module
        course = course_of(user, module)
        result = _result(attempt)
        for verb in verbs:
            xapi.record(
                user,
                verb,
                module=module,
                course=course,
                result=result,
                registration=attempt.registration,
                **_activity(part),
            )
    if attempt.done and part is not None:
        LessonProgress.objects.get_or_create(part=part, user=user)
    return attempt


def forget_names(user) -> None:
    """Blank the learner's name where learning records copied it, when the person is erased:
    every SCO's data (``student_name`` in SCORM 1.2, ``learner_name`` in 2004) and the actor
    of their xAPI statements (kept by account number). The results stay."""
    for statement in Statement.objects.filter(user=user):
        statement.data.get("actor", {}).pop("name", None)
        statement.save(update_fields=["data"])
    for tracking in ScormTracking.objects.filter(attempt__user=user):
        cmi = tracking.cmi if isinstance(tracking.cmi, dict) else {}
        core = cmi.get("core") if isinstance(cmi.get("core"), dict) else {}
        for holder, key in ((core, "student_name"), (cmi, "learner_name")):
            if holder.get(key):
                holder[key] = ""
        tracking.save(update_fields=["cmi"])
