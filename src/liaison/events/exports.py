"""The participant list as CSV and XLSX, for the organisers only (the view checks)."""

from django.utils.translation import gettext_lazy as _

from liaison.core.exports import Echo, csv_cell, local, with_bom, xlsx_row, zoned

COLUMNS = [
    (_("Name"), lambda r: r.name),
    (_("E-mail"), lambda r: r.email),
    (_("Position"), lambda r: r.position),
    (_("Organisation"), lambda r: r.organisation_label),
    (_("Country"), lambda r: r.country.name if r.country_id else ""),
    (_("Institution type"), lambda r: r.get_institution_type_display()),
    (_("Sex"), lambda r: r.get_sex_display()),
    (_("Status"), lambda r: r.get_status_display()),
    (zoned(_("Registered")), lambda r: local(r.created)),
    (_("Nominated by"), lambda r: str(r.nominated_by_organisation or "")),
    (_("Published with consent"), lambda r: _("yes") if r.publish_consent else _("no")),
]
CHUNK = 500


def _answer(row: dict, key: str):
    value = (row.get(key) or {}).get("answer", "")
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return value


def rows(registrations, questions):
    yield [str(title) for title, _get in COLUMNS] + [q.label for q in questions]
    for registration in registrations.iterator(chunk_size=CHUNK):
        answers = {**registration.answers, **registration.follow_up_answers}
        yield [get(registration) for _title, get in COLUMNS] + [
            _answer(answers, q.key) for q in questions
        ]


def csv_response(registrations, questions, filename: str):
    import csv

    from django.http import StreamingHttpResponse

    writer = csv.writer(Echo())
    stream = (writer.writerow([csv_cell(v) for v in row]) for row in rows(registrations, questions))
    response = StreamingHttpResponse(with_bom(stream), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def xlsx_response(registrations, questions, filename: str):
    from django.http import HttpResponse
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Participants")))
    for row in rows(registrations, questions):
        sheet.append(xlsx_row(sheet, row))
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    response["Cache-Control"] = "no-store"
    workbook.save(response)
    return response
