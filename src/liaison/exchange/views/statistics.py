"""The exchange's statistics page and its workbook: counts and timings of a network or a unit
(``stats.compute``), never content. For ``permissions.can_see_statistics``: Liaison's staff,
a network's secretariat (its networks) and a unit's supervisor (that unit only, through the
choices of ``filters.StatisticsForm``)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from liaison.core.permissions import require

from .. import exports, permissions, stats
from ..filters import StatisticsForm


def _units_chart(result) -> dict:
    """The sent and received series for ``charts.js``'s bar chart (its two series are named
    approved and attended)."""
    rows = result.units if result else []
    return {
        "labels": [row["unit"] for row in rows],
        "approved": [row["sent"] for row in rows],
        "attended": [row["received"] for row in rows],
    }


@login_required
@require_GET
def statistics(request):
    require(permissions.can_see_statistics(request.user))
    form = StatisticsForm(request.GET or None, user=request.user)
    scope = form.scope()
    result = stats.compute(**scope) if "exchange" in scope or "unit" in scope else None
    if result is not None and request.GET.get("export") == "xlsx":
        response = HttpResponse(exports.workbook(result), content_type=exports.CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, exports.filename(result))
        return response
    query = request.GET.copy()
    query["export"] = "xlsx"
    return render(
        request,
        "exchange/statistics.html",
        {
            "form": form,
            "result": result,
            "title": stats.describe(result) if result else "",
            "units_chart": _units_chart(result),
            "export_query": query.urlencode(),
        },
    )
