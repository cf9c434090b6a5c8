"""The audit log (every recorded change, for the secretariat) and a person's API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .filters import AuditEntryFilter
from .forms import TokenForm
from .models import AuditEntry
from .permissions import can_read_audit, require
from .tokens import PersonalAccessToken, create_token, revoke_token

ENTRIES_PER_PAGE = 50


@login_required
def audit_log(request):
    """Entries filtered in the database, newest first; a bad filter shows why and lists none."""
    require(can_read_audit(request.user))
    entries = AuditEntry.objects.select_related("actor", "via_token")
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


@login_required
@never_cache
def tokens(request):
    """The signed-in person's API tokens; a new token's secret is shown in this one answer only.

    The answer to the creating POST is the page itself, not a redirect, so the secret is never
    kept anywhere (not in the session either) and is gone once the page is left.
    """
    secret = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created, secret = create_token(
            request.user,
            form.cleaned_data["name"],
            form.cleaned_data["scope"],
            form.cleaned_data["days"],
        )
        form = TokenForm()
    return render(
        request,
        "core/tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": PersonalAccessToken.objects.filter(owner=request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def revoke(request, pk):
    """Only the owner's own tokens are found: another person's token is a 404, not a 403."""
    token = get_object_or_404(PersonalAccessToken, pk=pk, owner=request.user)
    revoke_token(request.user, token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("my:tokens")
