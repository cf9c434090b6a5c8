"""The exchange's pages: the inbox, a new request and a request's page (requests.py), the
actions on a request (actions.py), search (search.py) and the read log (log.py).

A request one may not open is a 404, never a 403: a guessed number says nothing, not even
that the request exists. Every rule is asked of ``permissions`` and ``services``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from liaison.core.permissions import require

from .. import permissions
from ..models import Request


def require_role(user):
    """The exchange's pages are for the people holding an exchange role."""
    require(
        (
            permissions.holds_exchange_role(user),
            permissions.can_draft(user)[1],
        )
    )


def openable(request, pk) -> Request:
    """The request ``pk`` if the visitor may open it, else a 404 that names nothing."""
    found = get_object_or_404(Request.objects.select_related("sender__organisation"), pk=pk)
    if not permissions.can_open(request.user, found)[0]:
        raise Http404
    return found


def acting_unit(user, found: Request):
    """The unit ``user`` reads ``found`` for: the sender, or their own receiving unit."""
    mine = permissions.units_of(user)
    if mine.filter(pk=found.sender_id).exists():
        return found.sender
    return mine.filter(cases__request=found).first()


def attempt(request, action, *args, done: str = "") -> bool:
    """Run the service ``action(*args)``; each refusal becomes an error message."""
    try:
        action(*args)
    except (ValidationError, PermissionDenied) as error:
        texts = error.messages if isinstance(error, ValidationError) else [str(error)]
        for text in texts:
            messages.error(request, text)
        return False
    if done:
        messages.success(request, done)
    return True
