"""The synopsis report of an event: what it was, who took part in numbers, what it left behind.

``gather`` collects what a reader may see, for the web page and the PDF alike; ``pdf`` lays it
out with fpdf2 in DejaVu Sans (installed from npm with the other front-end files), so names in
Turkish, Cyrillic or Greek print as written. The report holds figures, never participants'
names; minutes, decisions and follow-up actions are for staff, as on the event page.
"""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .models import Event, RegistrationStatus
from .services import attendance_counts

CHART_ROWS = 12
FONT_FILES = {
    "": "vendor/dejavu-fonts-ttf/ttf/DejaVuSans.ttf",
    "B": "vendor/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf",
}


# Figures -------------------------------------------------------------------------------------


def _chart(rows: list[dict], limit: int = CHART_ROWS) -> dict:
    """Labels and the approved and attended series of a breakdown; the tail folds into one."""
    shown = list(rows[:limit])
    rest = rows[limit:]
    if rest:
        shown.append(
            {
                "label": _("Others (%(count)d)") % {"count": len(rest)},
                "registered": sum(r["registered"] for r in rest),
                "attended": sum(r["attended"] for r in rest),
            }
        )
    return {
        "labels": [str(r["label"]) for r in shown],
        "approved": [r["registered"] for r in shown],
        "attended": [r["attended"] for r in shown],
    }


def figures(event: Event) -> dict:
    """Registered (all but cancelled), approved and attended, with the three breakdowns."""
    statuses = dict(event.registrations.values_list("status").annotate(n=Count("pk")).order_by())
    counts = attendance_counts(event)
    breakdowns = [
        ("country", _("By country"), counts["by_country"]),
        ("institution-type", _("By institution type"), counts["by_institution_type"]),
        ("sex", _("By sex"), counts["by_sex"]),
    ]
    return {
        "registered": sum(statuses.values()) - statuses.get(RegistrationStatus.CANCELLED, 0),
        "approved": counts["registered"],
        "attended": counts["attended"],
        "breakdowns": [
            {"key": key, "title": title, "rows": rows, "chart": _chart(rows)}
            for key, title, rows in breakdowns
        ],
    }


def gather(event: Event, user) -> dict:
    """Everything the report shows to ``user``, who may already see the event."""
    staff = getattr(user, "is_liaison_staff", False)
    return {
        "event": event,
        "agenda": event.agenda_by_day(),
        "speakers": list(event.speakers.select_related("organisation", "country")),
        "projects": list(event.projects.visible_to(user)),
        "figures": figures(event),
        "minutes": event.minutes if staff else "",
        "decisions": list(event.decisions.all()) if staff else [],
        "actions": list(event.actions.select_related("owner_organisation")) if staff else [],
        "follow_ups": list(event.follow_ups.visible_to(user).order_by("start", "pk")),
        "knowledge": list(event.knowledge_items.visible_to(user)),
        "generated": timezone.now(),
    }


# PDF -----------------------------------------------------------------------------------------


def font_path(style: str = "") -> Path:
    """The DejaVu Sans file among the static files (``make assets`` installs it)."""
    found = finders.find(FONT_FILES[style])
    if not found:
        raise ImproperlyConfigured(
            f"{FONT_FILES[style]} is missing: run `make assets` to install the report fonts."
        )
    return Path(found)


class ReportPDF(FPDF):
    FONT = "DejaVu"
    BLUE = (31, 78, 153)
    AMBER = (224, 161, 0)

    def __init__(self, title: str, generated: str):
        super().__init__(format="A4")
        self.report_title = title
        self.generated = generated
        for style in FONT_FILES:
            self.add_font(self.FONT, style, str(font_path(style)))
        self.set_title(title)
        self.set_creator("Liaison")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        self.alias_nb_pages()

    # Room kept at the right of the footer for "page/pages", whatever the number of pages.
    PAGE_NUMBER_ROOM = "9999/9999"

    def footer(self):
        """The title and date at the left, shortened to the room the page number leaves them
        (the whole title is on the first page), and "page/pages" at the right."""
        self.set_y(-12)
        self.set_font(self.FONT, "", 8)
        self.set_text_color(110)
        room = self.epw - self.get_string_width(self.PAGE_NUMBER_ROOM) - 4
        date = f" · {self.generated}"
        title = self._fit(self.report_title, room - self.get_string_width(date))
        self.cell(room, 5, self._fit(title + date, room), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="R")
        self.set_text_color(0)

    # Building blocks

    def heading(self, text: str, size: int = 13):
        if self.will_page_break(size * 2):
            self.add_page()
        self.ln(3)
        self.set_font(self.FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(self, body: str, *, bold: bool = False, size: int = 10, indent: float = 0):
        self.set_font(self.FONT, "B" if bold else "", size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent, size * 0.5, body, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def facts(self, rows: list[tuple[str, str]]):
        for label, value in rows:
            if not value:
                continue
            self.set_font(self.FONT, "B", 10)
            self.cell(32, 5, label)
            self.set_font(self.FONT, "", 10)
            self.multi_cell(0, 5, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def bars(self, chart: dict, legend: tuple[str, str]):
        """A horizontal bar chart: per row an approved bar and an attended bar."""
        labels = chart["labels"]
        if not labels:
            self.paragraph(_("No participants yet."))
            return
        bar, gap, label_width = 3.2, 2.4, 55
        height = 8 + len(labels) * (2 * bar + gap)
        if self.will_page_break(height):
            self.add_page()
        top = self.get_y()
        self.set_font(self.FONT, "", 8)
        for n, (name, colour) in enumerate(zip(legend, (self.BLUE, self.AMBER), strict=True)):
            x = self.l_margin + label_width + n * 45
            self.set_fill_color(*colour)
            self.rect(x, top + 1, 4, 3, style="F")
            self.set_xy(x + 5, top)
            self.cell(38, 5, name)
        y = top + 8
        biggest = max([1, *chart["approved"], *chart["attended"]])
        span = self.epw - label_width - 12
        for label, approved, attended in zip(
            labels, chart["approved"], chart["attended"], strict=True
        ):
            self.set_xy(self.l_margin, y + bar / 2)
            self.cell(label_width - 2, bar, self._fit(label, label_width - 2), align="R")
            for offset, value, colour in ((0, approved, self.BLUE), (bar, attended, self.AMBER)):
                width = span * value / biggest
                self.set_fill_color(*colour)
                if width:
                    self.rect(self.l_margin + label_width, y + offset, width, bar, style="F")
                self.set_xy(self.l_margin + label_width + width + 1, y + offset)
                self.cell(10, bar, str(value))
            y += 2 * bar + gap
        self.set_draw_color(150)
        self.line(self.l_margin + label_width, top + 7, self.l_margin + label_width, y - gap)
        self.set_draw_color(0)
        self.set_y(y + 2)

    def _fit(self, text: str, width: float) -> str:
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text + "…"

    def grid(self, headings: list[str], rows: list[list[str]], widths: tuple[int, ...]):
        self.set_font(self.FONT, "", 9)
        with self.table(col_widths=widths, text_align="LEFT", line_height=4.6, padding=1) as table:
            header = table.row()
            for heading in headings:
                header.cell(heading)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(str(value))
        self.ln(2)


def _agenda(pdf: ReportPDF, agenda, zone):
    for day, sessions in agenda:
        pdf.heading(formats.date_format(day, "l j F Y"), size=11)
        for session in sessions:
            start = session.start.astimezone(zone).strftime("%H:%M")
            end = session.end.astimezone(zone).strftime("%H:%M")
            kind = f" ({session.get_kind_display()})" if session.kind != "session" else ""
            pdf.paragraph(f"{start}–{end}  {session.title}{kind}", bold=True)
            details = []
            if session.room:
                details.append(_("Room: %(room)s") % {"room": session.room})
            for label, speaker in (
                (_("Chair"), session.chair),
                (_("Moderator"), session.moderator),
            ):
                if speaker:
                    details.append(f"{label}: {_speaker(speaker)}")
            panellists = list(session.panellists.all())
            if panellists:
                names = ", ".join(_speaker(s) for s in panellists)
                details.append(_("Panellists: %(names)s") % {"names": names})
            for talk in session.talks.all():
                names = ", ".join(_speaker(s) for s in talk.speakers.all())
                details.append(f"• {talk.title}" + (f" — {names}" if names else ""))
            for line in details:
                pdf.paragraph(line, indent=8)
            pdf.ln(1)


def _speaker(speaker) -> str:
    affiliation = speaker.affiliation_label
    return f"{speaker.name} ({affiliation})" if affiliation else speaker.name


def pdf(report: dict) -> bytes:
    """The report as a PDF document."""
    event = report["event"]
    zone = event.zone
    generated = formats.date_format(timezone.localtime(report["generated"]), "j F Y")
    document = ReportPDF(event.title, _("Generated on %(date)s") % {"date": generated})
    document.add_page()
    document.set_font(document.FONT, "B", 18)
    document.multi_cell(0, 8, event.title, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    document.paragraph(f"{event.get_type_display()} · {event.get_mode_display()}", size=10)
    document.ln(2)
    document.facts(
        [
            (
                _("When"),
                f"{event.when} ({event.timezone})",
            ),
            (_("Where"), event.place or (_("Online") if event.is_online else "")),
            (_("Network"), str(event.network) if event.network_id else ""),
            (_("Projects"), ", ".join(p.acronym or p.title for p in report["projects"])),
            (_("Follow-up of"), str(event.parent) if event.parent_id else ""),
        ]
    )
    for title, body in ((_("Synopsis"), event.synopsis), (_("Minutes"), report["minutes"])):
        if body:
            document.heading(title)
            document.paragraph(body)

    figures = report["figures"]
    document.heading(_("Participation"))
    document.facts(
        [
            (_("Registered"), str(figures["registered"])),
            (_("Approved"), str(figures["approved"])),
            (_("Attended"), str(figures["attended"])),
        ]
    )
    for breakdown in figures["breakdowns"]:
        document.heading(breakdown["title"], size=11)
        document.bars(breakdown["chart"], (_("Approved"), _("Attended")))

    document.heading(_("Agenda"))
    if report["agenda"]:
        _agenda(document, report["agenda"], zone)
    else:
        document.paragraph(_("No agenda was recorded."))
    if report["speakers"]:
        document.heading(_("Speakers"))
        for speaker in report["speakers"]:
            where = ", ".join(
                part
                for part in (
                    speaker.position,
                    speaker.affiliation_label,
                    speaker.country.name if speaker.country_id else "",
                )
                if part
            )
            document.paragraph(f"{speaker.name}" + (f" — {where}" if where else ""))

    if report["decisions"]:
        document.heading(_("Decisions"))
        for n, decision in enumerate(report["decisions"], start=1):
            document.paragraph(f"{n}. {decision.text}")
    if report["actions"]:
        document.heading(_("Follow-up actions"))
        document.grid(
            [_("Action"), _("Owner"), _("Due"), _("Status")],
            [
                [
                    action.title,
                    action.owner
                    + (f" ({action.owner_organisation})" if action.owner_organisation_id else ""),
                    formats.date_format(action.due, "j M Y") if action.due else "–",
                    action.get_status_display(),
                ]
                for action in report["actions"]
            ],
            (70, 50, 25, 25),
        )
    if report["follow_ups"]:
        document.heading(_("Follow-up events"))
        for follow_up in report["follow_ups"]:
            day = formats.date_format(follow_up.local_start, "j F Y")
            document.paragraph(f"{follow_up.title} — {day}, {follow_up.get_type_display()}")
    if report["knowledge"]:
        document.heading(_("Lessons learned and good practices"))
        for item in report["knowledge"]:
            document.paragraph(f"{item.title} ({item.get_kind_display()})")
    return bytes(document.output())
