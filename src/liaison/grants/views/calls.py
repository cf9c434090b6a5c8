"""Public pages of calls for proposals: the list, one call, and a calendar of their deadlines.

A call's dates are instants typed in the call's own time zone; every page and the feed say
them in that zone, with its name, so that the deadline is one second for every applicant.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import icalendar
from django.db.models import Count, Prefetch, Sum
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from liaison.directory.models import OrganisationType
from liaison.events.calendars import Site, feed, response, revised

from .. import form_builder, permissions
from ..models import (
    Application,
    Assignment,
    Call,
    CallQuestion,
    CallStatus,
    FormQuestion,
    Lot,
    region_label,
)
from .questions import QuestionForm, with_sizes

PRODID = "-//Liaison//Grants//EN"


@dataclass(frozen=True)
class Moment:
    """An instant as the call announces it: in its own zone, with the zone's name."""

    local: datetime.datetime
    zone: str

    @classmethod
    def of(cls, call: Call, moment: datetime.datetime) -> "Moment":
        return cls(local=call.local(moment), zone=call.timezone)

    @property
    def iso(self) -> str:
        return self.local.isoformat()

    @property
    def text(self) -> str:
        """For example "31 Mar 2030 17:00", in the zone of the call (not the reader's)."""
        return date_format(self.local, "j M Y H:i")


def _with_dates(call: Call) -> Call:
    call.opening = Moment.of(call, call.opens_at)
    call.deadline = Moment.of(call, call.closes_at)
    return call


# The list ------------------------------------------------------------------------------------


def call_list(request):
    """Open calls (deadline soonest first), upcoming ones, then closed ones (latest first)."""
    calls = (
        Call.objects.visible_to(request.user)
        .select_related("facility")
        .annotate(lot_count=Count("lots"), envelope=Sum("lots__envelope"))
    )
    now = timezone.now()
    sections = {status: [] for status in CallStatus}
    for call in calls:
        sections[call.status(now)].append(_with_dates(call))
    sections[CallStatus.OPEN].sort(key=lambda c: (c.closes_at, c.pk))
    sections[CallStatus.UPCOMING].sort(key=lambda c: (c.opens_at, c.pk))
    sections[CallStatus.CLOSED].sort(key=lambda c: (c.closes_at, c.pk), reverse=True)
    user = request.user
    return render(
        request,
        "grants/call_list.html",
        {
            # A reviewer's way to their list of reviews (the e-mail links to one review only).
            "reviewing": user.is_authenticated
            and Assignment.objects.filter(reviewer=user).exists(),
            "sections": [
                (
                    "open",
                    _("Open for applications"),
                    sections[CallStatus.OPEN],
                    _("No call is open at the moment."),
                ),
                (
                    "upcoming",
                    _("Upcoming"),
                    sections[CallStatus.UPCOMING],
                    _("No call is announced yet."),
                ),
                ("closed", _("Closed"), sections[CallStatus.CLOSED], _("No call has closed yet.")),
            ],
        },
    )


# One call ------------------------------------------------------------------------------------


def _plain(number: Decimal) -> str:
    """117.200000 as 117.2, 100 as 100 (never 1E+2)."""
    return format(number.normalize(), "f")


def _kind_label(code: str) -> str:
    return OrganisationType(code).label if code in OrganisationType.values else code


def _who(regions, countries, kinds) -> dict:
    """Where from and of what kind, in words; an empty list means anybody."""
    return {
        "where": [region_label(r) for r in regions] + [c.name for c in countries],
        "kinds": [_kind_label(k) for k in kinds],
    }


def call_detail(request, reference):
    call = get_object_or_404(
        Call.objects.visible_to(request.user)
        .select_related("facility")
        .prefetch_related(
            Prefetch("lots", queryset=Lot.objects.prefetch_related("instruments")),
            "lead_countries",
            "partner_countries",
            "rates",
            "documents",
            Prefetch(
                "questions",
                queryset=CallQuestion.objects.filter(published=True).exclude(answer=""),
                to_attr="answered_questions",
            ),
        ),
        reference=reference,
    )
    _with_dates(call)
    user = request.user
    status = call.status()
    may_apply, refusal = permissions.can_apply(user, call)
    may_ask, _why = permissions.can_ask_question(user, call)
    applications = []
    if user.is_authenticated:
        applications = (
            Application.objects.of_consortium(user)
            .filter(call=call)
            .select_related("call", "lot")
            .order_by("number")
        )
    return render(
        request,
        "grants/call_detail.html",
        {
            "call": call,
            "status": status,
            "is_open": status == CallStatus.OPEN,
            "lots": call.lots.all(),
            "lead": _who(call.lead_regions, call.lead_countries.all(), call.lead_types),
            "partner": _who(call.partner_regions, call.partner_countries.all(), call.partner_types),
            "rates": [(rate.currency, _plain(rate.rate)) for rate in call.rates.all()],
            "may_apply": may_apply,
            "refusal": refusal,
            "applications": applications,
            "documents": with_sizes(call.documents.all()),
            "questions": call.answered_questions,
            "may_ask": may_ask,
            "question_form": QuestionForm() if may_ask else None,
            "may_answer": permissions.can_answer_questions(user)[0],
            "may_build_form": permissions.can_build_form(user, call)[0],
            "form_sections": _form_sections(call),
        },
    )


def _form_sections(call: Call):
    """The sections of the form new applications are written on, with their questions."""
    version = form_builder.current_version(call)
    if version is None:
        return []
    return version.sections.prefetch_related(
        Prefetch("questions", queryset=FormQuestion.objects.order_by("order", "pk"))
    )


# The calendar of deadlines -------------------------------------------------------------------


def _deadline(call: Call, site: Site) -> icalendar.Event:
    """The deadline as an event of no length, at its second in the call's zone."""
    url = site.origin + call.get_absolute_url()
    vevent = icalendar.Event()
    vevent.add("uid", f"call-{call.pk}-deadline@{site.host}")
    revised(vevent, call.updated, call.sequence)
    # No DTEND: a date-time DTSTART alone is an event that ends the instant it starts.
    vevent.add("dtstart", call.local(call.closes_at))
    vevent.add("summary", _("Deadline: %(title)s") % {"title": call.title})
    vevent.add(
        "description",
        _(
            "Last second at which %(facility)s accepts applications to %(title)s, "
            "in the call's time zone (%(zone)s)."
        )
        % {"facility": call.facility.name, "title": call.title, "zone": call.timezone},
    )
    vevent.add("url", url)
    return vevent


def deadlines_ics(request):
    """Every published call's deadline (never a draft, whoever asks), to subscribe to."""
    calls = list(Call.objects.published().select_related("facility").order_by("closes_at", "pk"))
    site = Site.of(request)
    body = feed(
        _("Deadlines of calls for proposals"),
        [_deadline(call, site) for call in calls],
        [call.closes_at for call in calls],
        prodid=PRODID,
    )
    return response(body, "call-deadlines")
