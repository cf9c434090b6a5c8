"""Pages of the training centre: completion, certificates and their public verification.

The verification pages are public and say only what a certificate is for: the holder's name,
the course, the dates and whether it is valid, expired or revoked (with the date, never the
reason). Anything else about the certificate is for its holder and the centre; to anyone else
a certificate page does not exist (404).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from .. import certificate_pdf, completion, permissions
from ..models import Certificate, Course, Enrolment, EnrolmentStatus
from ..services import TrainingError
from ..services import certificates as services
from ..throttle import verification_throttled

TRAINEES_PER_PAGE = 100
# Lookups one address may make in a window; codes are far too many to guess, this only keeps
# scripted scans from loading the database.


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Certificate code"),
        max_length=40,
        help_text=gettext_lazy("As printed on the certificate, e.g. K7QM-2XVD-9HTA."),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for revocation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=gettext_lazy("Kept by the centre; the public page shows only the date."),
    )


# Completion of a course ----------------------------------------------------------------------


def _managed_course(request, pk) -> Course:
    """The course, if the user may see it (else 404) and runs it (else 403)."""
    course = get_object_or_404(
        Course.objects.visible_to(request.user).select_related("centre"), pk=pk
    )
    allowed, why = permissions.can_manage_course(request.user, course)
    if not allowed:
        raise PermissionDenied(why)
    return course


@login_required
def course_completion(request, pk):
    """Each approved trainee against the completion rule, for the centre before it closes the
    course; the same rule the trainee sees on the course page."""
    course = _managed_course(request, pk)
    enrolments = (
        course.enrolments.filter(status=EnrolmentStatus.APPROVED)
        .select_related("person", "organisation", "certificate")
        .order_by("person__name", "pk")
    )
    page = Paginator(enrolments, TRAINEES_PER_PAGE).get_page(request.GET.get("page"))
    results = completion.evaluate_enrolments(
        course, course.enrolments.filter(pk__in=[e.pk for e in page])
    )
    rows = [(enrolment, results[enrolment.pk]) for enrolment in page]
    return render(
        request,
        "training/certificates/course_completion.html",
        {
            "course": course,
            "page": page,
            "rows": rows,
            "can_close": course.status in services.CLOSABLE,
        },
    )


@require_POST
@login_required
def close_course(request, pk):
    course = _managed_course(request, pk)
    try:
        closing = services.close_course(request.user, course)
    except TrainingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext(
                "Course closed: %(completed)d completed, %(not_completed)d did not; "
                "%(issued)d certificate issued.",
                "Course closed: %(completed)d completed, %(not_completed)d did not; "
                "%(issued)d certificates issued.",
                len(closing.issued),
            )
            % {
                "completed": len(closing.completed),
                "not_completed": len(closing.not_completed),
                "issued": len(closing.issued),
            },
        )
    return redirect("training:course_completion", course.pk)


@require_POST
@login_required
def issue_certificate(request, pk):
    enrolment = get_object_or_404(Enrolment.objects.select_related("course__centre"), pk=pk)
    _managed_course(request, enrolment.course_id)
    try:
        certificate = services.issue_certificate(request.user, enrolment)
    except TrainingError as error:
        messages.error(request, str(error))
        return redirect("training:course_completion", enrolment.course_id)
    messages.success(request, _("Certificate %(code)s issued.") % {"code": certificate.code})
    return redirect(certificate)


@require_POST
@login_required
def claim_certificate(request, pk):
    """A trainee of a self-paced online course takes their own certificate."""
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("course", "person"), pk=pk, person__user=request.user
    )
    try:
        certificate = services.claim_certificate(request.user, enrolment)
    except TrainingError as error:
        messages.error(request, str(error))
        return redirect("training:trainee", enrolment.person_id)
    messages.success(request, _("Your certificate is ready."))
    return redirect(certificate)


# One certificate, for its holder and the centre ----------------------------------------------


def _certificate_for(request, pk) -> Certificate:
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrolment__person", "enrolment__course__centre"),
        pk=pk,
    )
    if not permissions.can_see_certificate(request.user, certificate)[0]:
        raise Http404
    return certificate


def certificate_detail(request, pk, form=None):
    certificate = _certificate_for(request, pk)
    can_revoke = permissions.can_manage_course(request.user, certificate.enrolment.course)[0]
    return render(
        request,
        "training/certificates/certificate_detail.html",
        {
            "certificate": certificate,
            "status": services.certificate_status(certificate),
            "can_revoke": can_revoke and certificate.revoked_at is None,
            "form": form or RevokeForm(),
        },
        status=400 if form is not None else 200,
    )


def certificate_pdf_view(request, pk):
    certificate = _certificate_for(request, pk)
    response = HttpResponse(certificate_pdf.build(certificate), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.code}.pdf"'
    return response


@require_POST
@login_required
def revoke_certificate(request, pk):
    certificate = _certificate_for(request, pk)
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.revoke_certificate(request.user, certificate, form.cleaned_data["reason"])
        except TrainingError as error:
            messages.error(request, _("Nothing was saved: %(reason)s") % {"reason": error})
        else:
            messages.success(request, _("The certificate is revoked."))
        return redirect(certificate)
    return certificate_detail(request, pk, form=form)


# Public verification -------------------------------------------------------------------------


def _verify_page(request, *, certificate=None, code="", form=None, status=200):
    context = {
        "certificate": certificate,
        "code": code,
        "form": form or VerifyForm(initial={"code": code} if code else None),
        "throttled": status == 429,
    }
    if certificate is not None:
        context["status"] = services.certificate_status(certificate)
    return render(request, "training/certificates/verify.html", context, status=status)


def _lookup(request, typed: str):
    """The certificate with the typed code, or the page to show instead."""
    if verification_throttled(request):
        return None, _verify_page(request, code=typed, status=429)
    certificate = services.find_certificate(typed)
    if certificate is None:
        return None, _verify_page(request, code=typed, status=404)
    return certificate, None


def verify_form(request):
    """The form where anyone types a code; a known code goes to its verification page."""
    if "code" not in request.GET:
        return _verify_page(request)
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return _verify_page(request, form=form, status=400)
    certificate, refusal = _lookup(request, form.cleaned_data["code"])
    if refusal is not None:
        return refusal
    return redirect("training:verify", certificate.code)


def verify(request, code):
    certificate, refusal = _lookup(request, code)
    if refusal is not None:
        return refusal
    if certificate.code != code:
        return redirect("training:verify", certificate.code)
    return _verify_page(request, certificate=certificate, code=certificate.code)
