"""The secretariat's overview of a call (figures from ``overview.figures``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from liaison.core.permissions import require

from .. import permissions
from ..models import Call
from ..overview import figures


@login_required
def call_overview(request, reference):
    require(permissions.can_see_overview(request.user))
    call = get_object_or_404(Call.objects.visible_to(request.user), reference=reference)
    return render(
        request,
        "grants/overview.html",
        {
            "call": call,
            "figures": figures(call),
            "deadline": call.local(call.closes_at),
            "opens": call.local(call.opens_at),
        },
    )
