"""iCalendar feeds of events: one event, a network's, a project's, and a person's own.

Each session is one VEVENT (an event without sessions is one VEVENT for all of it), with its
start and end in the venue's time zone and that zone's VTIMEZONE, so calendar programs show
the right hour wherever the reader is. Online links appear only in the private feed of an
approved participant; public feeds never carry them.
"""

import datetime
from dataclasses import dataclass

import icalendar
from django.db.models import Prefetch
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.utils.translation import gettext as _

from .models import Event, Registration, RegistrationStatus, Session

PRODID = "-//Liaison//Events//EN"


@dataclass(frozen=True)
class Site:
    """Where the feed is served: the host for stable UIDs and the origin for links."""

    host: str
    origin: str

    @classmethod
    def of(cls, request) -> "Site":
        domain, _port = split_domain_port(request.get_host())
        return cls(host=domain or "liaison", origin=request.build_absolute_uri("/").rstrip("/"))


def with_sessions(events):
    """The events with what a feed needs, in one query per relation."""
    return events.select_related("country").prefetch_related(
        Prefetch("sessions", queryset=Session.objects.order_by("start", "pk"))
    )


def public_events(events):
    """The events a public feed may show: published ones, earliest first."""
    return with_sessions(events.public().order_by("start", "pk"))


def approved_events(user):
    """The events a person holds an approved place at, for their private feed."""
    approved = Registration.objects.filter(user=user, status=RegistrationStatus.APPROVED)
    return with_sessions(
        Event.objects.visible_to(user)
        .filter(pk__in=approved.values("event"))
        .order_by("start", "pk")
    )


def _location(event: Event, session: Session | None) -> str:
    country = event.country.name if event.country_id else ""
    parts = (session.room if session else "", event.venue, event.city, country)
    return ", ".join(part for part in parts if part)


def _description(event: Event, session: Session | None, online_link: str) -> str:
    lines = []
    if session is not None:
        lines.append(event.title)
        if session.description:
            lines.append(session.description)
    elif event.description:
        lines.append(event.description)
    if online_link:
        lines.append(_("Join online: %(link)s") % {"link": online_link})
    return "\n\n".join(lines)


def _vevent(event: Event, session: Session | None, site: Site, with_links: bool):
    item = session or event
    online_link = ""
    if with_links and event.is_online:
        online_link = (session.online_url if session else "") or event.online_url
    url = site.origin + event.get_absolute_url()
    vevent = icalendar.Event()
    vevent.add("uid", f"{'session' if session else 'event'}-{item.pk}@{site.host}")
    vevent.add("dtstamp", event.updated.astimezone(datetime.UTC))
    vevent.add("last-modified", event.updated.astimezone(datetime.UTC))
    vevent.add("dtstart", item.start.astimezone(event.zone))
    vevent.add("dtend", item.end.astimezone(event.zone))
    vevent.add("summary", f"{session.title} · {event.title}" if session else event.title)
    location = _location(event, session)
    if location:
        vevent.add("location", location)
    description = _description(event, session, online_link)
    if description:
        vevent.add("description", description)
    vevent.add("url", f"{url}#session-{session.pk}" if session else url)
    return vevent


def build(events, name: str, site: Site, *, with_links: bool = False) -> bytes:
    """The feed of ``events`` (with their sessions prefetched) as iCalendar bytes."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    moments = []
    for event in events:
        for session in list(event.sessions.all()) or [None]:
            calendar.add_component(_vevent(event, session, site, with_links))
            moments += [(session or event).start, (session or event).end]
    if moments:
        # Time zone rules for the feed's own span only, not from 1970 to 2038.
        day = datetime.timedelta(days=1)
        calendar.add_missing_timezones(min(moments).date() - day, max(moments).date() + day)
    return calendar.to_ical()


def response(body: bytes, filename: str, *, private: bool = False) -> HttpResponse:
    reply = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    if private:
        reply["Cache-Control"] = "private, no-store"
        reply["X-Robots-Tag"] = "noindex"
    return reply
