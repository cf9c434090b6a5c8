"""The project list as CSV and XLSX files, built row by row so a large portfolio fits in memory."""

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from liaison.core.exports import Echo, csv_cell, with_bom, xlsx_row

COLUMNS = [
    (_("Reference"), lambda p: p.reference),
    (_("Acronym"), lambda p: p.acronym),
    (_("Title"), lambda p: p.title),
    (_("Facility"), lambda p: str(p.facility or "")),
    (_("Status"), lambda p: p.get_status_display()),
    (_("Visibility"), lambda p: p.get_visibility_display()),
    (_("Start"), lambda p: p.start),
    (_("End"), lambda p: p.end),
    (_("Total budget"), lambda p: p.total_budget),
    (_("Currency"), lambda p: p.currency),
    (_("Instruments"), lambda p: ", ".join(str(f.instrument) for f in p.funding_lines.all())),
    (_("Countries"), lambda p: ", ".join(c.code for c in p.countries.all())),
    (_("Typology"), lambda p: p.typology_label),
]
CHUNK = 500


def rows(projects):
    yield [str(title) for title, _get in COLUMNS]
    for project in projects.iterator(chunk_size=CHUNK):
        yield [get(project) for _title, get in COLUMNS]


def csv_response(projects, filename: str):
    writer = csv.writer(Echo())
    stream = (writer.writerow([csv_cell(v) for v in row]) for row in rows(projects))
    response = StreamingHttpResponse(with_bom(stream), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(projects, filename: str):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Projects")))
    for row in rows(projects):
        sheet.append(xlsx_row(sheet, row))
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    workbook.save(response)
    return response
