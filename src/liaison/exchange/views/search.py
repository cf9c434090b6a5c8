"""Search within the requests one may open (``search.search``); each request a search shows
is logged as read (``search.log_hits``), the words searched are not."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import forms, search
from . import require_role

PAGE_SIZE = 25


@login_required
@require_GET
def search_page(request):
    require_role(request.user)
    form = forms.SearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid() and form.asked():
        data = form.cleaned_data
        found = search.search(
            request.user, data["q"], data["crime_area"], data.get("from"), data.get("to")
        )
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
        search.log_hits(request.user, page.object_list, data["q"])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "exchange/search.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
