"""xAPI statements beyond their recording (``training.xapi.record``): the export, read page by
page as a learning record store answers ``GET /statements``, and the deliveries of new
statements to an external learning record store, with their retries.

The export follows xAPI 1.0.3 (section 7.2.3): ``since`` is exclusive and ``until`` inclusive,
both on ``stored``; a page holds at most ``limit`` statements, ordered by ``stored`` then
``id``, and ``more`` continues after the last one (a cursor, so statements stored meanwhile
neither shift nor repeat a page), each page in one query.
"""

import base64
import binascii
import datetime
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit

from .. import lrs, permissions
from ..models import DeliveryState, Statement, XapiDelivery
from . import PermissionDenied, TrainingError, require

DEFAULT_LIMIT = 500
MAX_LIMIT = 1000
# A delivery being sent is held this long, so two workers never send it at once and one that
# died while sending leaves it to be tried again.
LEASE = datetime.timedelta(minutes=5)
FIRST_WAIT = datetime.timedelta(minutes=1)
LONGEST_WAIT = datetime.timedelta(hours=6)


# The export --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the ``stored`` time and ``id`` of its last statement."""

    stored: datetime.datetime
    id: uuid.UUID

    def encode(self) -> str:
        text = f"{self.stored.isoformat()}|{self.id.hex}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        """Raises ValueError for anything this class did not write."""
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            stored, _sep, pk = raw.partition("|")
            moment = datetime.datetime.fromisoformat(stored)
            if timezone.is_naive(moment):
                raise ValueError("a cursor's time has a zone")
            return cls(moment, uuid.UUID(hex=pk))
        except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError) as error:
            raise ValueError("not a cursor") from error


@dataclass
class StatementPage:
    statements: list[dict]
    next: Cursor | None


def exportable(user, *, module=None, course=None, mine=False):
    """The statements ``user`` may export, narrowed to a module or a course.

    A learner exports their own; a centre's staff the statements of the modules and courses
    of their centre; the secretariat everything.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to export learning records."))
    statements = Statement.objects.all()
    if mine:
        statements = statements.filter(user=user)
    if module is not None:
        if not mine:
            require(permissions.can_edit_module(user, module))
        statements = statements.filter(module=module)
    if course is not None:
        if not mine:
            require(permissions.can_manage_course(user, course))
        statements = statements.filter(course=course)
    if not mine and module is None and course is None and not user.is_secretariat:
        if not user.training_centres.exists():
            raise PermissionDenied(
                _("Only the centre's staff and the secretariat export learning records.")
            )
        centres = user.training_centres.values("pk")
        statements = statements.filter(
            Q(module__centre__in=centres) | Q(course__centre__in=centres)
        )
    return statements


def limit_of(limit: int | None) -> int:
    """xAPI's ``limit``: none gives the default, 0 or more than the maximum the maximum."""
    if limit is None:
        return DEFAULT_LIMIT
    if limit <= 0 or limit > MAX_LIMIT:
        return MAX_LIMIT
    return limit


def statements_page(
    user,
    *,
    module=None,
    course=None,
    mine=False,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
    limit: int | None = None,
    after: Cursor | None = None,
) -> StatementPage:
    """One page of the statements ``user`` may export, stored after ``since`` and up to
    ``until``, continuing after ``after``; each as stored, with the time it was stored."""
    statements = exportable(user, module=module, course=course, mine=mine)
    if since is not None:
        statements = statements.filter(stored__gt=since)
    if until is not None:
        statements = statements.filter(stored__lte=until)
    if after is not None:
        statements = statements.filter(
            Q(stored__gt=after.stored) | Q(stored=after.stored, id__gt=after.id)
        )
    size = limit_of(limit)
    rows = list(statements.order_by("stored", "id").values_list("stored", "id", "data")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return StatementPage(
        statements=[{**data, "stored": stored.isoformat()} for stored, _pk, data in rows],
        next=Cursor(rows[-1][0], rows[-1][1]) if more else None,
    )


# Deliveries to an external learning record store -------------------------------------------


def wait_after(tries: int) -> datetime.timedelta:
    """The wait before the next try once ``tries`` tries failed: 1, 2, 4, ... minutes, at most
    six hours."""
    return min(FIRST_WAIT * 2 ** max(tries - 1, 0), LONGEST_WAIT)


def deliver(delivery_id: int, *, max_tries: int, now=None) -> str:
    """Try once to send a waiting delivery whose time has come; return its state after.

    The delivery is claimed first (one UPDATE), so a second worker skips it; the HTTP call is
    made outside any transaction. A failure that may pass (no answer, 5xx, 429) waits longer
    each time until ``max_tries`` tries, then the delivery is failed with the last error; any
    other refusal fails it at once.
    """
    now = now or timezone.now()
    claimed = XapiDelivery.objects.due(now).filter(pk=delivery_id).update(next_try=now + LEASE)
    if not claimed:
        return "skipped"
    delivery = XapiDelivery.objects.select_related("statement").get(pk=delivery_id)
    tries = delivery.tries + 1
    try:
        sent = lrs.send(delivery.statement.data)
    except Exception as error:
        if not isinstance(error, lrs.LrsError):
            # Whatever went wrong counts as a try, so that it cannot repeat without end.
            error = lrs.LrsError(f"{type(error).__name__}: {error}", retriable=True)
        if error.retriable and tries < max_tries:
            wait = wait_after(tries)
            if error.retry_after:
                wait = min(max(wait, datetime.timedelta(seconds=error.retry_after)), LONGEST_WAIT)
            state, next_try = DeliveryState.WAITING, max(now, timezone.now()) + wait
        else:
            state, next_try = DeliveryState.FAILED, None
        XapiDelivery.objects.filter(pk=delivery_id).update(
            state=state, tries=tries, next_try=next_try, last_error=str(error)
        )
        return state
    XapiDelivery.objects.filter(pk=delivery_id).update(
        state=DeliveryState.SENT,
        tries=tries,
        next_try=None,
        sent_at=timezone.now(),
        last_error=sent.note,
    )
    return DeliveryState.SENT


def due_deliveries(now=None) -> list[int]:
    """The ids of the deliveries waiting whose next try has come, oldest first."""
    now = now or timezone.now()
    return list(
        XapiDelivery.objects.due(now).order_by("next_try", "pk").values_list("pk", flat=True)
    )


def deliveries_for(user, state: str = ""):
    """The deliveries ``user`` may follow, newest first, narrowed to one state."""
    require(permissions.can_follow_deliveries(user))
    deliveries = XapiDelivery.objects.visible_to(user).for_list()
    if state:
        deliveries = deliveries.filter(state=state)
    return deliveries


@transaction.atomic
def retry(actor, delivery: XapiDelivery) -> XapiDelivery:
    """Send a failed delivery again now, with a fresh round of tries; the worker is told after
    commit. Refused for one that is not failed."""
    delivery = XapiDelivery.objects.select_for_update().get(pk=delivery.pk)
    require(permissions.can_retry_delivery(actor, delivery))
    if delivery.state != DeliveryState.FAILED:
        raise TrainingError(_("Only a failed delivery is sent again."))
    before = {"state": delivery.state, "tries": delivery.tries}
    delivery.state = DeliveryState.WAITING
    delivery.tries = 0
    delivery.next_try = timezone.now()
    delivery.save(update_fields=["state", "tries", "next_try"])
    audit.record(
        actor,
        "retry",
        delivery,
        {
            "state": [before["state"], delivery.state],
            "tries": [before["tries"], delivery.tries],
        },
    )
    from ..tasks import enqueue_delivery

    transaction.on_commit(lambda: enqueue_delivery(delivery.pk), robust=True)
    return delivery
