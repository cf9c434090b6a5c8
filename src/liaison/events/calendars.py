"""iCalendar feeds of events: one event, a network's, a project's, and a person's own.

Each session is one VEVENT (an event without sessions is one VEVENT for all of it), with its
start and end in the venue's time zone and that zone's VTIMEZONE, so calendar programs show
the right hour wherever the reader is. Online links appear only in the private feed of an
approved participant; public feeds never carry them.

What lets a subscribed calendar program follow changes: a UID that never changes (the record's
kind and id at the installation's own domain, whichever host name the feed was asked by), and,
for each change, a higher SEQUENCE and a later DTSTAMP and LAST-MODIFIED (``core.revisions``).
Text is escaped and lines folded at 75 octets by ``icalendar``; the calendar's name is given as
text explicitly, since ``icalendar`` would write X-WR-CALNAME and NAME unescaped.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Event, Registration, RegistrationStatus, Session

PRODID = "-//Liaison//Events//EN"


def uid_domain() -> str:
    """The right-hand side of every UID: the host of ``settings.SITE_URL``.

    Not the host of the request: the same feed asked for by another name (an internal address,
    a second domain) must not give the same events new UIDs, or a program that subscribed to
    both would show every event twice. The site's own host still keeps two installations'
    UIDs apart."""
    return urlsplit(settings.SITE_URL).hostname or "liaison"


@dataclass(frozen=True)
class Site:
    """Where the feed is served: the domain of its stable UIDs and the origin for links."""

    host: str
    origin: str

    @classmethod
    def of(cls, request) -> "Site":
        return cls(host=uid_domain(), origin=request.build_absolute_uri("/").rstrip("/"))


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


def revised(vevent: icalendar.Event, updated: datetime.datetime, sequence: int) -> None:
    """Mark ``vevent`` as the revision ``sequence`` of its record, last changed at ``updated``.

    Without METHOD, DTSTAMP is when the record was last revised (RFC 5545, 3.8.7.2), so it is
    the same instant as LAST-MODIFIED and a download that changed nothing changes neither."""
    moment = updated.astimezone(datetime.UTC).replace(microsecond=0)
    vevent.add("dtstamp", moment)
    vevent.add("last-modified", moment)
    vevent.add("sequence", sequence)


def _vevent(event: Event, session: Session | None, site: Site, with_links: bool):
    item = session or event
    online_link = ""
    if with_links and event.is_online:
        online_link = (session.online_url if session else "") or event.online_url
    url = site.origin + event.get_absolute_url()
    vevent = icalendar.Event()
    vevent.add("uid", f"{'session' if session else 'event'}-{item.pk}@{site.host}")
    if session is None:
        revised(vevent, event.updated, event.sequence)
    else:
        # A session's entry shows its event's title and place too: either's change counts.
        revised(vevent, max(event.updated, session.updated), event.sequence + session.sequence)
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


def feed(
    name: str,
    vevents: list[icalendar.Event],
    moments: list[datetime.datetime],
    *,
    prodid: str = PRODID,
) -> bytes:
    """A VCALENDAR named ``name`` holding ``vevents`` and the time zones they use, as bytes.

    ``moments`` are the instants the events span, so that each VTIMEZONE holds the rules of
    that span only, not from 1970 to 2038. RFC 5545 wants at least one component in a
    calendar: an empty feed holds the installation's own time zone, so that strict readers
    take it as a calendar with no events rather than as a broken file."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", prodid)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", icalendar.vText(name))
    calendar.add("name", icalendar.vText(name))
    for vevent in vevents:
        calendar.add_component(vevent)
    day = datetime.timedelta(days=1)
    if moments:
        calendar.add_missing_timezones(min(moments).date() - day, max(moments).date() + day)
    else:
        today = timezone.localdate()
        calendar.add_component(
            icalendar.Timezone.from_tzid(
                settings.TIME_ZONE, first_date=today, last_date=today + day
            )
        )
    return calendar.to_ical()


def build(events, name: str, site: Site, *, with_links: bool = False) -> bytes:
    """The feed of ``events`` (with their sessions prefetched) as iCalendar bytes."""
    vevents, moments = [], []
    for event in events:
        for session in list(event.sessions.all()) or [None]:
            vevents.append(_vevent(event, session, site, with_links))
            moments += [(session or event).start, (session or event).end]
    return feed(name, vevents, moments)


def response(body: bytes, filename: str, *, private: bool = False) -> HttpResponse:
    reply = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    reply["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    if private:
        reply["Cache-Control"] = "private, no-store"
        reply["X-Robots-Tag"] = "noindex"
    return reply
