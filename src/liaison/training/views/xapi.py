"""The xAPI export (a StatementResult, page by page, as a learning record store answers
``GET /statements``) and the page where the centres' staff follow what is sent to the external
learning record store.

A refusal is a 403, a bad parameter a 400 that says which and why, a statement of another
centre simply not found (404).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..forms.xapi import DeliveryFilter, ExportForm
from ..lrs import VERSION
from ..models import Course, DeliveryState, Module, XapiDelivery
from ..services import TrainingError
from ..services import xapi as services

DELIVERIES_PER_PAGE = 50


def _bad_request(form) -> HttpResponse:
    reasons = "; ".join(
        f"{field}: {' '.join(errors)}" if field != "__all__" else " ".join(errors)
        for field, errors in form.errors.items()
    )
    return HttpResponse(
        _("Check the parameters: %(reasons)s") % {"reasons": reasons},
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@login_required
@require_GET
def xapi_export(request):
    """Statements as an xAPI StatementResult, for a learning record store to take in; ``more``
    fetches the next page with the same parameters."""
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _bad_request(form)
    data = form.cleaned_data
    module = get_object_or_404(Module, pk=data["module"]) if data["module"] else None
    course = get_object_or_404(Course, pk=data["course"]) if data["course"] else None
    consistent_through = timezone.now()
    page = services.statements_page(
        request.user,
        module=module,
        course=course,
        mine=data["mine"],
        since=data["since"],
        until=data["until"],
        limit=data["limit"],
        after=data["cursor"],
    )
    more = ""
    if page.next is not None:
        query = request.GET.copy()
        query["cursor"] = page.next.encode()
        more = f"{request.path}?{query.urlencode()}"
    response = JsonResponse({"statements": page.statements, "more": more})
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = content_disposition_header(
        True, f"xapi-statements-{stamp}.json"
    )
    response["X-Experience-API-Version"] = VERSION
    response["X-Experience-API-Consistent-Through"] = consistent_through.isoformat()
    return response


@login_required
@require_GET
def deliveries(request):
    """The statements sent (or to be sent) to the external learning record store: their state,
    tries and last error, newest first, filterable by state. No learner is named here."""
    form = DeliveryFilter(request.GET or None)
    state = form.cleaned_data["state"] if form.is_bound and form.is_valid() else ""
    rows = services.deliveries_for(request.user, state)
    counts = dict(
        services.deliveries_for(request.user)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    page = Paginator(rows, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/xapi/deliveries.html",
        {
            "form": form,
            "page": page,
            "query": f"state={state}" if state else "",
            "counts": [
                (value, label, counts.get(value, 0)) for value, label in DeliveryState.choices
            ],
            "store": settings.LRS_URL,
            "failed": DeliveryState.FAILED,
        },
    )


@login_required
@require_POST
def delivery_retry(request, pk):
    """Send a failed statement again now (the worker takes it within moments)."""
    delivery = get_object_or_404(XapiDelivery.objects.visible_to(request.user), pk=pk)
    try:
        services.retry(request.user, delivery)
    except TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The statement is queued to be sent again."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("training:xapi_deliveries")
    return redirect(back)
