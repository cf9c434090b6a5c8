"""Pages of equipment: the list, an item with its path and the forms of its next step, the
request form, the totals, and the signed hand-over document.

Everything here is for Liaison's staff. Each step is a POST to its own address; the item page
shows only the forms the visitor may use, and the services check again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liaison.training.views import refused

from . import documents, permissions, services, totals
from .filters import ItemFilter
from .forms import (
    ApproveForm,
    HandOverForm,
    InUseForm,
    ItemForm,
    ProcureForm,
    RejectForm,
    TotalsFilter,
    UseCheckForm,
)
from .models import HANDED_OVER, HandOver, Item, ItemStatus
from .services import EDITABLE_FIELDS, REQUEST_FIELDS, EquipmentError, require

ITEMS_PER_PAGE = 25


def _posted(request):
    return request.POST if request.method == "POST" else None


def _staff(request):
    require(permissions.can_see_equipment(request.user))


def _item(request, pk) -> Item:
    return get_object_or_404(
        Item.objects.visible_to(request.user).select_related(
            "project", "institution__country", "requested_by", "handover"
        ),
        pk=pk,
    )


# The steps: (form, who may, which status it follows, what it does) -------------------------


ACTIONS = {
    "approve": (
        ApproveForm,
        permissions.can_decide,
        (ItemStatus.REQUESTED,),
        lambda user, item, data: services.approve(user, item, data["note"]),
    ),
    "reject": (
        RejectForm,
        permissions.can_decide,
        (ItemStatus.REQUESTED,),
        lambda user, item, data: services.reject(user, item, data["note"]),
    ),
    "procure": (
        ProcureForm,
        permissions.can_follow_up,
        (ItemStatus.APPROVED,),
        lambda user, item, data: services.record_procurement(user, item, **data),
    ),
    "deliver": (
        HandOverForm,
        permissions.can_follow_up,
        (ItemStatus.PROCURED,),
        lambda user, item, data: services.deliver(user, item, **data),
    ),
    "in-use": (
        InUseForm,
        permissions.can_follow_up,
        (ItemStatus.DELIVERED,),
        lambda user, item, data: services.mark_in_use(user, item),
    ),
    "use-check": (
        UseCheckForm,
        permissions.can_follow_up,
        HANDED_OVER,
        lambda user, item, data: services.record_use_check(user, item, **data),
    ),
}
DONE = {
    "approve": _("The request was approved."),
    "reject": _("The request was rejected."),
    "procure": _("The procurement was recorded."),
    "deliver": _("The hand-over was recorded."),
    "in-use": _("The item is marked as in use."),
    "use-check": _("The use check was recorded."),
}


def _forms_for(user, item: Item, bound: dict) -> dict:
    """The forms of the steps ``user`` may take on ``item`` now, ``bound`` ones kept as posted."""
    forms = {}
    for name, (form_class, check, statuses, _run) in ACTIONS.items():
        if item.status in statuses and check(user, item)[0]:
            forms[name.replace("-", "_")] = bound.get(name) or form_class(prefix=name)
    return forms


# Pages -------------------------------------------------------------------------------------


@login_required
def item_list(request):
    """Items filtered in the database; the URL carries the filters."""
    _staff(request)
    items = Item.objects.visible_to(request.user).for_list()
    filterset = ItemFilter(request.GET or None, queryset=items, user=request.user)
    results = items.none() if filterset.is_bound and not filterset.is_valid() else filterset.qs
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "equipment/item_list.html",
        {
            "filter": filterset,
            "page": Paginator(results, ITEMS_PER_PAGE).get_page(request.GET.get("page")),
            "query": query.urlencode(),
            "can_request": permissions.requestable_projects(request.user).exists(),
            "today": timezone.localdate(),
        },
    )


@login_required
def item_detail(request, pk):
    return _detail(request, _item(request, pk))


def _detail(request, item: Item, bound=None):
    entries = services.history(item)
    return render(
        request,
        "equipment/item_detail.html",
        {
            "item": item,
            "handover": getattr(item, "handover", None),
            "checks": item.use_checks.select_related("checked_by"),
            "path": services.path(item, entries),
            "history": entries,
            "forms": _forms_for(request.user, item, bound or {}),
            "can_edit": item.status == ItemStatus.REQUESTED
            and permissions.can_edit_request(request.user, item)[0],
        },
    )


@login_required
@require_POST
def item_action(request, pk, action):
    """Take one step of the path; on a refusal the item page shows the form with the reason."""
    if action not in ACTIONS:
        raise Http404
    item = _item(request, pk)
    form_class, check, _statuses, run = ACTIONS[action]
    require(check(request.user, item))
    form = form_class(request.POST, request.FILES, prefix=action)
    if form.is_valid():
        try:
            run(request.user, item, form.cleaned_data)
        except (EquipmentError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, DONE[action])
            return redirect(item)
    return _detail(request, item, {action: form})


@login_required
def item_request(request):
    projects = permissions.requestable_projects(request.user)
    if not projects.exists():
        raise PermissionDenied(
            _("Only the managers of a project and the secretariat request equipment.")
        )
    initial = {"project": request.GET.get("project", "")} if request.method == "GET" else None
    form = ItemForm(_posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.request_item(
                request.user, **{name: form.cleaned_data[name] for name in REQUEST_FIELDS}
            )
        except (EquipmentError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("The request was recorded; the secretariat decides on it."))
            return redirect(item)
    return render(request, "equipment/item_form.html", {"form": form, "item": None})


@login_required
def item_edit(request, pk):
    item = _item(request, pk)
    require(permissions.can_edit_request(request.user, item))
    form = ItemForm(_posted(request), instance=Item.objects.get(pk=item.pk), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with form.unchanged():
                services.update_request(
                    request.user,
                    item,
                    {name: form.cleaned_data[name] for name in EDITABLE_FIELDS},
                    form.cleaned_data.get("reason", ""),
                )
        except (EquipmentError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("The request was changed."))
            return redirect(item)
    return render(request, "equipment/item_form.html", {"form": form, "item": item})


@login_required
@require_GET
def handover_document(request, pk):
    """The signed hand-over record, never from the media address: the reader is checked."""
    item = _item(request, pk)
    require(permissions.can_see_document(request.user, item))
    handover = get_object_or_404(HandOver, item=item)
    try:
        handle = handover.document.open("rb")
    except OSError as error:
        raise Http404(_("The document is missing.")) from error
    name = handover.document.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, content_type=documents.content_type(name))
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def totals_page(request):
    _staff(request)
    base = Item.objects.visible_to(request.user)
    form = TotalsFilter(request.GET or None, items=base)
    figures = totals.build(base, **form.filters()) if not form.is_bound or form.is_valid() else None
    if figures is not None and request.GET.get("format") == "xlsx":
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = 'attachment; filename="equipment-totals.xlsx"'
        totals.xlsx(figures, response)
        return response
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(
        request,
        "equipment/totals.html",
        {"form": form, "totals": figures, "xlsx_query": query.urlencode()},
    )
