"""The buttons of a request's page. Each posts here, calls one service, and goes back to the
page with what the service said: a refusal is an error message, never a half-done change.
Whoever may not open the request gets a 404, as for the page itself."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import forms, permissions, services
from ..models import Case, Message
from . import attempt, openable


def _back(found, anchor=""):
    return redirect(found.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def _case(request, pk) -> Case:
    case = get_object_or_404(Case.objects.select_related("unit"), pk=pk)
    found = openable(request, case.request_id)
    if not permissions.visible_cases(request.user, found).filter(pk=case.pk).exists():
        raise Http404
    case.request = found
    return case


def _invalid(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


# The request ---------------------------------------------------------------------------------


@login_required
@require_POST
def send(request, pk):
    found = openable(request, pk)
    attempt(
        request,
        services.send,
        request.user,
        found,
        done=_("The request is sent; each receiving unit's clock has started."),
    )
    return _back(found)


@login_required
@require_POST
def close(request, pk):
    found = openable(request, pk)
    attempt(request, services.close, request.user, found, done=_("The request is closed."))
    return _back(found)


@login_required
@require_POST
def withdraw(request, pk):
    found = openable(request, pk)
    attempt(request, services.withdraw, request.user, found, done=_("The request is withdrawn."))
    return _back(found)


@login_required
@require_POST
def restrict_request(request, pk):
    found = openable(request, pk)
    restricted = request.POST.get("restricted") == "1"
    done = (
        _("The request is now restricted to its author and the supervisors.")
        if restricted
        else _("The request is open to the whole unit again.")
    )
    attempt(request, services.restrict_request, request.user, found, restricted, done=done)
    return _back(found)


def _follow_up(user, found, form, case):
    """The follow-up and its attachment, both or neither."""
    with transaction.atomic():
        message = services.follow_up(user, found, form.cleaned_data["body"], form.codes(), case)
        upload = form.cleaned_data.get("attachment")
        if upload:
            services.attach(user, message, upload)
    return message


@login_required
@require_POST
def follow_up(request, pk):
    """The sending unit writes to every receiving unit."""
    found = openable(request, pk)
    form = forms.FollowUpForm(request.POST, request.FILES, prefix="follow")
    if not form.is_valid():
        _invalid(request, form)
        return _back(found, "follow-up")
    attempt(request, _follow_up, request.user, found, form, None, done=_("The message is sent."))
    return _back(found, "thread")


# A receiving unit's case ---------------------------------------------------------------------


@login_required
@require_POST
def assign(request, pk):
    case = _case(request, pk)
    form = forms.AssignForm(request.POST, case=case, prefix=f"assign-{case.pk}")
    if not form.is_valid():
        _invalid(request, form)
        return _back(case.request, f"case-{case.pk}")
    attempt(
        request,
        services.assign,
        request.user,
        case,
        form.cleaned_data["officers"],
        done=_("The request is assigned."),
    )
    return _back(case.request, f"case-{case.pk}")


@login_required
@require_POST
def restrict_case(request, pk):
    case = _case(request, pk)
    restricted = request.POST.get("restricted") == "1"
    done = (
        _("The case is now restricted to the officers assigned and the supervisors.")
        if restricted
        else _("The case is open to the whole unit again.")
    )
    attempt(request, services.restrict_case, request.user, case, restricted, done=done)
    return _back(case.request, f"case-{case.pk}")


def _reply(user, case, data, upload):
    """The reply and its attachment, both or neither."""
    with transaction.atomic():
        message = services.reply(user, case, data["body"], data)
        if upload:
            services.attach(user, message, upload)
    return message


@login_required
@require_POST
def reply(request, pk):
    case = _case(request, pk)
    form = forms.ReplyForm(request.POST, request.FILES, prefix=f"reply-{case.pk}")
    if not form.is_valid():
        _invalid(request, form)
        return _back(case.request, f"case-{case.pk}")
    data = {**form.codes(), "body": form.cleaned_data["body"]}
    upload = form.cleaned_data.get("attachment")
    attempt(request, _reply, request.user, case, data, upload, done=_("Your reply is sent."))
    return _back(case.request, "thread")


@login_required
@require_POST
def refuse(request, pk):
    case = _case(request, pk)
    form = forms.RefuseForm(request.POST, prefix=f"refuse-{case.pk}")
    if not form.is_valid():
        _invalid(request, form)
        return _back(case.request, f"case-{case.pk}")
    attempt(
        request,
        services.refuse,
        request.user,
        case,
        form.cleaned_data["ground"],
        form.cleaned_data["reason"],
        done=_("The refusal is sent with its ground."),
    )
    return _back(case.request, "thread")


@login_required
@require_POST
def case_follow_up(request, pk):
    """A receiving unit writes to the sender in its own thread."""
    case = _case(request, pk)
    form = forms.FollowUpForm(request.POST, request.FILES, prefix=f"follow-{case.pk}")
    if not form.is_valid():
        _invalid(request, form)
        return _back(case.request, f"case-{case.pk}")
    attempt(
        request, _follow_up, request.user, case.request, form, case, done=_("The message is sent.")
    )
    return _back(case.request, "thread")


# A message ------------------------------------------------------------------------------------


@login_required
@require_POST
def grant_forwarding(request, pk):
    message = get_object_or_404(Message.objects.select_related("from_unit"), pk=pk)
    found = openable(request, message.request_id)
    if not permissions.visible_messages(request.user, found).filter(pk=message.pk).exists():
        raise Http404
    form = forms.GrantForm(request.POST, message=message, prefix=f"grant-{message.pk}")
    if not form.is_valid():
        _invalid(request, form)
        return _back(found, f"message-{message.pk}")
    unit = form.cleaned_data["unit"]
    attempt(
        request,
        services.grant_forwarding,
        request.user,
        message,
        unit,
        form.cleaned_data["note"],
        done=_("%(unit)s may now receive this message.") % {"unit": unit.code},
    )
    return _back(found, "thread")
