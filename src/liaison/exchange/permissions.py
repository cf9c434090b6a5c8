"""Need to know: who may open, answer and handle a cooperation request. Views, the API and the
services ask these, never roles.

Only people holding the exchange role in the sending unit or in a receiving unit open a
request, and in a receiving unit they read only their own unit's thread (the request and what
passed between the two units), never what another receiving unit answered. A supervisor may
restrict a request (sending side) or a case (receiving side) to its author or the officers
assigned. Nobody else reads content: not the network's secretariat, not Liaison's staff, not
a superuser; they see counts and timings (``can_see_statistics``).
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from liaison.directory.scopes import network_secretariats, signed_in

from .models import (
    OPEN_CASES,
    Case,
    CaseStatus,
    HandlingCode,
    Message,
    ReadEntry,
    Request,
    RequestStatus,
    Unit,
    UnitRole,
    UnitRoleKind,
)


def units_of(user, *roles):
    """The units in which ``user`` holds a current exchange role (of ``roles`` when given)."""
    if not signed_in(user):
        return Unit.objects.none()
    held = UnitRole.objects.of_user(user)
    if roles:
        held = held.filter(role__in=roles)
    return Unit.objects.filter(pk__in=held.values("unit"))


def supervised_units(user):
    return units_of(user, UnitRoleKind.SUPERVISOR)


def holds_exchange_role(user) -> bool:
    """Whether ``user`` holds any exchange role: a second factor is then required and the
    session ends after a short idle time (see settings)."""
    return UnitRole.objects.of_user(user).exists()


def _sender_side(user) -> Q:
    units = units_of(user)
    return Q(sender__in=units) & (
        Q(restricted=False) | Q(created_by=user) | Q(sender__in=supervised_units(user))
    )


def _readable_cases(user):
    """The cases of ``user``'s units whose threads they read: all of them, unless a supervisor
    restricted one to the officers assigned (supervisors read those too)."""
    assigned = Case.objects.filter(assigned=user).values("pk")
    return Case.objects.filter(unit__in=units_of(user)).filter(
        Q(restricted=False) | Q(pk__in=assigned) | Q(unit__in=supervised_units(user))
    )


def _receiver_side(user) -> Q:
    cases = _readable_cases(user)
    return Q(pk__in=cases.values("request")) & ~Q(status=RequestStatus.DRAFT)


def visible_requests(user):
    """The requests ``user`` may open (a queryset usable as a subquery)."""
    if not signed_in(user):
        return Request.objects.none()
    return Request.objects.filter(_sender_side(user) | _receiver_side(user))


def received_cases(user):
    """The cases of ``user``'s units whose threads they read, across requests (the inbox)."""
    if not signed_in(user):
        return Case.objects.none()
    return _readable_cases(user).exclude(request__status=RequestStatus.DRAFT)


def visible_cases(user, request: Request):
    """The cases of ``request`` whose threads ``user`` reads: all of them on the sending side,
    their own unit's on the receiving side."""
    if can_act_for_sender(user, request):
        return request.cases.all()
    return _readable_cases(user).filter(request=request)


def visible_messages(user, request: Request):
    """The messages ``user`` reads in ``request``: the request's own ones and those of the
    threads of ``visible_cases``."""
    if can_act_for_sender(user, request):
        return request.messages.all()
    return request.messages.filter(Q(case__isnull=True) | Q(case__in=visible_cases(user, request)))


def can_open(user, request: Request) -> tuple[bool, str]:
    if visible_requests(user).filter(pk=request.pk).exists():
        return True, ""
    return False, _("This request is open only to the units it was exchanged between.")


def can_act_for_sender(user, request: Request) -> bool:
    return Request.objects.filter(pk=request.pk).filter(_sender_side(user)).exists()


def is_supervisor(user, unit) -> bool:
    return supervised_units(user).filter(pk=unit.pk).exists()


def can_draft(user, unit: Unit | None = None) -> tuple[bool, str]:
    units = units_of(user)
    if unit is not None:
        units = units.filter(pk=unit.pk)
    if units.exists():
        return True, ""
    return False, _("Only officers with the exchange role in a unit send requests.")


def can_edit_draft(user, request: Request) -> tuple[bool, str]:
    if request.status != RequestStatus.DRAFT:
        return False, _("The request has been sent; add a follow-up instead.")
    if not can_act_for_sender(user, request):
        return False, _("Only the sending unit changes its draft.")
    return True, ""


def can_withdraw(user, request: Request) -> tuple[bool, str]:
    if request.status not in (RequestStatus.DRAFT, RequestStatus.SENT):
        return False, _("The request is already closed.")
    if not can_act_for_sender(user, request):
        return False, _("Only the sending unit withdraws its request.")
    return True, ""


def can_close(user, request: Request) -> tuple[bool, str]:
    if request.status != RequestStatus.SENT:
        return False, _("Only a sent request is closed.")
    if not can_act_for_sender(user, request):
        return False, _("Only the sending unit closes its request.")
    return True, ""


def _case_member(user, case: Case) -> bool:
    return visible_cases(user, case.request).filter(pk=case.pk, unit__in=units_of(user)).exists()


def can_assign(user, case: Case) -> tuple[bool, str]:
    if not is_supervisor(user, case.unit):
        return False, _("Only a supervisor of the receiving unit assigns a request.")
    if case.request.status != RequestStatus.SENT:
        return False, _("The request is closed.")
    return True, ""


def can_restrict_case(user, case: Case) -> tuple[bool, str]:
    if not is_supervisor(user, case.unit):
        return False, _("Only a supervisor of the receiving unit restricts it.")
    return True, ""


def can_restrict_request(user, request: Request) -> tuple[bool, str]:
    if not is_supervisor(user, request.sender):
        return False, _("Only a supervisor of the sending unit restricts it.")
    return True, ""


def can_answer(user, case: Case) -> tuple[bool, str]:
    """Reply or refuse: an officer of the receiving unit who reads the case, while it is open
    (a unit may reply again after a first answer, until the request is closed)."""
    if case.request.status != RequestStatus.SENT:
        return False, _("The request is closed.")
    if not _case_member(user, case):
        return False, _("Only the receiving unit answers.")
    if case.status not in (*OPEN_CASES, CaseStatus.ANSWERED):
        return False, _("This case is closed.")
    return True, ""


def can_follow_up(user, request: Request, case: Case | None = None) -> tuple[bool, str]:
    if request.status != RequestStatus.SENT:
        return False, _("The request is closed.")
    if can_act_for_sender(user, request):
        return True, ""
    if case is not None and _case_member(user, case):
        return True, ""
    return False, _("Only the units of this exchange write in it.")


def can_grant_forwarding(user, message: Message) -> tuple[bool, str]:
    """Free an H2 or H3 message to be passed on to a named unit: its own unit."""
    if message.handling_code not in (HandlingCode.H2, HandlingCode.H3):
        return False, _("Only H2 and H3 messages need a permission to be passed on.")
    if not units_of(user).filter(pk=message.from_unit_id).exists():
        return False, _("Only the unit that sent the message lets it be passed on.")
    return True, ""


def may_pass_on(message: Message, to_unit: Unit) -> tuple[bool, str]:
    """Whether ``message`` may go to ``to_unit`` in a new request: H0 and H1 may; H2 and H3
    only with the sender's permission for that unit, recorded in the thread."""
    if message.handling_code in (HandlingCode.H0, HandlingCode.H1):
        return True, ""
    if message.permissions.filter(permitted_unit=to_unit).exists():
        return True, ""
    return False, _(
        "%(code)s: %(unit)s has not allowed this to be passed on to %(to)s; ask in the thread."
    ) % {"code": message.handling_code, "unit": message.from_unit.code, "to": to_unit.code}


def pass_on_to(message: Message):
    """The units ``message`` may go to in a new request, as ``may_pass_on`` decides: None for
    H0 and H1 (any unit of the network), else the units its sender permitted."""
    if message.handling_code in (HandlingCode.H0, HandlingCode.H1):
        return None
    return Unit.objects.filter(pk__in=message.permissions.values("permitted_unit")).select_related(
        "organisation"
    )


def can_see_log(user, request: Request) -> tuple[bool, str]:
    """Who read the request: the units it was exchanged between, as far as they read it."""
    return can_open(user, request)


def visible_reads(user, request: Request):
    """The entries of the read log ``user`` sees: every one on the sending side; on a
    receiving side, the reads of its own unit and of the sender, never another receiving
    unit's (which would tell who else was asked)."""
    entries = ReadEntry.objects.filter(request=request)
    if can_act_for_sender(user, request):
        return entries
    return entries.filter(Q(unit__in=units_of(user)) | Q(unit_id=request.sender_id))


def can_export_log(user, request: Request) -> tuple[bool, str]:
    """The whole chain, which verifies only whole, is the sending unit's to export."""
    if can_act_for_sender(user, request):
        return True, ""
    return False, _("The sending unit exports the whole read log.")


def can_see_statistics(user, exchange=None) -> tuple[bool, str]:
    """Counts and timings, never content: the network's secretariat, Liaison's staff and
    the units' supervisors (for their own unit)."""
    if not signed_in(user):
        return False, _("Sign in to see the statistics.")
    if user.is_liaison_staff or supervised_units(user).exists():
        return True, ""
    secretariats = network_secretariats(user)
    if exchange is not None:
        secretariats = secretariats.filter(pk=exchange.network_id)
    if secretariats.exists():
        return True, ""
    return False, _("The statistics are for the network's secretariat and the supervisors.")
