"""My data (a person's own) and the secretariat's erasure requests."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core.permissions import require
from liaison.directory.readlog import reads_of

from . import export, services
from .models import DataExport, ErasureRequest, ErasureStatus
from .permissions import can_decide_erasure, can_have_data

READS_PER_PAGE = 50


def _own_person(request):
    allowed, why = can_have_data(request.user)
    if not allowed:
        raise PermissionDenied(why)
    return request.user.person


@login_required
def my_data(request):
    """What Liaison holds about the person, who has viewed it, and their erasure requests."""
    person = getattr(request.user, "person", None)
    if person is None:
        return render(request, "privacy/my_data.html", {"person": None})
    return render(
        request,
        "privacy/my_data.html",
        {
            "person": person,
            "exports": DataExport.objects.filter(person=person)[:10],
            "requests": ErasureRequest.objects.filter(person=person),
            "pending": ErasureRequest.objects.filter(
                person=person, status=ErasureStatus.PENDING
            ).exists(),
            "page": Paginator(reads_of(person), READS_PER_PAGE).get_page(request.GET.get("page")),
            "query": "",
        },
    )


@login_required
def my_data_download(request):
    """The whole copy as a JSON file, for the person to keep or take elsewhere."""
    person = _own_person(request)
    body = export.as_json(person, export.gather(person))
    services.note_export(request.user, person, DataExport.Format.JSON)
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2, default=str),
        content_type="application/json",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="liaison-my-data-{stamp}.json"'
    return response


@login_required
def my_data_summary(request):
    """The same copy as a page to read and print."""
    person = _own_person(request)
    services.note_export(request.user, person, DataExport.Format.HTML)
    return render(
        request,
        "privacy/my_data_summary.html",
        {"person": person, "sections": export.gather(person), "now": timezone.now()},
    )


@login_required
@require_POST
def request_erasure(request):
    person = _own_person(request)
    try:
        services.request_erasure(request.user, person, request.POST.get("note", "")[:2000])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Your request is with the secretariat; you will see its decision here.")
        )
    return redirect("privacy:my_data")


@login_required
def erasure_list(request):
    require(can_decide_erasure(request.user))
    return render(
        request,
        "privacy/erasure_list.html",
        {"requests": ErasureRequest.objects.select_related("person", "decided_by")[:200]},
    )


@login_required
def erasure_detail(request, pk):
    """The request, what the person has in Liaison, and the two decisions."""
    require(can_decide_erasure(request.user))
    erasure = get_object_or_404(ErasureRequest.objects.select_related("person"), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "carry_out":
                services.carry_out_erasure(request.user, erasure)
                messages.success(request, _("The person's data has been erased."))
            else:
                services.refuse_erasure(request.user, erasure, request.POST.get("legal_reason", ""))
                messages.success(request, _("The request is refused; the person sees why."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            return redirect("privacy:erasures")
    counts = [(section["title"], len(section["rows"])) for section in export.gather(erasure.person)]
    return render(request, "privacy/erasure_detail.html", {"erasure": erasure, "counts": counts})
