"""Calendar feeds: one event, a network's, a project's, and a person's own by a secret address.

Every feed is read back with ``icalendar`` as a calendar program would read it, and what a
subscribed program relies on to follow changes (UID, SEQUENCE, DTSTAMP, the calendar's name, an
empty feed) with ``vobject`` too, a reader written independently of it.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.urls import reverse
from django.utils import timezone

from liaison.directory.models import Network, NetworkKind
from liaison.events import services
from liaison.events.models import (
    CalendarToken,
    Event,
    RegistrationForm,
    RegistrationStatus,
    Session,
)
from tests.events.conftest import make_event, sign_up

SOFIA = ZoneInfo("Europe/Sofia")
UTC = datetime.UTC
DOMAIN = "liaison.example.org"
# Always ahead, so registration is open: July next year (UTC+3), January after it (UTC+2).
SUMMER = timezone.localdate().year + 1
WINTER = SUMMER + 1


def url(name, *args):
    return reverse(f"events:{name}", args=args)


def sofia(year, month, day, hour, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SOFIA)


@pytest.fixture(autouse=True)
def site_url(settings):
    """The installation's address, whose host every UID ends with."""
    settings.SITE_URL = f"https://{DOMAIN}"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "calendar.internal"]


def read(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].endswith('.ics"')
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar) -> dict[str, icalendar.Event]:
    return {str(v["uid"]): v for v in calendar.walk("VEVENT")}


def everything(calendar) -> str:
    """Every property value, unfolded, so a link split across lines is still found."""
    return "\n".join(str(value) for part in calendar.walk() for value in part.values())


def utc(vevent, name) -> datetime.datetime:
    return vevent.decoded(name).astimezone(UTC)


def as_text(value) -> str:
    """A property ``icalendar`` keeps as written, read as TEXT (RFC 5545, 3.3.11)."""
    escaped = {"n": "\n", "N": "\n", ",": ",", ";": ";", "\\": "\\"}
    return re.sub(r"\\([nN,;\\])", lambda match: escaped[match[1]], str(value))


def read_vobject(response):
    """The feed as ``vobject`` reads it: the second, independent reader."""
    assert response.status_code == 200
    return vobject.readOne(response.content.decode())


def revisions(calendar) -> dict[str, tuple[int, datetime.datetime, datetime.datetime]]:
    """Each UID's SEQUENCE, DTSTAMP and LAST-MODIFIED, as ``icalendar`` reads them."""
    return {
        str(v["uid"]): (int(v["sequence"]), utc(v, "dtstamp"), utc(v, "last-modified"))
        for v in calendar.walk("VEVENT")
    }


def vobject_revisions(calendar) -> dict[str, tuple[int, datetime.datetime]]:
    """Each UID's SEQUENCE and DTSTAMP, as ``vobject`` reads them."""
    return {
        v.uid.value: (int(v.sequence.value), v.dtstamp.value)
        for v in calendar.contents.get("vevent", [])
    }


@pytest.fixture
def network(db):
    return Network.objects.create(name="Border Police Network", kind=NetworkKind.OTHER)


@pytest.fixture
def summit(network, project, countries):
    """A hybrid event at Kapitan Andreevo in Sofia's zone, in summer, with two sessions."""
    event = make_event(
        "Summer summit",
        projects=[project],
        network=network,
        venue="Border crossing point",
        city="Kapitan Andreevo",
        country=countries["BG"],
        timezone="Europe/Sofia",
        start=sofia(SUMMER, 7, 15, 9),
        end=sofia(SUMMER, 7, 15, 17),
        online_url="https://meet.example.org/secret-room",
    )
    Session.objects.create(
        event=event,
        title="Opening",
        room="Hall A",
        start=sofia(SUMMER, 7, 15, 9, 30),
        end=sofia(SUMMER, 7, 15, 11),
        online_url="https://meet.example.org/secret-session",
    )
    Session.objects.create(
        event=event, title="Panel", start=sofia(SUMMER, 7, 15, 14), end=sofia(SUMMER, 7, 15, 16)
    )
    return event


@pytest.fixture
def winter_meeting(network, countries):
    """An event of the same network in winter, without sessions."""
    return make_event(
        "Winter meeting",
        network=network,
        mode="in_person",
        venue="",
        city="Sofia",
        country=countries["BG"],
        timezone="Europe/Sofia",
        start=sofia(WINTER, 1, 20, 9),
        end=sofia(WINTER, 1, 20, 12),
        online_url="",
    )


# One event -----------------------------------------------------------------------------------


def test_event_feed_has_one_vevent_per_session_in_the_venue_zone(client, summit):
    calendar = read(client.get(url("event_calendar", summit.pk)))
    items = vevents(calendar)
    opening, panel = summit.sessions.order_by("start")
    assert set(items) == {f"session-{opening.pk}@{DOMAIN}", f"session-{panel.pk}@{DOMAIN}"}
    first = items[f"session-{opening.pk}@{DOMAIN}"]
    # Summer in Sofia is UTC+3.
    assert utc(first, "dtstart") == datetime.datetime(SUMMER, 7, 15, 6, 30, tzinfo=UTC)
    assert utc(first, "dtend") == datetime.datetime(SUMMER, 7, 15, 8, 0, tzinfo=UTC)
    assert first["dtstart"].params["TZID"] == "Europe/Sofia"
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Sofia"]
    assert str(first["summary"]) == "Opening · Summer summit"
    assert str(first["location"]) == "Hall A, Border crossing point, Kapitan Andreevo, Bulgaria"
    assert str(first["url"]) == f"http://testserver/events/{summit.pk}/#session-{opening.pk}"
    assert "Summer summit" in str(first["description"])
    assert first.decoded("dtstamp").tzinfo is not None


def test_uids_stay_the_same_from_one_download_to_the_next(client, summit):
    first = set(vevents(read(client.get(url("event_calendar", summit.pk)))))
    summit.title = "Summer summit (renamed)"
    summit.save()
    assert set(vevents(read(client.get(url("event_calendar", summit.pk))))) == first


def test_uids_do_not_depend_on_the_host_the_feed_was_asked_by(client, summit):
    feed = url("event_calendar", summit.pk)
    uids = set(vevents(read(client.get(feed, HTTP_HOST="testserver"))))
    assert uids == set(vevents(read(client.get(feed, HTTP_HOST="calendar.internal"))))
    assert uids == set(vobject_revisions(read_vobject(client.get(feed, HTTP_HOST="testserver"))))
    assert len(uids) == 2 and all(uid.endswith(f"@{DOMAIN}") for uid in uids)


def last_changed_an_hour_ago(event):
    """As if the event and its sessions were last saved an hour ago (no save: no revision)."""
    earlier = timezone.now() - datetime.timedelta(hours=1)
    Event.objects.filter(pk=event.pk).update(updated=earlier)
    Session.objects.filter(event=event).update(updated=earlier)


def test_a_moved_session_has_a_higher_sequence_and_a_new_stamp(client, summit, secretariat):
    last_changed_an_hour_ago(summit)
    feed = url("event_calendar", summit.pk)
    before = revisions(read(client.get(feed)))
    before_by_vobject = vobject_revisions(read_vobject(client.get(feed)))
    opening = Session.objects.get(event=summit, title="Opening")
    opening.start, opening.end = sofia(SUMMER, 7, 15, 10), sofia(SUMMER, 7, 15, 11, 30)
    services.save_part(secretariat, summit, opening)

    after = revisions(read(client.get(feed)))
    after_by_vobject = vobject_revisions(read_vobject(client.get(feed)))
    moved = f"session-{opening.pk}@{DOMAIN}"
    (kept,) = set(after) - {moved}
    sequence, stamp, modified = after[moved]
    assert sequence > before[moved][0]
    assert stamp > before[moved][1] and modified > before[moved][2]
    assert after_by_vobject[moved][0] > before_by_vobject[moved][0]
    assert after_by_vobject[moved][1] > before_by_vobject[moved][1]
    assert after[kept] == before[kept]  # the other session did not change


def test_a_new_venue_gives_every_session_a_higher_sequence(client, summit, secretariat):
    last_changed_an_hour_ago(summit)
    feed = url("event_calendar", summit.pk)
    before = revisions(read(client.get(feed)))
    event = Event.objects.get(pk=summit.pk)
    services.save_event(secretariat, event, {"venue": "Police academy"})
    after = revisions(read(client.get(feed)))
    assert set(after) == set(before)
    for uid, (sequence, stamp, _modified) in after.items():
        assert sequence > before[uid][0] and stamp > before[uid][1], uid


def test_an_edit_calendars_do_not_show_keeps_the_sequence(client, summit, secretariat):
    feed = url("event_calendar", summit.pk)
    before = revisions(read(client.get(feed)))
    event = Event.objects.get(pk=summit.pk)
    services.save_event(secretariat, event, {"minutes": "Agreed on joint patrols."})
    after = revisions(read(client.get(feed)))
    assert {uid: seq for uid, (seq, *_) in after.items()} == {
        uid: seq for uid, (seq, *_) in before.items()
    }


def test_event_without_sessions_is_one_vevent_in_winter_time(client, winter_meeting):
    items = vevents(read(client.get(url("event_calendar", winter_meeting.pk))))
    assert list(items) == [f"event-{winter_meeting.pk}@{DOMAIN}"]
    vevent = items[f"event-{winter_meeting.pk}@{DOMAIN}"]
    # Winter in Sofia is UTC+2.
    assert utc(vevent, "dtstart") == datetime.datetime(WINTER, 1, 20, 7, 0, tzinfo=UTC)
    assert utc(vevent, "dtend") == datetime.datetime(WINTER, 1, 20, 10, 0, tzinfo=UTC)
    assert str(vevent["location"]) == "Sofia, Bulgaria"
    assert str(vevent["url"]) == f"http://testserver/events/{winter_meeting.pk}/"


def test_unpublished_event_has_no_feed_even_for_its_manager(client, summit, manager):
    summit.published = False
    summit.save()
    assert client.get(url("event_calendar", summit.pk)).status_code == 404
    client.force_login(manager)
    assert client.get(url("event_calendar", summit.pk)).status_code == 404


# Network and project -------------------------------------------------------------------------


def test_network_feed_lists_its_published_events_sessions(
    client, network, summit, winter_meeting, countries
):
    make_event("Draft of the network", network=network, published=False, country=countries["BG"])
    make_event("Another network's event", country=countries["BG"])
    calendar = read(client.get(url("network_calendar", network.pk)))
    summaries = sorted(str(v["summary"]) for v in calendar.walk("VEVENT"))
    assert summaries == ["Opening · Summer summit", "Panel · Summer summit", "Winter meeting"]
    assert str(calendar["x-wr-calname"]) == "Border Police Network"
    assert client.get(url("network_calendar", 999999)).status_code == 404


def test_an_empty_feed_is_still_a_calendar_to_both_readers(client, network):
    response = client.get(url("network_calendar", network.pk))
    calendar = read(response)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["prodid"]) == "-//Liaison//Events//EN"
    other = read_vobject(response)
    assert other.name == "VCALENDAR"
    assert other.version.value == "2.0" and other.prodid.value == "-//Liaison//Events//EN"
    assert "vevent" not in other.contents
    # RFC 5545 wants at least one component: the installation's time zone.
    assert [tz.tzid.value for tz in other.contents["vtimezone"]] == ["Europe/Brussels"]


def test_names_with_commas_semicolons_and_backslashes_read_back_the_same(client, network, summit):
    network.name = "Sea, Land; Air \\ Border " + "Мрежа граничне полиције " * 3
    network.save()
    summit.title = "North, south; east \\ west"
    summit.save()
    response = client.get(url("network_calendar", network.pk))
    body = response.content
    assert b"X-WR-CALNAME:Sea\\, Land\\; Air \\\\ Border" in body
    assert all(len(line) <= 75 for line in body.split(b"\r\n")), "lines fold at 75 octets"
    assert any(line.startswith(b" ") for line in body.split(b"\r\n"))
    calendar = read(response)
    # icalendar keeps a property it has no type for as written; calendar programs read it as
    # TEXT (RFC 7986 NAME), and so does this.
    assert as_text(calendar["x-wr-calname"]) == network.name
    assert as_text(calendar["name"]) == network.name
    assert {str(v["summary"]) for v in calendar.walk("VEVENT")} == {
        "Opening · North, south; east \\ west",
        "Panel · North, south; east \\ west",
    }
    other = read_vobject(response)
    assert other.contents["x-wr-calname"][0].value == network.name
    assert other.contents["name"][0].value == network.name
    assert {v.summary.value for v in other.contents["vevent"]} == {
        "Opening · North, south; east \\ west",
        "Panel · North, south; east \\ west",
    }


def test_project_feed_lists_its_published_events(client, project, summit, countries):
    make_event("Draft of the project", projects=[project], published=False, country=countries["RS"])
    calendar = read(client.get(url("project_calendar", project.pk)))
    assert {str(v["summary"]) for v in calendar.walk("VEVENT")} == {
        "Opening · Summer summit",
        "Panel · Summer summit",
    }


def test_a_draft_projects_feed_is_not_found(client, draft_project, countries, viewer):
    make_event("Confidential", projects=[draft_project], country=countries["TR"])
    assert client.get(url("project_calendar", draft_project.pk)).status_code == 404
    client.force_login(viewer)
    assert client.get(url("project_calendar", draft_project.pk)).status_code == 404


def test_public_feeds_never_carry_online_links(client, network, project, summit, manager):
    client.force_login(manager)  # even those who may see the link get the public feed
    for feed in (
        url("event_calendar", summit.pk),
        url("network_calendar", network.pk),
        url("project_calendar", project.pk),
    ):
        calendar = read(client.get(feed))
        assert calendar.walk("VEVENT")
        text = everything(calendar)
        assert "secret-room" not in text and "secret-session" not in text, feed


def test_network_feed_query_count_does_not_grow_with_events(
    client, network, countries, django_assert_max_num_queries
):
    def add(n):
        for i in range(n):
            event = make_event(f"Event {i}", network=network, country=countries["RS"])
            Session.objects.create(event=event, title="S", start=event.start, end=event.end)

    add(1)
    with django_assert_max_num_queries(10) as few:
        client.get(url("network_calendar", network.pk))
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        calendar = read(client.get(url("network_calendar", network.pk)))
    assert len(calendar.walk("VEVENT")) == 21


# A person's own calendar ---------------------------------------------------------------------


@pytest.fixture
def open_form(summit):
    return RegistrationForm.objects.create(event=summit, is_open=True, capacity=1)


def my_feed_url(user) -> str:
    return url("my_calendar", CalendarToken.for_user(user).token)


def test_private_feed_shows_approved_registrations_with_their_links(
    client, open_form, summit, winter_meeting, participants
):
    approved = sign_up(participants[0], summit)
    assert approved.status == RegistrationStatus.APPROVED
    waiting = sign_up(participants[1], summit)
    assert waiting.status == RegistrationStatus.WAITLISTED
    # No session cookie: the token is the key, as for a calendar program.
    calendar = read(client.get(my_feed_url(participants[0])))
    assert {str(v["summary"]) for v in calendar.walk("VEVENT")} == {
        "Opening · Summer summit",
        "Panel · Summer summit",
    }
    text = everything(calendar)
    assert "https://meet.example.org/secret-session" in text  # the session's own link
    assert "https://meet.example.org/secret-room" in text  # the event's, for the other session
    other = read(client.get(my_feed_url(participants[1])))
    assert other.walk("VEVENT") == []


def test_private_feed_drops_a_cancelled_registration(client, open_form, summit, participants):
    registration = sign_up(participants[0], summit)
    services.cancel(participants[0], registration)
    calendar = read(client.get(my_feed_url(participants[0])))
    assert calendar.walk("VEVENT") == []


def test_private_feed_refuses_a_wrong_token(client, open_form, summit, participants):
    sign_up(participants[0], summit)
    real = CalendarToken.for_user(participants[0]).token
    assert client.get(url("my_calendar", "not-the-token")).status_code == 404
    assert client.get(url("my_calendar", real[:-1])).status_code == 404
    assert client.get(url("my_calendar", real)).status_code == 200


def test_private_feed_stops_for_a_deactivated_account(client, open_form, summit, participants):
    sign_up(participants[0], summit)
    feed = my_feed_url(participants[0])
    participants[0].is_active = False
    participants[0].save()
    assert client.get(feed).status_code == 404


def test_resetting_the_address_cuts_off_the_old_one(client, participants, public_user):
    user = participants[0]
    old = my_feed_url(user)
    client.force_login(user)
    page = client.get(url("my_registrations")).content.decode()
    assert f"http://testserver{old}" in page
    assert client.get(url("calendar_reset")).status_code == 405
    response = client.post(url("calendar_reset"))
    assert response.status_code == 302
    new = my_feed_url(user)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    # Another person's reset leaves this address alone.
    client.force_login(public_user)
    client.post(url("calendar_reset"))
    assert client.get(new).status_code == 200


def test_reset_needs_a_signed_in_person(client, participants):
    old = my_feed_url(participants[0])
    response = client.post(url("calendar_reset"))
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    assert my_feed_url(participants[0]) == old


# Links ---------------------------------------------------------------------------------------


def test_pages_link_to_the_feeds(client, network, project, summit):
    page = client.get(summit.get_absolute_url()).content.decode()
    assert url("event_calendar", summit.pk) in page
    assert url("network_calendar", network.pk) in page
    assert url("project_calendar", project.pk) in page
    assert url("event_calendar", summit.pk) in client.get(url("agenda", summit.pk)).content.decode()
    listed = client.get(url("events") + f"?network={network.pk}").content.decode()
    assert url("network_calendar", network.pk) in listed
    listed = client.get(url("events") + f"?project={project.pk}").content.decode()
    assert url("project_calendar", project.pk) in listed
    assert "calendar.ics" not in client.get(url("events")).content.decode()


def test_a_draft_event_page_offers_no_feed(client, summit, viewer):
    summit.published = False
    summit.save()
    client.force_login(viewer)
    page = client.get(summit.get_absolute_url()).content.decode()
    assert "calendar.ics" not in page


def test_unknown_project_in_the_list_offers_no_feed(client, draft_project, countries, viewer):
    make_event("Confidential", projects=[draft_project], country=countries["TR"])
    client.force_login(viewer)  # staff see the draft project in the filter
    listed = client.get(url("events") + f"?project={draft_project.pk}").content.decode()
    assert url("project_calendar", draft_project.pk) not in listed
