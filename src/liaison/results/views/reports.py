"""Portfolio results, reporting periods, progress reports and risks."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render


@login_required
def portfolio(request):
    if not request.user.is_liaison_staff:
        raise PermissionDenied
    return render(request, "results/portfolio.html", {})
