"""Inviting people, the list of invitations, and the page a link opens."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.directory.models import Person
from liaison.directory.permissions import can_see_contact_details
from liaison.directory.readlog import ReadKind, record_reads

from . import services
from .models import Invitation
from .permissions import can_manage_invitation, organisations_managed


@login_required
def invitation_list(request):
    """The invitations of the institutions the user manages (every one, for the secretariat)."""
    managed = organisations_managed(request.user)
    if managed is not None and not managed:
        raise PermissionDenied(_("You do not manage invitations for any institution."))
    invitations = Invitation.objects.select_related("person", "organisation", "invited_by")
    if managed is not None:
        invitations = invitations.filter(person__organisation__in=managed)
    invitations = list(invitations[:300])
    # A focal point manages its institution's invitations without reading its people's
    # contact details: the address is shown to those who may read it (and that is logged).
    readable = set(
        Person.objects.visible_to(request.user)
        .filter(pk__in=[i.person_id for i in invitations])
        .values_list("pk", flat=True)
    )
    for invitation in invitations:
        invitation.shown_email = invitation.email if invitation.person_id in readable else ""
    record_reads(
        request.user,
        [i.person for i in invitations if i.person_id in readable],
        ReadKind.CONTACT,
        path=request.get_full_path(),
    )
    return render(request, "invitations/invitation_list.html", {"invitations": invitations})


@login_required
@require_POST
def invite_person(request, person_pk):
    person = get_object_or_404(Person, pk=person_pk)
    pending = person.invitations.pending().first()
    if pending is not None and can_manage_invitation(request.user, pending)[0]:
        # A page opened before the invitation went out: say so rather than send another.
        messages.info(
            request,
            _("An invitation to %(name)s is already pending: resend or withdraw it instead.")
            % {"name": person},
        )
        return redirect(_back(request, person.get_absolute_url()))
    try:
        services.invite(request.user, person, reason=request.POST.get("reason", ""))
    except PermissionDenied as refused:
        messages.error(request, str(refused))
    else:
        if can_see_contact_details(request.user, person)[0]:
            done = _("%(name)s is invited at %(email)s.") % {"name": person, "email": person.email}
        else:
            done = _("%(name)s is invited at the address Liaison holds.") % {"name": person}
        messages.success(request, done)
    return redirect(_back(request, person.get_absolute_url()))


@login_required
@require_POST
def resend(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    _act(request, services.resend, invitation, _("A new link is on its way."))
    return redirect(_back(request, "invitations:list"))


@login_required
@require_POST
def withdraw(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    _act(request, services.withdraw, invitation, _("The invitation is withdrawn."))
    return redirect(_back(request, "invitations:list"))


def _act(request, action, invitation, done):
    try:
        action(request.user, invitation)
    except PermissionDenied:
        raise
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)


def accept(request, token):
    """The page an invitation link opens: choose a password (or attach the signed-in account)."""
    try:
        invitation = services.find(token)
    except services.InvitationInvalid as invalid:
        return render(request, "invitations/invalid.html", {"why": str(invalid)}, status=410)
    signed_in = request.user.is_authenticated
    errors = []
    if request.method == "POST":
        password = request.POST.get("password", "")
        if not signed_in and password != request.POST.get("password2", ""):
            errors.append(_("The two passwords differ."))
        else:
            try:
                user, invitation = services.accept(
                    token, password=password, user=request.user if signed_in else None
                )
            except services.InvitationInvalid as invalid:
                return render(
                    request, "invitations/invalid.html", {"why": str(invalid)}, status=410
                )
            except ValidationError as error:
                errors += error.messages
            else:
                if not signed_in:
                    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Welcome, %(name)s. Your username is %(username)s.")
                    % {"name": invitation.person.name, "username": user.get_username()},
                )
                return redirect(_safe(request, invitation.next_url) or "web:me")
    return render(
        request,
        "invitations/accept.html",
        {
            "invitation": invitation,
            "errors": errors,
            "signed_in": signed_in,
            "username": services.username_for(invitation.email),
        },
    )


def _safe(request, url):
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}):
        return url
    return ""


def _back(request, default):
    return _safe(request, request.POST.get("next", "")) or default
