"""What every CSV and XLSX export shares, so that each reads right in any spreadsheet program.

- **Formulas never run.** A value that starts like a formula ("=", "+", "-", "@", a tab or a
  carriage return) is a way to smuggle one into a spreadsheet (CWE-1236). In a CSV, which has
  no types, it gets an apostrophe in front (``csv_cell``), as spreadsheet programs expect. In a
  workbook it is written as a text cell with the quote-prefix style (``xlsx_row``): Excel and
  LibreOffice show the text exactly, with no apostrophe, and keep it text when it is edited.
- **Date-times in the installation's time zone.** ``local`` turns an instant into the wall-clock
  time of ``settings.TIME_ZONE``, to the second (spreadsheets hold no zone); ``zoned`` names
  that zone in the column's heading, "Registered (Europe/Brussels)", so no reader takes it for
  UTC or for their own clock.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.functional import Promise, lazy
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _starts_like_a_formula(value) -> bool:
    return isinstance(value, str) and value[:1] in FORMULA_STARTS


def csv_cell(value):
    """A value for a CSV row: text that starts like a formula gets an apostrophe in front."""
    if isinstance(value, Promise):
        value = str(value)
    if _starts_like_a_formula(value):
        return "'" + value
    return "" if value is None else value


def xlsx_row(sheet, values) -> list:
    """``values`` ready for ``sheet.append`` (write-only or not): text that starts like a
    formula becomes a text cell, so the workbook holds the text exactly as it was written."""
    row = []
    for value in values:
        if isinstance(value, Promise):
            value = str(value)
        if _starts_like_a_formula(value):
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"  # openpyxl would take "=..." for a formula
            cell.quotePrefix = True  # and the spreadsheet program keeps it text when edited
            value = cell
        row.append(value)
    return row


def local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """``moment`` on the installation's clock (``settings.TIME_ZONE``), to the second and
    without a zone, as a spreadsheet holds it; whatever zone the request runs in."""
    if moment is None:
        return None
    zone = timezone.get_default_timezone()
    return timezone.localtime(moment, zone).replace(microsecond=0, tzinfo=None)


def local_date(moment: datetime.datetime | None) -> datetime.date | None:
    """The day ``moment`` falls on at the installation."""
    if moment is None:
        return None
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def _zoned(heading) -> str:
    return f"{heading} ({settings.TIME_ZONE})"


zoned = lazy(_zoned, str)
"""The heading of a column of ``local`` date-times, naming their zone: "When (Europe/Brussels)"."""


class Echo:
    """A file that hands back what is written to it, for ``csv.writer`` to stream rows."""

    def write(self, value):
        return value


def with_bom(stream):
    """The CSV ``stream`` after a byte-order mark, which makes spreadsheet programs read the
    file as UTF-8."""
    yield "\ufeff"
    yield from stream
