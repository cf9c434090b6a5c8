"""The exchange's yearly statistics (Directive (EU) 2023/977, article 18): counts and timings
of a network or of one unit, for a year or a quarter, WITHOUT any content.

Only what is stored in clear is read: units, dates, urgency, statuses and grounds of refusal.
No query here selects a subject, a narrative, an entity or an attachment, so neither the page,
the workbook nor the API built on ``compute`` can show one. Each figure is aggregated in the
database (``values``/``annotate``); ``compute`` costs the same five queries for ten requests or
ten thousand. A request counts in the period it was sent in, on the installation's clock.

Who sees which statistics (``scopes``): Liaison's staff every network, a network's secretariat
its networks, a unit's supervisor that unit only.
"""

import datetime
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.directory.scopes import network_secretariats, signed_in

from .models import (
    OPEN_CASES,
    Case,
    ExchangeNetwork,
    RefusalGround,
    Request,
    RequestStatus,
    Unit,
    Urgency,
)
from .permissions import supervised_units

QUARTERS = (1, 2, 3, 4)
# First answer or refusal: a refusal ends a case, so an answer given before it comes first.
DONE = Coalesce("answered_at", "refused_at")
ON_TIME = Q(deadline__isnull=False) & Q(done__lte=F("deadline"))


def period(year: int, quarter: int | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    """The start and end (excluded) of ``year`` or of one of its quarters, on the installation's
    clock."""
    zone = timezone.get_default_timezone()
    first = 1 if quarter is None else 3 * (quarter - 1) + 1
    start = datetime.datetime(year, first, 1, tzinfo=zone)
    if quarter is None or quarter == 4:
        end = datetime.datetime(year + 1, 1, 1, tzinfo=zone)
    else:
        end = datetime.datetime(year, first + 3, 1, tzinfo=zone)
    return start, end


def scopes(user) -> tuple:
    """The networks ``user`` sees whole and the units they see alone (querysets)."""
    if not signed_in(user):
        return ExchangeNetwork.objects.none(), Unit.objects.none()
    if user.is_liaison_staff:
        networks = ExchangeNetwork.objects.all()
    else:
        networks = ExchangeNetwork.objects.filter(network__in=network_secretariats(user))
    units = Unit.objects.filter(Q(exchange__in=networks) | Q(pk__in=supervised_units(user)))
    return networks.select_related("network"), units.select_related("exchange").order_by("code")


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Statistics:
    """What ``compute`` found: plain numbers and codes, ready for a page, a workbook or JSON."""

    year: int
    quarter: int | None
    network: str
    unit: str
    start: datetime.datetime
    end: datetime.datetime
    requests_sent: int = 0
    cases: int = 0
    urgent: int = 0
    not_urgent: int = 0
    answered: int = 0
    refused: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0
    median_hours: float | None = None
    pairs: list[dict] = field(default_factory=list)
    units: list[dict] = field(default_factory=list)
    by_urgency: list[dict] = field(default_factory=list)
    by_ground: list[dict] = field(default_factory=list)

    @property
    def on_time_rate(self) -> float | None:
        """Share answered or refused by the deadline, of the cases whose outcome is known:
        answered or refused, or still open past their deadline."""
        return _rate(self.on_time, self.on_time + self.late)

    def as_dict(self) -> dict:
        return {
            "year": self.year,
            "quarter": self.quarter,
            "network": self.network,
            "unit": self.unit,
            "start": self.start,
            "end": self.end,
            "requests_sent": self.requests_sent,
            "cases": self.cases,
            "urgent": self.urgent,
            "not_urgent": self.not_urgent,
            "answered": self.answered,
            "refused": self.refused,
            "on_time": self.on_time,
            "late": self.late,
            "on_time_rate": self.on_time_rate,
            "open": self.open,
            "overdue": self.overdue,
            "median_hours": self.median_hours,
            "pairs": self.pairs,
            "units": self.units,
            "by_urgency": self.by_urgency,
            "by_ground": self.by_ground,
        }


def _counts(now) -> dict:
    """The conditional counts taken of every group of cases."""
    done = Q(answered_at__isnull=False) | Q(refused_at__isnull=False)
    overdue = Q(status__in=OPEN_CASES, deadline__lt=now)
    return {
        "cases": Count("pk"),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "refused": Count("pk", filter=Q(answered_at__isnull=True, refused_at__isnull=False)),
        "on_time": Count("pk", filter=done & ON_TIME),
        "late": Count("pk", filter=(done & ~ON_TIME) | overdue),
        "open": Count("pk", filter=Q(status__in=OPEN_CASES)),
        "overdue": Count("pk", filter=overdue),
    }


FIGURES = ("cases", "answered", "refused", "on_time", "late", "open", "overdue")


def compute(
    year: int,
    quarter: int | None = None,
    *,
    exchange: ExchangeNetwork | None = None,
    unit: Unit | None = None,
    now=None,
) -> Statistics:
    """The statistics of ``exchange`` (every unit) or of ``unit`` (what it sent and received)
    for requests sent in ``year`` (or its ``quarter``); open and overdue as of ``now``."""
    if (exchange is None) == (unit is None):
        raise ValueError("Give a network or a unit.")
    now = now or timezone.now()
    start, end = period(year, quarter)
    exchange = exchange or unit.exchange
    requests = Request.objects.filter(exchange=exchange, sent_at__gte=start, sent_at__lt=end)
    requests = requests.exclude(status=RequestStatus.DRAFT)
    cases = Case.objects.filter(request__in=requests.values("pk"), received_at__isnull=False)
    if unit is not None:
        requests = requests.filter(sender=unit)
        cases = cases.filter(Q(unit=unit) | Q(request__sender=unit))
    cases = cases.annotate(done=DONE).order_by()
    result = Statistics(
        year=year,
        quarter=quarter,
        network=str(exchange.network.acronym or exchange.network.name),
        unit=unit.code if unit else "",
        start=start,
        end=end,
    )

    # 1. Requests sent, by sending unit.
    sent = dict(requests.order_by().values_list("sender__code").annotate(n=Count("pk")).order_by())
    result.requests_sent = sum(sent.values())

    # 2. Cases by sending unit, receiving unit and urgency: pairs, units and urgency from it.
    rows = list(
        cases.values("request__sender__code", "unit__code", "request__urgency")
        .annotate(**_counts(now))
        .order_by("request__sender__code", "unit__code", "request__urgency")
    )
    pairs: dict[tuple, dict] = {}
    urgency = {value: dict.fromkeys(FIGURES, 0) for value in Urgency.values}
    units: dict[str, dict] = {
        code: {"unit": code, "sent": n, "received": 0} for code, n in sent.items()
    }
    for row in rows:
        key = (row["request__sender__code"], row["unit__code"])
        pair = pairs.setdefault(
            key, {"sender": key[0], "receiver": key[1], "urgent": 0, **dict.fromkeys(FIGURES, 0)}
        )
        for name in FIGURES:
            pair[name] += row[name]
            urgency[row["request__urgency"]][name] += row[name]
            setattr(result, name, getattr(result, name) + row[name])
        if row["request__urgency"] != Urgency.NORMAL:
            pair["urgent"] += row["cases"]
        receiver = units.setdefault(key[1], {"unit": key[1], "sent": 0, "received": 0})
        receiver["received"] += row["cases"]
        units.setdefault(key[0], {"unit": key[0], "sent": 0, "received": 0})
    for pair in pairs.values():
        pair["on_time_rate"] = _rate(pair["on_time"], pair["on_time"] + pair["late"])
    result.pairs = list(pairs.values())
    if unit is not None:
        units = {unit.code: units.get(unit.code, {"unit": unit.code, "sent": 0, "received": 0})}
    result.units = sorted(units.values(), key=lambda row: row["unit"])
    result.by_urgency = [
        {
            "urgency": value,
            "label": str(label),
            **urgency[value],
            "on_time_rate": _rate(
                urgency[value]["on_time"], urgency[value]["on_time"] + urgency[value]["late"]
            ),
        }
        for value, label in Urgency.choices
    ]
    result.not_urgent = urgency[Urgency.NORMAL]["cases"]
    result.urgent = result.cases - result.not_urgent

    # 3. Refusals by ground.
    grounds = dict(
        cases.filter(answered_at__isnull=True, refused_at__isnull=False)
        .values_list("refusal_ground")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result.by_ground = [
        {"ground": value, "label": str(label), "refused": grounds.get(value, 0)}
        for value, label in RefusalGround.choices
    ]

    # 4. Median time from receipt to the first answer or refusal.
    durations = [
        (done - received).total_seconds()
        for received, done in cases.filter(done__isnull=False).values_list("received_at", "done")
    ]
    if durations:
        result.median_hours = round(statistics.median(durations) / 3600, 1)
    return result


def describe(result: Statistics) -> str:
    """A line naming the scope and period of ``result``, for titles."""
    scope = result.unit or result.network
    if result.quarter:
        return _("%(scope)s, Q%(quarter)s %(year)s") % {
            "scope": scope,
            "quarter": result.quarter,
            "year": result.year,
        }
    return _("%(scope)s, %(year)s") % {"scope": scope, "year": result.year}
