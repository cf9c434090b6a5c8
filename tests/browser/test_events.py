"""An event from its creation to its report, clicked through in Chromium.

An organiser (the manager of a project) builds a workshop in Sofia with its agenda and
registration form; a participant registers; the organiser approves and checks them in, then
reads the report and its PDF. The event's calendar feed is read back with ``icalendar``.
"""

import datetime
import io
import re
from zoneinfo import ZoneInfo

import icalendar
import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from liaison.accounts.services import vouch_for_addresses
from liaison.core.models import Role, User
from liaison.events.models import Attendance, Event, Registration, RegistrationStatus
from tests.browser.test_journeys import sign_in
from tests.browser.test_pickers import pick
from tests.conftest import PASSWORD, make_project

pytestmark = pytest.mark.browser

SOFIA = ZoneInfo("Europe/Sofia")
TITLE = "Workshop on document fraud at the Black Sea borders"
CONSENT = "I agree that the organisers keep my details to run this workshop."


@pytest.fixture
def people(reference_data):
    organiser = User.objects.create_user(
        "organiser",
        password=PASSWORD,
        role=Role.PROJECT_MANAGER,
        first_name="Olga",
        last_name="Organiser",
        email="olga@example.org",
    )
    participant = User.objects.create_user(
        "mira",
        password=PASSWORD,
        role=Role.PUBLIC,
        first_name="Mira",
        last_name="Officer",
        email="mira@example.org",
    )
    make_project("Safer borders on the Black Sea", acronym="BLACKSEA", managers=[organiser])
    # Accounts with an address sign in once it is verified (made by staff: vouched for).
    vouch_for_addresses([organiser, participant])
    return organiser, participant


def wall_clock(day: datetime.date, hour: int, minute: int = 0) -> str:
    """What the organiser types into a date-and-time field: the clock at the venue."""
    return datetime.datetime.combine(day, datetime.time(hour, minute)).strftime("%Y-%m-%dT%H:%M")


def add_session(page, title, kind, day, start, end, **people):
    page.get_by_role("link", name="Add a session, panel or break").click()
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Kind", exact=True).select_option(label=kind)
    page.get_by_label("Start (venue time)").fill(wall_clock(day, *start))
    page.get_by_label("End (venue time)").fill(wall_clock(day, *end))
    page.get_by_label("Room", exact=True).fill("Hall A")
    if "moderator" in people:
        page.get_by_label("Moderator", exact=True).select_option(label=people["moderator"])
    for name in people.get("panellists", ()):
        page.get_by_role("group", name="Panellists").get_by_label(name).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")
    expect(page.get_by_role("heading", name="Agenda and speakers", level=1)).to_be_visible()


def add_speaker(page, name, affiliation):
    page.get_by_role("link", name="Add a speaker").click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Affiliation", exact=True).fill(affiliation)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved.")


def test_workshop_from_creation_to_report_and_calendar(page, people):
    organiser, participant = people
    # Tomorrow: registration is still open, and check-in opens the day before the event.
    day = timezone.now().astimezone(SOFIA).date() + datetime.timedelta(days=1)

    # 1. The organiser creates the workshop from the list of events.
    sign_in(page, "organiser")
    page.get_by_role("link", name="Events", exact=True).click()
    page.get_by_role("link", name="New event").click()
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Type", exact=True).select_option(label="Workshop")
    page.get_by_label("Description", exact=True).fill(
        "Two sessions and a panel on forged travel documents."
    )
    pick(page, "Projects", "BLACKSEA – Safer borders on the Black Sea")
    page.get_by_label("Format").select_option(label="In person")
    page.get_by_label("Venue", exact=True).fill("National Palace of Culture")
    page.get_by_label("City", exact=True).fill("Sofia")
    page.get_by_label("Country", exact=True).select_option(label="Bulgaria")
    page.get_by_label("Time zone").select_option("Europe/Sofia")
    page.get_by_label("Start (venue time)").fill(wall_clock(day, 9))
    page.get_by_label("End (venue time)").fill(wall_clock(day, 17))
    page.get_by_label("Published", exact=True).check()
    # A new event has no change to explain.
    expect(page.get_by_label("Reason for the change")).to_have_count(0)
    page.get_by_role("button", name="Save event").click()

    expect(page.get_by_role("status")).to_contain_text("The event was saved.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    event = Event.objects.get()
    assert list(event.projects.values_list("acronym", flat=True)) == ["BLACKSEA"]
    assert event.timezone == "Europe/Sofia" and event.published
    assert list(event.organisers.all()) == [organiser]
    event_url = page.url

    # Two sessions and a panel, with speakers for the panel.
    page.get_by_role("link", name="Agenda and speakers").click()
    add_speaker(page, "Ivan Petrov", "Bulgarian Border Police")
    add_speaker(page, "Ana Ionescu", "Romanian Border Police")
    add_speaker(page, "Levan Beridze", "Georgian Patrol Police")
    add_session(page, "Opening and introductions", "Session", day, (9, 30), (10, 30))
    add_session(page, "Spotting forged passports", "Session", day, (11, 0), (12, 30))
    add_session(
        page,
        "Cooperation across the Black Sea",
        "Panel",
        day,
        (14, 0),
        (15, 30),
        moderator="Ivan Petrov",
        panellists=["Ana Ionescu", "Levan Beridze"],
    )
    agenda = page.locator(".agenda-item")
    expect(agenda).to_have_count(3)
    panel = agenda.filter(has_text="Cooperation across the Black Sea")
    expect(panel).to_contain_text("Moderator: Ivan Petrov")
    expect(panel).to_contain_text("Panellists: Ana Ionescu (Romanian Border Police)")

    # Registration: open, ten places, each one approved, with the organiser's consent text.
    page.get_by_role("link", name="Registration form").click()
    page.get_by_label("Registration is open").check()
    page.get_by_label("Capacity", exact=True).fill("10")
    page.get_by_label("Needs approval").check()
    consent = page.get_by_label("Consent to the use of personal data")
    # The standard text is offered; this organiser writes their own.
    expect(consent).to_have_value(re.compile(r"^I agree that the organisers keep my name"))
    consent.fill(CONSENT)
    page.get_by_role("button", name="Save the registration form").click()
    expect(page.get_by_role("status")).to_contain_text("The registration form was saved.")
    page.get_by_role("button", name="Sign out").click()

    # 2. The participant finds the event, registers with consent and waits for approval.
    sign_in(page, "mira")
    page.get_by_role("link", name="Events", exact=True).click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_test_id("registration")).to_be_visible()
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Mira Officer")
    expect(page.get_by_label("E-mail")).to_have_value("mira@example.org")
    page.get_by_label("Position", exact=True).fill("Document examiner")
    page.get_by_label("Organisation, if not listed").fill("Border Police of Moldova")
    page.get_by_label("Country", exact=True).select_option(label="Moldova")
    page.get_by_label("Type of institution").select_option(label="Border guard")
    page.get_by_label("Sex", exact=True).select_option(label="Female")
    # Without consent the page says why nothing happened.
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("alert")).to_contain_text("Registration needs your consent")
    assert not Registration.objects.exists()
    page.get_by_label(CONSENT).check()
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_role("status")).to_contain_text("waits for the organisers' approval")
    expect(page.get_by_test_id("status")).to_have_text("Waiting for approval")
    page.get_by_role("link", name="Back to the event").click()
    expect(page.get_by_test_id("registration")).to_contain_text(
        "Your registration: Waiting for approval"
    )
    registration = Registration.objects.get()
    assert registration.user == participant and registration.status == RegistrationStatus.PENDING
    assert registration.consent_given_at is not None
    page.get_by_role("button", name="Sign out").click()

    # 3. The organiser approves her on the participant list, then checks her in at the door.
    sign_in(page, "organiser")
    page.goto(event_url)
    page.get_by_role("link", name="Participant list").click()
    row = page.get_by_test_id("participants").get_by_role("row", name=re.compile("Mira Officer"))
    expect(row).to_contain_text("Waiting for approval")
    row.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Mira Officer's registration for {TITLE} is approved."
    )
    expect(row).to_contain_text("Approved")

    page.set_viewport_size({"width": 1024, "height": 768})
    page.get_by_role("link", name="Check-in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in")
    page.get_by_label("or session").select_option(label=f"{day:%a} 09:30 Opening and introductions")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Opening and introductions")
    person = page.get_by_test_id("check-in").get_by_role("row", name=re.compile("Mira Officer"))
    expect(page.get_by_test_id("present-count")).to_have_text("0 checked in")
    person.get_by_role("button", name="Check in").click()
    # The row is swapped in place and the count above the list follows.
    expect(person.get_by_role("button", name="Present")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("present-count")).to_have_text("1 checked in")
    assert Attendance.objects.filter(registration=registration).count() == 1
    page.set_viewport_size({"width": 1280, "height": 900})

    # 4. The report counts her and its PDF carries the event's title.
    page.get_by_role("link", name="Report", exact=True).click()
    participation = page.get_by_test_id("participation")
    expect(participation.get_by_test_id("registered")).to_have_text("1")
    expect(participation.get_by_test_id("approved")).to_have_text("1")
    expect(participation.get_by_test_id("attended")).to_have_text("1")
    pdf_href = page.get_by_role("link", name="Download as PDF").get_attribute("href")
    pdf = page.request.get(pdf_href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.body())).pages)
    assert TITLE in " ".join(text.split())

    # 5. The calendar feed: one VEVENT per session, at the venue's time.
    page.goto(event_url)
    feeds = page.get_by_test_id("calendar-feeds")
    expect(feeds).to_have_text("Calendars to subscribe to: events of BLACKSEA")
    ics_href = page.get_by_role("link", name="Add to your calendar (.ics)").get_attribute("href")
    feed = page.request.get(ics_href)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(feed.body())
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == 3
    first = min(vevents, key=lambda v: v.decoded("dtstart"))
    assert str(first["summary"]).startswith("Opening and introductions")
    assert first["dtstart"].params["TZID"] == "Europe/Sofia"
    typed = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=SOFIA)
    expected_utc = typed.replace(tzinfo=None) - typed.utcoffset()
    assert first.decoded("dtstart").astimezone(datetime.UTC).replace(tzinfo=None) == expected_utc
