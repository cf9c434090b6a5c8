"""A progress report as a PDF (fpdf2, DejaVu Sans, like the event reports) and as a workbook.

Both take what ``services.reports.gather`` collects, so they show what the page shows. In the
workbook the figures stay numbers, so people can total and chart them; text is written as
text (``core.exports.xlsx_row``), so a narrative starting with "=" reads as written and never
runs as a formula.
"""

from decimal import Decimal

from django.http import HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos
from openpyxl import Workbook
from openpyxl.styles import Font

from liaison.core.exports import xlsx_row
from liaison.events.report import ReportPDF

from .models import Unit

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def number(value, percent: bool = False) -> str:
    """A figure as a person reads it: no trailing zeros, a dash when there is none."""
    if value is None:
        return "–"
    text = format(Decimal(value).quantize(Decimal("0.01")).normalize(), "f")
    return f"{text}%" if percent else text


def headings() -> list[str]:
    return [
        _("Indicator"),
        _("Baseline"),
        _("Target in the period"),
        _("Reported for the period"),
        _("To date"),
        _("End target"),
        _("% of period target"),
        _("% of end target"),
    ]


def _title(data) -> str:
    project = data["project"]
    return f"{project.acronym or project.title} — {data['period'].title}"


def _dates(period) -> str:
    return "{} – {}".format(
        formats.date_format(period.starts_on, "j F Y"), formats.date_format(period.ends_on, "j F Y")
    )


def pdf(data: dict) -> bytes:
    period, report = data["period"], data["report"]
    generated = formats.date_format(timezone.localtime(data["generated"]), "j F Y")
    document = ReportPDF(_title(data), _("Generated on %(date)s") % {"date": generated})
    document.add_page()
    document.set_font(document.FONT, "B", 16)
    document.multi_cell(0, 7, _("Progress report"), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    document.paragraph(data["project"].title, bold=True, size=12)
    document.ln(2)
    document.facts(
        [
            (_("Period"), f"{period.title} ({period.get_kind_display()})"),
            (_("Dates"), _dates(period)),
            (_("Report due"), formats.date_format(period.deadline, "j F Y")),
            (_("Status"), str(report.get_status_display())),
        ]
    )
    document.heading(_("Indicators"))
    if data["rows"]:
        rows = []
        for row in data["rows"]:
            percent = row.indicator.unit == Unit.PERCENTAGE
            rows.append(
                [
                    f"{row.indicator.code} {row.indicator.name}",
                    number(row.baseline, percent),
                    number(row.target, percent),
                    number(row.actual, percent),
                    number(row.to_date, percent),
                    number(row.end_target, percent),
                    number(row.achieved, True),
                    number(row.achieved_to_date, True),
                ]
            )
        document.grid(headings(), rows, (46, 16, 18, 18, 17, 17, 21, 21))
    else:
        document.paragraph(_("The project has no indicators yet."))
    for title, body in (
        (_("Progress in the period"), report.narrative),
        (_("Activities done"), report.activities),
        (_("Risks and how they were handled"), report.risks),
    ):
        document.heading(title)
        document.paragraph(body or _("Nothing written."))
    held = [f"{e.title} — {formats.date_format(e.local_start, 'j M Y')}" for e in data["events"]]
    held += [f"{c.title} — {formats.date_format(c.starts_on, 'j M Y')}" for c in data["courses"]]
    if held:
        document.heading(_("Events and courses held in the period"), size=11)
        for line in held:
            document.paragraph(f"• {line}")
    if data["open_risks"]:
        document.heading(_("Open risks"), size=11)
        document.grid(
            [_("Risk"), _("Likelihood"), _("Impact"), _("Score"), _("Owner")],
            [
                [r.title, r.likelihood, r.impact, r.score, r.owner or "–"]
                for r in data["open_risks"]
            ],
            (80, 22, 22, 18, 32),
        )
    if data["reviews"]:
        document.heading(_("History"), size=11)
        for review in data["reviews"]:
            when = formats.date_format(timezone.localtime(review.at), "j M Y H:i")
            who = (review.by.get_full_name() or review.by.username) if review.by else "–"
            line = f"{when} · {review.get_action_display()} · {who}"
            document.paragraph(line + (f": {review.comment}" if review.comment else ""))
    return bytes(document.output())


def pdf_response(data: dict) -> HttpResponse:
    response = HttpResponse(pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="progress-report-{data["period"].pk}.pdf"'
    return response


def workbook(data: dict) -> Workbook:
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Indicators"))
    sheet.append(xlsx_row(sheet, [_title(data)]))
    sheet.append(xlsx_row(sheet, [_dates(data["period"])]))
    sheet.append([])
    sheet.append(xlsx_row(sheet, [_("Code"), *headings()[:1], _("Unit"), *headings()[1:]]))
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in data["rows"]:
        indicator = row.indicator
        sheet.append(
            xlsx_row(
                sheet,
                [
                    indicator.code,
                    indicator.name,
                    "%" if indicator.unit == Unit.PERCENTAGE else indicator.unit_label or "",
                    row.baseline,
                    row.target,
                    row.actual,
                    row.to_date,
                    row.end_target,
                    row.achieved,
                    row.achieved_to_date,
                ],
            )
        )
    sheet.column_dimensions["B"].width = 60
    text = book.create_sheet(str(_("Report")))
    report = data["report"]
    for title, body in (
        (_("Status"), report.get_status_display()),
        (_("Progress in the period"), report.narrative),
        (_("Activities done"), report.activities),
        (_("Risks and how they were handled"), report.risks),
    ):
        text.append(xlsx_row(text, [title, body]))
    text.column_dimensions["A"].width = 32
    text.column_dimensions["B"].width = 100
    return book


def xlsx_response(data: dict) -> HttpResponse:
    response = HttpResponse(content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="progress-report-{data["period"].pk}.xlsx"'
    )
    workbook(data).save(response)
    return response
