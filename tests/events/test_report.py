"""The synopsis report of an event, as a page and as a PDF that other tools can open."""

import datetime
import io
import json
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from liaison.events import report, services
from liaison.events.models import (
    Decision,
    FollowUpAction,
    KnowledgeItem,
    KnowledgeKind,
    RegistrationForm,
    Session,
    SessionKind,
    Speaker,
    Talk,
)
from tests.events.conftest import at, make_event, sign_up


def url(name, *args):
    return reverse(f"events:{name}", args=args)


@pytest.fixture
def held(project, countries, manager, participants, check_in_open):
    """An event at Kapıkule with a panel, a talk by a speaker with a Cyrillic name, and four
    participants: three approved (two checked in), one who cancelled."""
    event = make_event(
        "Joint patrol review at Kapıkule",
        projects=[project],
        venue="Kapıkule border crossing",
        city="Edirne",
        country=countries["TR"],
        timezone="Europe/Istanbul",
        synopsis="The partners reviewed a year of joint patrols.",
        minutes="Internal: the budget line is still unclear.",
    )
    RegistrationForm.objects.create(event=event, is_open=True)
    chair = Speaker.objects.create(event=event, name="Иван Петров", position="Chief inspector")
    panellist = Speaker.objects.create(event=event, name="Ayşe Yılmaz", affiliation="TNP")
    panel = Session.objects.create(
        event=event,
        title="Lessons from the patrols",
        kind=SessionKind.PANEL,
        room="Hall 1",
        start=at(30, 10),
        end=at(30, 12),
        chair=chair,
    )
    panel.panellists.add(panellist)
    Talk.objects.create(session=panel, title="Night shifts at the crossing").speakers.add(chair)
    people = [
        sign_up(participants[0], event, country=countries["TR"], sex="female"),
        sign_up(participants[1], event, country=countries["BG"], sex="male"),
        sign_up(participants[2], event, country=countries["BG"], sex="female"),
        sign_up(participants[3], event, country=countries["RS"]),
    ]
    services.cancel(participants[3], people[3])
    for registration in people[:2]:
        services.set_attendance(manager, registration, True, session=panel)
    decision = Decision.objects.create(event=event, text="Extend joint patrols to the night shift")
    FollowUpAction.objects.create(
        event=event,
        decision=decision,
        title="Draft the night-shift roster",
        owner="Border police directorate",
        due="2031-05-01",
    )
    KnowledgeItem.objects.create(
        kind=KnowledgeKind.LESSON, title="Brief patrols in both languages", body="...", event=event
    )
    return event


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('.pdf"')
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 1
    return "\n".join(page.extract_text() for page in reader.pages)


def test_figures_count_registered_approved_and_attended(held):
    figures = report.figures(held)
    assert (figures["registered"], figures["approved"], figures["attended"]) == (3, 3, 2)
    by_country = {b["key"]: b for b in figures["breakdowns"]}["country"]["chart"]
    assert dict(zip(by_country["labels"], by_country["attended"], strict=True)) == {
        "Türkiye": 1,
        "Bulgaria": 1,
    }


def test_chart_folds_the_tail_into_others():
    rows = [{"label": f"C{i}", "registered": 2, "attended": 1} for i in range(15)]
    chart = report._chart(rows, limit=12)
    assert len(chart["labels"]) == 13 and chart["labels"][-1] == "Others (3)"
    assert chart["approved"][-1] == 6 and chart["attended"][-1] == 3


def test_report_page_shows_figures_and_agenda_but_no_names(client, held, participants):
    response = client.get(url("report", held.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Joint patrol review at Kapıkule" in body
    assert "The partners reviewed a year of joint patrols." in body
    assert "Lessons from the patrols" in body and "Night shifts at the crossing" in body
    assert "Иван Петров" in body and "Ayşe Yılmaz" in body
    assert "Brief patrols in both languages" in body
    assert re.search(r'data-testid="attended">2<', body)
    assert re.search(r'data-testid="registered">3<', body)
    for user in participants[:4]:
        assert user.username not in body and user.email not in body
    chart = json.loads(re.search(r'id="data-sex"[^>]*>(.*?)</script>', body, re.S).group(1))
    assert chart["labels"] == ["Female", "Male"] and chart["attended"] == [1, 1]
    assert 'data-chart="bars"' in body and url("report_pdf", held.pk) in body


def test_minutes_decisions_and_actions_are_for_staff(client, held, viewer):
    public = client.get(url("report", held.pk)).content.decode()
    public_pdf = pdf_text(client.get(url("report_pdf", held.pk)))
    for text in ("budget line", "Extend joint patrols", "night-shift roster"):
        assert text not in public and text not in public_pdf
    client.force_login(viewer)
    staff = client.get(url("report", held.pk)).content.decode()
    assert "Internal: the budget line is still unclear." in staff
    assert "Extend joint patrols to the night shift" in staff
    assert "Draft the night-shift roster" in staff and "Border police directorate" in staff
    assert "1 May 2031" in staff


def test_pdf_opens_with_title_speakers_and_figures(client, held, viewer):
    client.force_login(viewer)
    text = pdf_text(client.get(url("report_pdf", held.pk)))
    flat = " ".join(text.split())
    assert "Joint patrol review at Kapıkule" in flat
    assert "Иван Петров" in flat and "Ayşe Yılmaz" in flat
    assert re.search(r"Attended\s+2\b", text)
    assert re.search(r"Registered\s+3\b", text)
    assert "Night shifts at the crossing" in flat
    assert "Draft the night-shift roster" in flat and "Open" in flat
    assert "Brief patrols in both languages" in flat


def test_pdf_of_an_event_without_agenda_or_participants(client, countries):
    event = make_event("Quiet meeting", country=countries["MD"], mode="online", venue="", city="")
    text = pdf_text(client.get(url("report_pdf", event.pk)))
    assert "Quiet meeting" in text and re.search(r"Attended\s+0\b", text)


def test_a_long_report_runs_over_several_pages(client, held):
    for n in range(40):
        Session.objects.create(
            event=held, title=f"Working group {n}", start=at(31, 9), end=at(31, 10)
        )
    reader = PdfReader(io.BytesIO(client.get(url("report_pdf", held.pk)).content))
    assert len(reader.pages) > 1
    assert "Working group 39" in "".join(page.extract_text() for page in reader.pages)


def footer(page) -> list[tuple[str, float]]:
    """The pieces of text at the foot of ``page`` (its bottom 15 mm), each with the x where it
    starts, in points, from left to right."""
    parts = []

    def visit(text, cm, tm, font, size):
        if text.strip() and tm[5] < 15 * 72 / 25.4:
            parts.append((text.strip(), tm[4] * cm[0] + cm[4]))

    page.extract_text(visitor_text=visit)
    return sorted(parts, key=lambda part: part[1])


def test_a_long_title_leaves_room_for_the_page_number(client, held):
    """Regression: the footer's title ran under the page number once it was long."""
    held.title = " ".join(["Joint patrol review at the crossings of Kapıkule and Andreevo"] * 4)
    held.save()
    for n in range(40):
        Session.objects.create(event=held, title=f"Group {n}", start=at(31, 9), end=at(31, 10))
    reader = PdfReader(io.BytesIO(client.get(url("report_pdf", held.pk)).content))
    pages = len(reader.pages)
    assert pages > 1
    measure = report.ReportPDF("", "")  # the same font, to measure the footer's text
    measure.set_font(measure.FONT, "", 8)
    for number, page in enumerate(reader.pages, 1):
        (title, title_x), (page_number, number_x) = footer(page)
        assert page_number == f"{number}/{pages}"
        assert title.startswith("Joint patrol review at the crossings")
        assert "… · Generated on " in title  # shortened, the date kept
        title_end = title_x + measure.get_string_width(title) * 72 / 25.4
        assert title_end < number_x, f"the title runs into the page number on page {number}"
    # The whole title is on the first page, wrapped onto lines of their own.
    first_page = " ".join(reader.pages[0].extract_text().split())
    assert held.title in first_page


@pytest.mark.parametrize("name", ["report", "report_pdf"])
def test_a_drafts_report_is_for_its_managers(
    client, held, name, manager, secretariat, other_manager, viewer, public_user
):
    held.published = False
    held.save()
    assert client.get(url(name, held.pk)).status_code == 404
    expected = {public_user: 404, other_manager: 403, viewer: 403, manager: 200, secretariat: 200}
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url(name, held.pk)).status_code == status, user


def test_report_is_linked_from_the_event_and_outcomes_pages(client, held, manager):
    assert url("report", held.pk) in client.get(held.get_absolute_url()).content.decode()
    client.force_login(manager)
    assert url("report", held.pk) in client.get(url("outcomes", held.pk)).content.decode()
    assert url("report_pdf", held.pk) in client.get(url("outcomes", held.pk)).content.decode()


def test_report_query_count_does_not_grow_with_the_agenda(
    client, held, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40) as few:
        client.get(url("report", held.pk))
    for n in range(10):
        session = Session.objects.create(
            event=held, title=f"Extra {n}", start=at(31, 9), end=at(31, 10)
        )
        Talk.objects.create(session=session, title=f"Talk {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url("report", held.pk))


def test_when_reads_as_the_venue_clock_shows_it(event):
    zone = event.zone
    event.start = datetime.datetime(2026, 12, 22, 9, 0, tzinfo=zone)
    event.end = datetime.datetime(2026, 12, 22, 17, 0, tzinfo=zone)
    assert event.when == "22 December 2026, 09:00–17:00"
    event.end = datetime.datetime(2026, 12, 23, 13, 0, tzinfo=zone)
    assert event.when == "22 December 2026, 09:00 – 23 December 2026, 13:00"
