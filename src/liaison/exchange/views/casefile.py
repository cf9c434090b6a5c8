"""A request's case file as a PDF (``casefile.export``): a 404 unless the reader may open the
request, and a read in its log when exported."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from .. import casefile
from . import acting_unit, openable


@login_required
@require_GET
def case_file(request, pk):
    found = openable(request, pk)
    content = casefile.export(request.user, found, acting_unit(request.user, found))
    response = HttpResponse(content, content_type="application/pdf")
    name = f"case-file-{found.reference.replace('/', '-')}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"
    return response
