"""The audit log: every recorded change, for the secretariat, outside the admin."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from .filters import AuditEntryFilter
from .models import AuditEntry
from .permissions import can_read_audit, require

ENTRIES_PER_PAGE = 50


@login_required
def audit_log(request):
    """Entries filtered in the database, newest first; a bad filter shows why and lists none."""
    require(can_read_audit(request.user))
    entries = AuditEntry.objects.select_related("actor")
    filterset = AuditEntryFilter(request.GET or None, queryset=entries)
    results = entries.none() if filterset.is_bound and not filterset.is_valid() else filterset.qs
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_log.html",
        {
            "filter": filterset,
            "page": Paginator(results, ENTRIES_PER_PAGE).get_page(request.GET.get("page")),
            "query": query.urlencode(),
        },
    )
