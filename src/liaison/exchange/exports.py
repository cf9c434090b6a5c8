"""The statistics as a workbook (``stats.compute``): one sheet per table of the page, numbers
kept as numbers so that they can be totalled, text kept text (``core.exports.xlsx_row``).
Like the page, it holds counts and timings, never content."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from liaison.core.exports import xlsx_row

from .stats import Statistics, describe

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet(workbook, title: str, headings: list[str], rows):
    sheet = workbook.create_sheet(title[:31])
    sheet.append(xlsx_row(sheet, headings))
    for row in rows:
        sheet.append(xlsx_row(sheet, row))


def workbook(result: Statistics) -> bytes:
    book = Workbook(write_only=True)
    _sheet(
        book,
        _("Summary"),
        [_("Figure"), _("Value")],
        [
            (_("Scope"), describe(result)),
            (_("From"), result.start.date()),
            (_("Until (excluded)"), result.end.date()),
            (_("Requests sent"), result.requests_sent),
            (_("Cases (requests received, per unit)"), result.cases),
            (_("Urgent"), result.urgent),
            (_("Not urgent"), result.not_urgent),
            (_("Answered"), result.answered),
            (_("Refused"), result.refused),
            (_("Answered or refused by the deadline"), result.on_time),
            (_("Late or overdue"), result.late),
            (_("On time (%)"), result.on_time_rate),
            (_("Open"), result.open),
            (_("Overdue"), result.overdue),
            (_("Median time to answer (hours)"), result.median_hours),
        ],
    )
    figures = ["cases", "urgent", "answered", "refused", "on_time", "late", "open", "overdue"]
    _sheet(
        book,
        _("Unit pairs"),
        [
            _("Sending unit"),
            _("Receiving unit"),
            _("Cases"),
            _("Urgent"),
            _("Answered"),
            _("Refused"),
            _("On time"),
            _("Late or overdue"),
            _("Open"),
            _("Overdue"),
            _("On time (%)"),
        ],
        (
            [p["sender"], p["receiver"], *(p[name] for name in figures), p["on_time_rate"]]
            for p in result.pairs
        ),
    )
    _sheet(
        book,
        _("Units"),
        [_("Unit"), _("Requests sent"), _("Requests received")],
        ([row["unit"], row["sent"], row["received"]] for row in result.units),
    )
    _sheet(
        book,
        _("Urgency"),
        [_("Urgency"), _("Cases"), _("On time"), _("Late or overdue"), _("On time (%)")],
        (
            [row["label"], row["cases"], row["on_time"], row["late"], row["on_time_rate"]]
            for row in result.by_urgency
        ),
    )
    _sheet(
        book,
        _("Refusals"),
        [_("Ground"), _("Refused")],
        ([row["label"], row["refused"]] for row in result.by_ground),
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(result: Statistics) -> str:
    scope = (result.unit or result.network or "exchange").replace(" ", "-")
    quarter = f"-Q{result.quarter}" if result.quarter else ""
    return f"exchange-statistics-{scope}-{result.year}{quarter}.xlsx"
