"""When an answer is due, and how a request's clock stands.

Directive (EU) 2023/977 counts hours for urgent requests about directly accessible information
and calendar days for the rest. Hours are elapsed time. Calendar days are counted on the
receiving unit's wall clock: sent on Friday 10:00 in Tbilisi, a 3-day request is due on Monday
10:00 in Tbilisi, even if a change to or from summer time falls in between. Every moment comes
from the server's clock, never the browser's.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Urgency

HOURS = {Urgency.URGENT_DIRECT: 8}
DAYS = {Urgency.URGENT: 3, Urgency.NORMAL: 7}
# The clock turns amber when less than this share of the time allowed remains.
NEAR_SHARE = 0.25


def due(sent_at: datetime.datetime, urgency: str, zone) -> datetime.datetime:
    if urgency in HOURS:
        return sent_at + datetime.timedelta(hours=HOURS[urgency])
    local = sent_at.astimezone(zone)
    # Wall-clock arithmetic: same local time, N days later, whatever the offset then.
    wall = local.replace(tzinfo=None) + datetime.timedelta(days=DAYS[urgency])
    return wall.replace(tzinfo=zone).astimezone(datetime.UTC)


class Clock:
    """How a case's deadline stands at ``now``: its state and what to say about it."""

    OK, NEAR, MISSED, DONE = "ok", "near", "missed", "done"
    LABELS = {
        OK: _("On time"),
        NEAR: _("Due soon"),
        MISSED: _("Deadline missed"),
        DONE: _("Answered"),
    }

    def __init__(self, case, now=None):
        self.case = case
        now = now or timezone.now()
        deadline, received = case.deadline, case.received_at
        if deadline is None or received is None:
            self.state = self.OK
        elif not case.is_open:
            self.state = self.DONE
        elif now > deadline:
            self.state = self.MISSED
        elif (deadline - now) < (deadline - received) * NEAR_SHARE:
            self.state = self.NEAR
        else:
            self.state = self.OK
        self.remaining = deadline - now if deadline else None

    @property
    def label(self) -> str:
        return str(self.LABELS[self.state])

    def local(self, unit) -> datetime.datetime | None:
        """The deadline on ``unit``'s wall clock."""
        return self.case.deadline.astimezone(unit.zone) if self.case.deadline else None
