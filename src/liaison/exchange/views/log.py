"""Who read a request, when and for which unit, and the same chain as JSON so that anyone
can check it (``readlog.verify``) away from Liaison."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from .. import permissions
from . import openable


def _entries(request, pk):
    found = openable(request, pk)
    if not permissions.can_see_log(request.user, found)[0]:
        raise Http404
    return found, permissions.visible_reads(request.user, found).order_by("pk")


@login_required
@require_GET
def read_log(request, pk):
    found, entries = _entries(request, pk)
    return render(
        request,
        "exchange/read_log.html",
        {
            "found": found,
            "entries": entries.select_related("user", "unit"),
            "may_export": permissions.can_export_log(request.user, found)[0],
        },
    )


@login_required
@require_GET
def read_log_json(request, pk):
    found, entries = _entries(request, pk)
    if not permissions.can_export_log(request.user, found)[0]:
        raise Http404
    rows = [
        {
            "at": entry.at.isoformat(),
            "user_id": entry.user_id,
            "unit_id": entry.unit_id,
            "request_id": entry.request_id,
            "what": entry.what,
            "detail": entry.detail,
            "previous": entry.previous,
            "hash": entry.hash,
        }
        for entry in entries
    ]
    response = JsonResponse(
        {"request": found.reference, "entries": rows}, json_dumps_params={"indent": 1}
    )
    name = f"read-log-{found.reference.replace('/', '-')}.json"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
