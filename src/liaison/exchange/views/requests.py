"""The inbox, a new request, a request's page and its attachments.

Listing a request is not opening it: the inbox writes nothing to the read log. Opening the
request's page and downloading an attachment each add an entry (``readlog.record``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import F, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import dateformat, timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from liaison.core import uploads

from .. import deadlines, forms, permissions, readlog, services
from ..models import (
    OPEN_CASES,
    Attachment,
    Case,
    EntityKind,
    Message,
    MessageKind,
    ReadWhat,
    Request,
    RequestStatus,
)
from . import acting_unit, openable, require_role

PAGE_SIZE = 25
# The colour of a clock's state and of a case's status, from the site's status classes.
CLOCK_CLASS = {
    deadlines.Clock.OK: "status-done",
    deadlines.Clock.NEAR: "status-pending",
    deadlines.Clock.MISSED: "status-failed",
    deadlines.Clock.DONE: "status-completed",
}
CASE_CLASS = {
    "received": "status-pending",
    "assigned": "status-in_progress",
    "answered": "status-done",
    "refused": "status-failed",
    "closed": "status-cancelled",
}
# The words of an entity's details, as the page names them.
DETAIL_LABELS = {
    "names": gettext_lazy("Names"),
    "born": gettext_lazy("Date of birth"),
    "nationalities": gettext_lazy("Nationalities"),
    "documents": gettext_lazy("Identity documents"),
    "plate": gettext_lazy("Plate"),
    "vin": gettext_lazy("Vehicle identification number"),
    "number": gettext_lazy("Number"),
    "name": gettext_lazy("Name"),
    "note": gettext_lazy("Details"),
}


def local_text(moment, unit) -> str:
    """``moment`` on ``unit``'s wall clock, with the zone's name."""
    if moment is None:
        return "–"
    return f"{dateformat.format(moment.astimezone(unit.zone), 'j M Y, H:i')} ({unit.timezone})"


def with_clock(case: Case, sender, now=None) -> Case:
    """``case`` with its clock, the clock's colour and its deadline in both units' zones."""
    case.clock = deadlines.Clock(case, now)
    case.clock_class = CLOCK_CLASS[case.clock.state]
    case.status_class = CASE_CLASS.get(case.status, "")
    case.due_here = local_text(case.deadline, case.unit)
    case.due_sender = local_text(case.deadline, sender)
    return case


# The inbox ----------------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request):
    user = request.user
    require_role(user)
    now = timezone.now()
    received = (
        permissions.received_cases(user)
        .select_related("request__sender", "unit")
        .annotate(
            waiting=models.Case(
                models.When(status__in=OPEN_CASES, then=0),
                default=1,
                output_field=models.IntegerField(),
            )
        )
        .order_by("waiting", F("deadline").asc(nulls_last=True), "pk")
    )
    received_page = Paginator(received, PAGE_SIZE).get_page(request.GET.get("page"))
    for case in received_page:
        with_clock(case, case.request.sender, now)
    sent = (
        permissions.visible_requests(user)
        .filter(sender__in=permissions.units_of(user))
        .select_related("sender")
        .prefetch_related(Prefetch("cases", queryset=Case.objects.select_related("unit")))
        .order_by(F("sent_at").desc(nulls_first=True), "-pk")
    )
    sent_page = Paginator(sent, PAGE_SIZE).get_page(request.GET.get("sent"))
    for row in sent_page:
        for case in row.cases.all():
            with_clock(case, row.sender, now)
    return render(
        request,
        "exchange/inbox.html",
        {"received": received_page, "sent": sent_page, "can_draft": True},
    )


# A new request ------------------------------------------------------------------------------


def _refusals(error) -> list[str]:
    return error.messages if isinstance(error, ValidationError) else [str(error)]


def _entities_named(form, people, others, need_person=True) -> list[dict] | None:
    """The entities the rows name when the form and every row are valid, else None (the
    forms then carry their errors)."""
    if not all([form.is_valid(), *(f.is_valid() for f in (*people, *others))]):
        return None
    entities = [e for e in (f.entity() for f in (*people, *others)) if e]
    if need_person and not any(e["kind"] == EntityKind.PERSON for e in entities):
        people[0].add_error("names", _("Name at least one person the request is about."))
        return None
    return entities


def _saved(user, form, make) -> Request | None:
    """The draft ``make()`` saves and the form's attachment with its request, both or neither.
    A refusal of either goes on the form (a file's on its field) and nothing is saved."""
    upload, field = form.cleaned_data.get("attachment"), None
    try:
        with transaction.atomic():
            draft = make()
            if upload:
                field = "attachment"
                services.attach(user, draft.messages.get(kind=MessageKind.REQUEST), upload)
    except (ValidationError, PermissionDenied) as error:
        for text in _refusals(error):
            form.add_error(field, text)
        return None
    return draft


@login_required
def new_request(request):
    user = request.user
    require_role(user)
    data = request.POST if request.method == "POST" else None
    form = forms.RequestForm(data, request.FILES or None, user=user)
    people, others = forms.entity_forms(data)
    if data is not None and (entities := _entities_named(form, people, others)) is not None:
        draft = _saved(
            user,
            form,
            lambda: services.draft(
                user,
                form.cleaned_data["sender"],
                form.values(),
                form.cleaned_data["recipients"],
                entities,
            ),
        )
        if draft is not None:
            messages.success(request, _("The draft is saved. Check it, then send it."))
            return redirect(draft.get_absolute_url())
    return render(
        request,
        "exchange/request_form.html",
        {"form": form, "people": people, "others": others},
    )


@login_required
def pass_on(request, pk):
    """A new request carrying on a message one reads; ``services.forward`` refuses an H2 or
    H3 message for a unit its sender has not permitted."""
    user = request.user
    message = get_object_or_404(Message.objects.select_related("from_unit"), pk=pk)
    found = openable(request, message.request_id)
    readable = permissions.visible_messages(user, found).filter(pk=message.pk)
    if message.kind == MessageKind.PERMISSION or not readable.exists():
        raise Http404
    data = request.POST if request.method == "POST" else None
    initial = {
        **{name: getattr(found, name) for name in services.REQUEST_FIELDS},
        **{name: getattr(message, name) for name in services.CODE_FIELDS},
        "narrative": message.body,
    }
    form = forms.RequestForm(data, request.FILES or None, user=user, initial=initial)
    people, others = forms.entity_forms(data)
    if data is None:
        readlog.record(
            user, found, ReadWhat.REQUEST, f"pass on {message.pk}", acting_unit(user, found)
        )
    elif (entities := _entities_named(form, people, others, need_person=False)) is not None:
        draft = _saved(
            user,
            form,
            lambda: services.forward(
                user,
                message,
                form.cleaned_data["sender"],
                form.cleaned_data["recipients"],
                form.values(),
                entities,
            ),
        )
        if draft is not None:
            messages.success(request, _("The draft is saved. Check it, then send it."))
            return redirect(draft.get_absolute_url())
    return render(
        request,
        "exchange/pass_on.html",
        {
            "form": form,
            "people": people,
            "others": others,
            "found": found,
            "message": message,
            "receivers": permissions.pass_on_to(message),
        },
    )


# A request's page ---------------------------------------------------------------------------


def _entities(found: Request):
    rows = []
    for entity in found.entities.all():
        details = services.entity_details(entity)
        shown = []
        for key, value in details.items():
            text = ", ".join(value) if isinstance(value, list) else str(value)
            shown.append((DETAIL_LABELS.get(key, key), text))
        rows.append({"kind": entity.get_kind_display(), "details": shown})
    return rows


@login_required
@require_GET
def request_detail(request, pk):
    user = request.user
    found = openable(request, pk)
    readlog.record(user, found, ReadWhat.REQUEST, unit=acting_unit(user, found))
    now = timezone.now()
    cases = list(
        permissions.visible_cases(user, found)
        .select_related("unit__organisation")
        .prefetch_related("assigned")
    )
    for case in cases:
        with_clock(case, found.sender, now)
        case.may_assign = permissions.can_assign(user, case)[0]
        case.may_restrict = permissions.can_restrict_case(user, case)[0]
        case.may_answer = permissions.can_answer(user, case)[0]
        case.may_follow_up = (
            not permissions.can_act_for_sender(user, found)
            and permissions.can_follow_up(user, found, case)[0]
        )
        if case.may_assign:
            case.assign_form = forms.AssignForm(case=case, prefix=f"assign-{case.pk}")
        if case.may_answer:
            case.reply_form = forms.ReplyForm(prefix=f"reply-{case.pk}")
            case.refuse_form = forms.RefuseForm(prefix=f"refuse-{case.pk}")
        if case.may_follow_up:
            case.follow_form = forms.FollowUpForm(prefix=f"follow-{case.pk}")
    thread = list(
        permissions.visible_messages(user, found)
        .select_related("from_unit", "author", "permitted_unit", "case__unit")
        .prefetch_related("attachments")
    )
    mine = set(permissions.units_of(user).values_list("pk", flat=True))
    for message in thread:
        message.may_grant = permissions.can_grant_forwarding(user, message)[0]
        if message.may_grant:
            message.grant_form = forms.GrantForm(message=message, prefix=f"grant-{message.pk}")
        # What another unit sent may be carried on in a new request (services.forward).
        message.may_pass_on = (
            message.from_unit_id not in mine
            and message.kind != MessageKind.PERMISSION
            and found.content_erased_at is None
        )
    sender_side = permissions.can_act_for_sender(user, found)
    origin = (
        Request.objects.select_related("sender").filter(messages=found.forwarded_from_id).first()
        if found.forwarded_from_id
        else None
    )
    context = {
        "found": found,
        "sent_text": local_text(found.sent_at, found.sender) if found.sent_at else "–",
        "request_message": next((m for m in thread if m.kind == "request"), None),
        "thread": thread,
        "cases": cases,
        "entities": _entities(found),
        "sender_side": sender_side,
        "may_send": permissions.can_edit_draft(user, found)[0],
        "may_close": permissions.can_close(user, found)[0],
        "may_withdraw": permissions.can_withdraw(user, found)[0],
        "may_restrict": permissions.can_restrict_request(user, found)[0],
        "may_follow_up": sender_side and permissions.can_follow_up(user, found)[0],
        "follow_up_form": forms.FollowUpForm(prefix="follow"),
        "is_draft": found.status == RequestStatus.DRAFT,
        "origin": origin,
        "origin_open": origin is not None and permissions.can_open(user, origin)[0],
    }
    return render(request, "exchange/request_detail.html", context)


@login_required
@require_GET
def attachment(request, pk):
    """An attachment, decrypted, for who reads its message; each download is logged."""
    user = request.user
    item = get_object_or_404(Attachment.objects.select_related("message__request"), pk=pk)
    found = item.message.request
    readable = permissions.visible_messages(user, found).filter(pk=item.message_id)
    if not permissions.can_open(user, found)[0] or not readable.exists():
        raise Http404
    readlog.record(user, found, ReadWhat.ATTACHMENT, str(item.pk), acting_unit(user, found))
    response = HttpResponse(
        services.attachment_content(item), content_type=uploads.content_type(item.name)
    )
    response["Content-Disposition"] = content_disposition_header(True, item.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
