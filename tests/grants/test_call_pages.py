"""The public pages of calls for proposals: the list in three sections, one call with its
lots, rules and rates, and the calendar of deadlines, always in the call's own time zone."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from django.urls import reverse

from liaison.core.models import Role
from liaison.directory.models import OrganisationType, Region
from liaison.grants.models import Call, ExchangeRate, Lot
from liaison.portfolio.models import Instrument
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
BELGRADE = ZoneInfo("Europe/Belgrade")
TBILISI = ZoneInfo("Asia/Tbilisi")
NOW = datetime.datetime.now(UTC)
DAY = datetime.timedelta(days=1)
DOMAIN = "liaison.example.org"


def make_call(facility, reference, title, opens_at, closes_at, **extra) -> Call:
    extra.setdefault("published", True)
    return Call.objects.create(
        facility=facility,
        reference=reference,
        title=title,
        opens_at=opens_at,
        closes_at=closes_at,
        **extra,
    )


def add_lot(call, number=1, envelope="1000000") -> Lot:
    lot = Lot.objects.create(
        call=call,
        number=number,
        title=f"Lot {number} of {call.title}",
        envelope=Decimal(envelope),
        max_grant=Decimal("100000"),
        max_duration_months=18,
    )
    lot.instruments.set(Instrument.objects.filter(code="BMVI"))
    return lot


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, key: str) -> str:
    start = html.index(f'data-testid="calls-{key}"')
    return html[start : html.index("</section>", start)]


def text(html: str) -> str:
    """What a reader sees: tags dropped and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def part(html: str, testid: str) -> str:
    """The text of the element marked ``data-testid``, tags dropped and spaces collapsed."""
    start = html.index(f'data-testid="{testid}"')
    start = html.index(">", start) + 1
    tag = re.search(r"<(\w+)[^<]*$", html[:start]).group(1)
    return text(html[start : html.index(f"</{tag}>", start)])


@pytest.fixture
def draft(facility, countries):
    return make_call(
        facility,
        "PF-DRAFT",
        "Secret draft call",
        NOW - DAY,
        NOW + 30 * DAY,
        published=False,
    )


# The list ------------------------------------------------------------------------------------


def test_visitors_see_published_calls_only(client, call, lot, draft):
    html = page(client, reverse("grants:calls"))
    assert "Borders and security" in html
    assert "Secret draft call" not in html
    assert "Not published" not in html


def test_staff_see_unpublished_calls_marked(client, call, lot, draft, secretariat):
    client.force_login(secretariat)
    html = page(client, reverse("grants:calls"))
    open_calls = section(html, "open")
    assert "Secret draft call" in open_calls
    assert open_calls.count("Not published") == 1
    draft_card = open_calls[open_calls.index("Secret draft call") :]
    assert "Not published" in draft_card[: draft_card.index("</h3>")]


def test_calls_fall_into_open_upcoming_and_closed_sections_in_order(client, facility, call, lot):
    soon = make_call(facility, "SOON", "Closing soon", NOW - 10 * DAY, NOW + 2 * DAY)
    later = make_call(facility, "LATER", "Opens later", NOW + 10 * DAY, NOW + 40 * DAY)
    old = make_call(facility, "OLD", "Closed long ago", NOW - 400 * DAY, NOW - 300 * DAY)
    recent = make_call(facility, "RECENT", "Closed lately", NOW - 40 * DAY, NOW - 3 * DAY)
    html = page(client, reverse("grants:calls"))

    open_calls = section(html, "open")
    # Deadline soonest first: the fixture's call closes in 2030.
    assert open_calls.index(soon.title) < open_calls.index(call.title)
    assert later.title not in open_calls and old.title not in open_calls

    assert later.title in section(html, "upcoming")
    assert call.title not in section(html, "upcoming")

    closed = section(html, "closed")
    # Most recent first.
    assert closed.index(recent.title) < closed.index(old.title)
    assert soon.title not in closed and later.title not in closed


def test_list_shows_facility_lots_and_envelope_in_the_calls_currency(client, call, lot):
    add_lot(call, number=2, envelope="500000.50")
    html = page(client, reverse("grants:calls"))
    card = section(html, "open")
    assert f'href="{call.get_absolute_url()}"' in card
    assert "Partnership Facility" in card
    assert "2 lots" in card
    assert "2,500,000.50 EUR" in card
    assert reverse("grants:deadlines_ics") in html


def test_an_empty_section_says_so(client, call, lot):
    html = page(client, reverse("grants:calls"))
    assert "No call is announced yet." in section(html, "upcoming")
    assert "No call has closed yet." in section(html, "closed")


def test_dates_are_given_in_the_calls_own_zone_not_the_servers(client, settings, call, lot):
    # 17:00 in Belgrade on 31 March 2030 (summer time, UTC+2) is 15:00 UTC.
    settings.TIME_ZONE = "UTC"
    tbilisi = make_call(
        call.facility,
        "GE-1",
        "Georgian call",
        datetime.datetime(2026, 1, 5, 10, 0, tzinfo=TBILISI),
        datetime.datetime(2030, 6, 30, 18, 0, tzinfo=TBILISI),
        timezone="Asia/Tbilisi",
    )
    html = text(page(client, reverse("grants:calls")))
    assert "31 Mar 2030 17:00 (Europe/Belgrade)" in html
    assert "1 Jan 2026 09:00 (Europe/Belgrade)" in html
    assert "30 Jun 2030 18:00 (Asia/Tbilisi)" in html
    assert "15:00" not in html and "14:00" not in html

    detail = page(client, call.get_absolute_url())
    assert part(detail, "deadline").startswith("31 Mar 2030 17:00 (Europe/Belgrade)")
    assert 'datetime="2030-03-31T17:00:00+02:00"' in detail
    assert "15:00" not in detail
    assert "18:00 (Asia/Tbilisi)" in text(page(client, tbilisi.get_absolute_url()))


def test_list_query_count_does_not_grow_with_calls(
    client, facility, countries, django_assert_max_num_queries
):
    def add(n, start):
        for i in range(start, start + n):
            opens = NOW + (i % 3 - 1) * 100 * DAY  # past, now-ish and future calls
            new = make_call(facility, f"C-{i}", f"Call {i}", opens, opens + 50 * DAY)
            add_lot(new, 1)
            add_lot(new, 2)

    add(2, 0)
    with django_assert_max_num_queries(10) as few:
        page(client, reverse("grants:calls"))
    add(18, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = page(client, reverse("grants:calls"))
    assert html.count('data-testid="call"') == 20


def test_a_reviewer_finds_their_reviews_from_the_list_of_calls(client, call, lot, application):
    from liaison.grants.models import Assignment

    reviewer = make_user("rita", Role.PUBLIC)
    url = reverse("grants:reviews")
    client.force_login(reviewer)
    assert f'href="{url}"' not in page(client, reverse("grants:calls"))
    Assignment.objects.create(application=application, reviewer=reviewer)
    html = page(client, reverse("grants:calls"))
    assert f'href="{url}">My reviews</a>' in html


# One call ------------------------------------------------------------------------------------


def test_an_unpublished_call_is_not_found_by_visitors_and_outsiders(
    client, draft, outsider, secretariat
):
    url = draft.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(secretariat)
    html = page(client, url)
    assert "Not published" in html


def test_an_unknown_call_is_not_found(client, db):
    assert client.get(reverse("grants:call", args=["NOPE"])).status_code == 404


def test_call_page_shows_status_description_and_the_deadline_sentence(client, call, lot):
    call.description = "First line <script>alert(1)</script>\n\nSecond paragraph"
    call.save()
    html = page(client, call.get_absolute_url())
    assert part(html, "status") == "Open"
    assert "<p>First line &lt;script&gt;alert(1)&lt;/script&gt;</p>" in html
    assert "<p>Second paragraph</p>" in html
    assert "<script>alert(1)" not in html
    assert (
        "Applications are accepted until this second; the time is the call's (Europe/Belgrade)."
        in html
    )


def test_call_page_lists_the_lots_with_their_limits(client, call, lot):
    html = page(client, call.get_absolute_url())
    lots = part(html, "lots")
    assert "Border management" in lots
    assert "BMVI" in lots
    assert "2,000,000" in lots
    assert "100,000 – 500,000" in lots
    assert "24 months" in lots
    assert "5 – 50 %" in lots
    assert '<th scope="row">Border management</th>' in html
    assert 'role="region"' in html and 'tabindex="0"' in html


def test_call_page_says_who_may_take_part_in_words(client, call, lot, countries):
    html = page(client, call.get_absolute_url())
    assert part(html, "lead-where") == "EU Member State"
    assert part(html, "lead-kinds") == "any kind of organisation"
    assert part(html, "partner-where") == "EU Member State, Western Balkans, Eastern Partnership"
    minimums = part(html, "minimums")
    assert "at least 1 organisation from an EU Member State" in minimums
    assert "at least 1 organisation from a partner country" in minimums

    call.lead_regions = []
    call.lead_types = [OrganisationType.BORDER_GUARD, OrganisationType.POLICE]
    call.partner_regions = [Region.WESTERN_BALKANS]
    call.min_member_state_partners = 0
    call.min_partner_country_partners = 2
    call.save()
    call.lead_countries.set([countries["HU"]])
    html = page(client, call.get_absolute_url())
    assert part(html, "lead-where") == "Hungary"
    assert part(html, "lead-kinds") == "Border guard, Police"
    assert part(html, "partner-where") == "Western Balkans"
    assert part(html, "minimums") == "at least 2 organisations from partner countries"


def test_call_page_shows_the_exchange_rates_and_their_date(client, call, lot):
    call.rates_fixed_on = datetime.date(2027, 1, 15)
    call.save()
    html = page(client, call.get_absolute_url())
    rates = part(html, "rates")
    assert "1 EUR = 117.2 RSD" in rates
    assert "1 EUR = 2.95 GEL" in rates
    assert "fixed on 15 Jan 2027" in rates


def test_a_visitors_apply_link_goes_to_sign_in_and_back(client, call, lot):
    html = page(client, call.get_absolute_url())
    apply_url = reverse("grants:apply", args=[call.reference])
    login = reverse("account_login")
    assert f'href="{login}?next={apply_url}" data-testid="apply-link"' in html


def test_a_signed_in_applicant_gets_the_apply_button(client, call, lot, applicant):
    client.force_login(applicant)
    html = page(client, call.get_absolute_url())
    apply_url = reverse("grants:apply", args=[call.reference])
    assert f'href="{apply_url}" data-testid="apply-link"' in html


def test_an_account_without_a_person_reads_why_it_may_not_apply(client, call, lot):
    client.force_login(make_user("nobody", Role.PUBLIC))
    html = page(client, call.get_absolute_url())
    assert 'data-testid="apply-link"' not in html
    assert "verify your e-mail address first" in part(html, "refusal")


def test_closed_and_upcoming_calls_offer_no_apply_link(client, facility, applicant):
    closed = make_call(facility, "SHUT", "Shut call", NOW - 40 * DAY, NOW - DAY)
    coming = make_call(
        facility,
        "SOON",
        "Coming call",
        datetime.datetime(2031, 2, 1, 9, 0, tzinfo=BELGRADE),
        datetime.datetime(2031, 5, 1, 17, 0, tzinfo=BELGRADE),
        timezone="Europe/Belgrade",
    )
    client.force_login(applicant)
    shut = page(client, closed.get_absolute_url())
    assert 'data-testid="apply-link"' not in shut
    assert part(shut, "status") == "Closed"
    assert "no longer accepts applications" in shut
    soon = page(client, coming.get_absolute_url())
    assert 'data-testid="apply-link"' not in soon
    assert part(soon, "status") == "Upcoming"
    assert "Applications can be made from 1 Feb 2031 09:00 (Europe/Belgrade)." in soon


def test_the_consortium_sees_its_applications_to_the_call(
    client, application, partner_contact, outsider
):
    client.force_login(application.created_by)
    html = page(client, application.call.get_absolute_url())
    mine = part(html, "my-applications")
    assert application.reference in mine
    assert "Draft" in mine
    assert f'href="{application.get_absolute_url()}"' in html

    client.force_login(outsider)
    assert 'data-testid="my-applications"' not in page(client, application.call.get_absolute_url())


def test_call_page_query_count_does_not_grow_with_lots(
    client, call, application, django_assert_max_num_queries
):
    client.force_login(application.created_by)
    with django_assert_max_num_queries(20) as few:
        page(client, call.get_absolute_url())
    for number in range(2, 12):
        add_lot(call, number)
        ExchangeRate.objects.create(call=call, currency=f"X{number:02d}", rate=Decimal("1.5"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = page(client, call.get_absolute_url())
    assert html.count('<th scope="row">Lot ') == 10


# The calendar of deadlines -------------------------------------------------------------------


@pytest.fixture
def site_url(settings):
    """The installation's address, whose host every UID ends with."""
    settings.SITE_URL = f"https://{DOMAIN}"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "calendar.internal"]


def read_ical(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def read_by_hand(body: bytes) -> list[dict]:
    """A second reader, independent of icalendar, following RFC 5545 to the letter: lines end
    in CRLF and fold at 75 octets; each content line is NAME;PARAM=VALUE:VALUE. Returns the
    components, each a dict of its name, its properties (name → (params, value)) and parent."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text.split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in physical)
    lines = []
    for line in physical:
        if line[:1] in (" ", "\t"):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    components, stack = [], []
    for line in lines:
        head, value = line.split(":", 1)
        name, *params = head.split(";")
        params = dict(param.split("=", 1) for param in params)
        if name == "BEGIN":
            component = {"name": value, "props": {}, "parent": stack[-1]["name"] if stack else ""}
            components.append(component)
            stack.append(component)
        elif name == "END":
            assert stack.pop()["name"] == value
        else:
            stack[-1]["props"].setdefault(name, (params, value))
    assert not stack
    return components


def local_instant(params: dict, value: str) -> datetime.datetime:
    moment = datetime.datetime.strptime(value, "%Y%m%dT%H%M%S")
    return moment.replace(tzinfo=ZoneInfo(params["TZID"])).astimezone(UTC)


@pytest.fixture
def feed_calls(call, lot, draft, facility):
    """The fixture's call (Belgrade), a published one in Tbilisi, and an unpublished one."""
    tbilisi = make_call(
        facility,
        "GE-1",
        "Georgian call",
        datetime.datetime(2026, 1, 5, 10, 0, tzinfo=TBILISI),
        datetime.datetime(2030, 6, 30, 18, 0, tzinfo=TBILISI),
        timezone="Asia/Tbilisi",
    )
    return call, tbilisi


def test_feed_has_each_published_deadline_in_its_zone_with_icalendar(
    client, feed_calls, secretariat, site_url
):
    call, tbilisi = feed_calls
    client.force_login(secretariat)  # staff too get published calls only
    calendar = read_ical(client.get(reverse("grants:deadlines_ics")))
    events = {str(v["uid"]): v for v in calendar.walk("VEVENT")}
    assert set(events) == {
        f"call-{call.pk}-deadline@{DOMAIN}",
        f"call-{tbilisi.pk}-deadline@{DOMAIN}",
    }
    belgrade = events[f"call-{call.pk}-deadline@{DOMAIN}"]
    assert str(belgrade["summary"]) == "Deadline: Borders and security"
    assert belgrade["dtstart"].params["TZID"] == "Europe/Belgrade"
    assert belgrade.decoded("dtstart").astimezone(UTC) == datetime.datetime(
        2030, 3, 31, 15, 0, tzinfo=UTC
    )
    assert str(belgrade["url"]) == f"http://testserver{call.get_absolute_url()}"
    georgia = events[f"call-{tbilisi.pk}-deadline@{DOMAIN}"]
    assert georgia["dtstart"].params["TZID"] == "Asia/Tbilisi"
    assert georgia.decoded("dtstart").astimezone(UTC) == datetime.datetime(
        2030, 6, 30, 14, 0, tzinfo=UTC
    )
    zones = sorted(str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE"))
    assert zones == ["Asia/Tbilisi", "Europe/Belgrade"]
    assert b"Secret draft call" not in client.get(reverse("grants:deadlines_ics")).content


def test_feed_reads_the_same_by_hand(client, feed_calls, site_url):
    call, tbilisi = feed_calls
    components = read_by_hand(client.get(reverse("grants:deadlines_ics")).content)
    assert components[0]["name"] == "VCALENDAR"
    assert components[0]["props"]["VERSION"][1] == "2.0"
    events = [c for c in components if c["name"] == "VEVENT"]
    assert all(c["parent"] == "VCALENDAR" for c in events)
    zones = {c["props"]["TZID"][1] for c in components if c["name"] == "VTIMEZONE"}
    by_uid = {c["props"]["UID"][1]: c["props"] for c in events}
    assert len(by_uid) == 2
    belgrade = by_uid[f"call-{call.pk}-deadline@{DOMAIN}"]
    params, value = belgrade["DTSTART"]
    assert (params, value) == ({"TZID": "Europe/Belgrade"}, "20300331T170000")
    assert local_instant(params, value) == datetime.datetime(2030, 3, 31, 15, 0, tzinfo=UTC)
    assert belgrade["SUMMARY"][1] == "Deadline: Borders and security"
    assert belgrade["URL"][1] == f"http://testserver{call.get_absolute_url()}"
    georgia = by_uid[f"call-{tbilisi.pk}-deadline@{DOMAIN}"]
    assert georgia["DTSTART"] == ({"TZID": "Asia/Tbilisi"}, "20300630T180000")
    # Every TZID used has its VTIMEZONE.
    assert {props["DTSTART"][0]["TZID"] for props in by_uid.values()} <= zones


def test_feed_uids_stay_the_same_from_one_download_to_the_next(client, feed_calls):
    def uids():
        calendar = read_ical(client.get(reverse("grants:deadlines_ics")))
        return sorted(str(v["uid"]) for v in calendar.walk("VEVENT"))

    assert uids() == uids()


def test_feed_uids_do_not_depend_on_the_host_the_feed_was_asked_by(client, feed_calls, site_url):
    def uids(host):
        response = client.get(reverse("grants:deadlines_ics"), HTTP_HOST=host)
        return sorted(str(v["uid"]) for v in read_ical(response).walk("VEVENT"))

    call, tbilisi = feed_calls
    expected = sorted(f"call-{c.pk}-deadline@{DOMAIN}" for c in (call, tbilisi))
    assert uids("testserver") == uids("calendar.internal") == expected


def test_a_moved_deadline_has_a_higher_sequence_and_a_new_stamp(client, feed_calls):
    call, tbilisi = feed_calls
    Call.objects.filter(pk__in=[call.pk, tbilisi.pk]).update(updated=NOW - DAY)

    def revisions():
        body = client.get(reverse("grants:deadlines_ics")).content
        by_icalendar = {
            str(v["uid"]).split("@")[0]: (int(v["sequence"]), v.decoded("dtstamp"))
            for v in icalendar.Calendar.from_ical(body).walk("VEVENT")
        }
        by_vobject = {
            v.uid.value.split("@")[0]: (int(v.sequence.value), v.dtstamp.value)
            for v in vobject.readOne(body.decode()).contents["vevent"]
        }
        assert by_icalendar == by_vobject
        return by_icalendar

    before = revisions()
    edited = Call.objects.get(pk=call.pk)  # as the admin's change form saves it
    edited.closes_at += datetime.timedelta(days=7)
    edited.save()
    after = revisions()
    moved, kept = f"call-{call.pk}-deadline", f"call-{tbilisi.pk}-deadline"
    assert after[moved][0] > before[moved][0]
    assert after[moved][1] > before[moved][1]
    assert after[kept] == before[kept]


def test_an_empty_feed_is_still_a_calendar(client, draft):
    response = client.get(reverse("grants:deadlines_ics"))
    calendar = read_ical(response)
    assert calendar.walk("VEVENT") == []
    assert str(calendar["prodid"]) == "-//Liaison//Grants//EN"
    assert str(calendar["version"]) == "2.0"
    other = vobject.readOne(response.content.decode())
    assert other.name == "VCALENDAR" and other.version.value == "2.0"
    assert "vevent" not in other.contents


def test_feed_query_count_does_not_grow_with_calls(
    client, facility, countries, django_assert_max_num_queries
):
    def add(n, start):
        for i in range(start, start + n):
            make_call(facility, f"F-{i}", f"Call {i}", NOW + i * DAY, NOW + (i + 30) * DAY)

    add(2, 0)
    with django_assert_max_num_queries(5) as few:
        client.get(reverse("grants:deadlines_ics"))
    add(18, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        calendar = read_ical(client.get(reverse("grants:deadlines_ics")))
    assert len(calendar.walk("VEVENT")) == 20
