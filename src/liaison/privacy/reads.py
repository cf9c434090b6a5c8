"""Who looked at personal data: the whole log for the data-protection officer and the
secretariat, with its export. A person's own part of it is on "My data" (``views.my_data``)."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liaison.core.exports import Echo, csv_cell, local, with_bom, xlsx_row, zoned
from liaison.core.permissions import can_read_personal_data_log, require
from liaison.directory.filters import PersonalDataReadFilter
from liaison.directory.readlog import PersonalDataRead

READS_PER_PAGE = 50


def _reader(read) -> str:
    if read.reader is None:
        return _("(account deleted)")
    return read.reader.get_full_name() or read.reader.username


def _record(read) -> str:
    if read.content_type_id is None:
        return ""
    return f"{read.content_type.name} {read.object_id}"


COLUMNS = [
    (zoned(gettext_lazy("When")), lambda r: local(r.at)),
    (gettext_lazy("Reader"), _reader),
    (gettext_lazy("Reader's role"), lambda r: r.reader.get_role_display() if r.reader else ""),
    (gettext_lazy("Person"), lambda r: r.person.name),
    (gettext_lazy("Person number"), lambda r: r.person_id),
    (gettext_lazy("What"), lambda r: r.get_kind_display()),
    (gettext_lazy("Record"), _record),
    (gettext_lazy("Page"), lambda r: r.path),
]


def _rows(reads):
    yield [str(title) for title, _get in COLUMNS]
    for read in reads.iterator(chunk_size=500):
        yield [get(read) for _title, get in COLUMNS]


def _csv(reads):
    writer = csv.writer(Echo())
    stream = (writer.writerow([csv_cell(v) for v in row]) for row in _rows(reads))
    response = StreamingHttpResponse(with_bom(stream), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="personal-data-reads.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _xlsx(reads):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(_("Reads")))
    for row in _rows(reads):
        sheet.append(xlsx_row(sheet, row))
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="personal-data-reads.xlsx"'
    response["Cache-Control"] = "no-store"
    workbook.save(response)
    return response


@login_required
def reads_log(request):
    """The whole log, filtered in the database and paged; ``?export=csv|xlsx`` gives all of the
    filtered rows. A bad filter shows why and lists nothing."""
    require(can_read_personal_data_log(request.user))
    reads = PersonalDataRead.objects.for_list()
    filterset = PersonalDataReadFilter(request.GET or None, queryset=reads)
    results = reads.none() if filterset.is_bound and not filterset.is_valid() else filterset.qs
    export = request.GET.get("export")
    if export == "csv":
        return _csv(results)
    if export == "xlsx":
        return _xlsx(results)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "privacy/reads_log.html",
        {
            "filter": filterset,
            "page": Paginator(results, READS_PER_PAGE).get_page(request.GET.get("page")),
            "query": query.urlencode(),
        },
    )
