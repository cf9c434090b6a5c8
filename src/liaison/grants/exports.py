"""The public list of awarded grants as CSV and XLSX, the same rows as the page
(``award.awarded``). Amounts stay numbers in the workbook, so they can be totalled; text
that starts like a formula stays text (``core.exports``), and the day of the decision is the
installation's."""

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from liaison.core.exports import Echo, csv_cell, local_date, with_bom, xlsx_row

from .award import partners_of


def _country(organisation) -> str:
    return organisation.country.name if organisation and organisation.country_id else ""


COLUMNS = [
    (_("Call"), lambda o: o.application.call.reference),
    (_("Call title"), lambda o: o.application.call.title),
    (_("Lot"), lambda o: o.application.lot.number),
    (_("Reference"), lambda o: o.application.reference),
    (_("Title"), lambda o: o.application.title),
    (_("Acronym"), lambda o: o.application.acronym),
    (_("Lead"), lambda o: o.application.lead.name if o.application.lead_id else ""),
    (_("Lead's country"), lambda o: _country(o.application.lead)),
    (
        _("Partners"),
        lambda o: "; ".join(
            f"{p.organisation.name} ({_country(p.organisation)})"
            if p.organisation.country_id
            else p.organisation.name
            for p in partners_of(o)
        ),
    ),
    (_("Grant"), lambda o: o.grant),
    (_("Currency"), lambda o: o.application.call.currency),
    (_("Decided on"), lambda o: local_date(o.decision.decided_at)),
]
CHUNK = 500


def rows(outcomes):
    yield [str(title) for title, _get in COLUMNS]
    for outcome in outcomes.iterator(chunk_size=CHUNK):
        yield [get(outcome) for _title, get in COLUMNS]


def csv_response(outcomes, filename: str):
    writer = csv.writer(Echo())
    stream = (writer.writerow([csv_cell(v) for v in row]) for row in rows(outcomes))
    response = StreamingHttpResponse(with_bom(stream), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(outcomes, filename: str):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Awarded grants")))
    for row in rows(outcomes):
        sheet.append(xlsx_row(sheet, row))
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    workbook.save(response)
    return response
