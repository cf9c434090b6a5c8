"""The consortium's pages: start an application, write it, build the consortium and its
budget, submit it and download the receipt; the staff's list of applications.

Every page finds the application through ``Application.objects.visible_to`` (so another
consortium gets a 404, never a hint) and every change goes through a service that checks
``permissions`` again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core.concurrency import Conflict
from liaison.core.permissions import require
from liaison.directory.models import Organisation
from liaison.directory.scopes import organisations_of

from .. import answers, permissions, services
from ..forms import (
    ActivityFormSet,
    BudgetLineFormSet,
    DetailsForm,
    PartnerForm,
    PartnerMoneyForm,
    StartForm,
)
from ..models import Application, ApplicationStatus, Call, Partner
from ..receipt import receipt_pdf
from ..rules import review
from . import attempt, decisions, eligibility, evaluation

PER_PAGE = 50


def _application(request, pk) -> Application:
    return get_object_or_404(Application.objects.visible_to(request.user).for_list(), pk=pk)


def _partner(request, pk) -> Partner:
    visible = Application.objects.visible_to(request.user)
    return get_object_or_404(
        Partner.objects.select_related("application__call", "organisation", "contact"),
        pk=pk,
        application__in=visible,
    )


def own_organisations(user):
    """The organisations a person may apply for: those they belong to."""
    person = getattr(user, "person", None)
    mine = Q(pk__in=organisations_of(user))
    if person is not None and person.organisation_id:
        mine |= Q(pk=person.organisation_id)
    return Organisation.objects.filter(mine).order_by("name")


@login_required
def start(request, reference):
    call = get_object_or_404(Call.objects.visible_to(request.user), reference=reference)
    require(permissions.can_apply(request.user, call))
    # One's own organisations first; someone Liaison knows in none of them (a new applicant)
    # picks any organisation of the directory, and the eligibility check then asks for the
    # lead's signed declaration, as calls do.
    organisations = own_organisations(request.user)
    own = organisations.exists()
    if not own:
        organisations = Organisation.objects.visible_to(request.user).order_by("name")
    form = StartForm(
        request.POST if request.method == "POST" else None,
        call=call,
        organisations=organisations,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.start_application(
                request.user,
                call,
                form.cleaned_data["lot"],
                form.cleaned_data["lead"],
                form.cleaned_data["title"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("lead", message)
        else:
            messages.success(
                request,
                _("Application %(reference)s started; it is saved as a draft as you go.")
                % {"reference": application.reference},
            )
            return redirect(application)
    return render(
        request,
        "grants/start.html",
        {"call": call, "form": form, "own_organisations": own},
    )


@login_required
def application_list(request):
    applications = Application.objects.visible_to(request.user).for_list()
    status = request.GET.get("status", "")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    call = request.GET.get("call", "")
    if call:
        applications = applications.filter(call__reference=call)
    page = Paginator(applications.order_by("call", "number"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "grants/application_list.html",
        {
            "page": page,
            "statuses": ApplicationStatus.choices,
            "status": status,
            "calls": Call.objects.visible_to(request.user).order_by("-closes_at"),
            "call": call,
            "staff": request.user.is_liaison_staff,
        },
    )


@login_required
def application_detail(request, pk):
    application = _application(request, pk)
    budget, problems = review(application)
    user = request.user
    partners = [
        {
            "budget": pb,
            "can_edit": permissions.can_edit_partner(user, pb.partner)[0],
        }
        for pb in budget.partners
    ]
    return render(
        request,
        "grants/application_detail.html",
        {
            "application": application,
            "call": application.call,
            "budget": budget,
            "partners": partners,
            "problems": problems,
            "can_edit": permissions.can_edit_application(user, application)[0],
            "can_edit_consortium": permissions.can_edit_consortium(user, application)[0],
            "can_edit_work_plan": permissions.can_edit_work_plan(user, application)[0],
            "work_plan": work_plan_rows(application),
            "call_form": answers.form_of(application),
            "can_edit_answers": permissions.can_edit_answers(user, application)[0],
            "can_submit": permissions.can_submit(user, application)[0],
            "open": application.call.accepts_submissions(),
            "deadline": application.call.local(application.call.closes_at),
            "submitted_at": application.submitted_at
            and application.call.local(application.submitted_at),
            "can_withdraw": permissions.is_applicant(user, application)
            and application.status in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED),
            # Each later step shows its own panel (empty when the reader has nothing there).
            "can_read_receipt": permissions.can_read_receipt(user, application)[0],
            "eligibility": eligibility.panel(request, application),
            "evaluation": evaluation.panel(request, application),
            "decision": decisions.panel(request, application),
        },
    )


@login_required
def application_edit(request, pk):
    application = _application(request, pk)
    require(permissions.can_edit_application(request.user, application))
    form = DetailsForm(request.POST or None, instance=application)
    reopened = None
    if not application.is_editable:
        # An open clarification: only the fields it reopens are shown, and changed.
        reopened = permissions.reopened(application)
        for name in form.Meta.fields:
            if name not in reopened:
                del form.fields[name]
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}
        try:
            with form.unchanged():
                services.update_application(request.user, application, values)
        except Conflict:
            pass  # the form shows the other person's changes
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(application)
    return render(
        request,
        "grants/application_form.html",
        {"application": application, "form": form, "clarification": reopened is not None},
    )


@login_required
def partner_add(request, pk):
    application = _application(request, pk)
    require(permissions.can_edit_consortium(request.user, application))
    form = PartnerForm(
        request.POST or None,
        organisations=Organisation.objects.visible_to(request.user).select_related("country"),
        initial={"currency": application.call.currency},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_partner(
                request.user,
                application,
                data["organisation"],
                currency=data["currency"],
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                _("%(organisation)s joined the consortium.")
                % {"organisation": data["organisation"].name},
            )
            return redirect(application)
    return render(request, "grants/partner_form.html", {"application": application, "form": form})


@login_required
@require_POST
def partner_remove(request, pk):
    partner = _partner(request, pk)
    attempt(
        request,
        services.remove_partner,
        request.user,
        partner,
        done=_("%(organisation)s left the consortium.") % {"organisation": partner.organisation},
    )
    return redirect(partner.application)


@login_required
def partner_budget(request, pk):
    partner = _partner(request, pk)
    application = partner.application
    require(permissions.can_edit_partner(request.user, partner))
    posted = request.POST if request.method == "POST" else None
    money = PartnerMoneyForm(posted, instance=partner, prefix="money")
    initial = [
        {"year": x.year, "category": x.category, "description": x.description, "amount": x.amount}
        for x in partner.lines.all()
    ]
    lines = BudgetLineFormSet(posted, initial=initial, prefix="lines")
    if posted is not None and money.is_valid() and lines.is_valid():
        kept = [
            {
                name: form.cleaned_data[name]
                for name in ("year", "category", "description", "amount")
            }
            for form in lines.forms
            # An untouched empty row has no cleaned data; a row marked for removal is dropped.
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            services.update_partner(
                request.user,
                partner,
                {
                    "currency": money.cleaned_data["currency"],
                    "co_financing": money.cleaned_data["co_financing"],
                },
            )
            services.set_budget_lines(request.user, partner, kept)
        except ValidationError as error:
            money.add_error(None, error)
        else:
            messages.success(
                request,
                _("The budget of %(organisation)s is saved.")
                % {"organisation": partner.organisation},
            )
            return redirect(application)
    return render(
        request,
        "grants/partner_budget.html",
        {"application": application, "partner": partner, "money": money, "lines": lines},
    )


def work_plan_rows(application: Application) -> dict:
    """The activities with, for each, one flag a month (on while it runs) across the project's
    months, or as far as the latest activity runs: the page draws the bar from them."""
    activities = list(application.activities.select_related("partner__organisation"))
    span = max([application.duration_months or 0, *(a.end_month for a in activities)])
    return {
        "months": list(range(1, span + 1)),
        "rows": [
            {
                "activity": activity,
                "bar": [
                    activity.start_month <= m <= activity.end_month for m in range(1, span + 1)
                ],
                "late": bool(
                    application.duration_months and activity.end_month > application.duration_months
                ),
            }
            for activity in activities
        ],
    }


WORK_PLAN_FIELDS = ("number", "title", "description", "partner", "start_month", "end_month")


@login_required
def work_plan(request, pk):
    """The applicant writes the work plan: one row an activity, led by a partner, from one
    month of the project to another."""
    application = _application(request, pk)
    require(permissions.can_edit_work_plan(request.user, application))
    partners = application.partners.select_related("organisation")
    posted = request.POST if request.method == "POST" else None
    initial = [
        {
            "number": a.number,
            "title": a.title,
            "description": a.description,
            "partner": a.partner_id,
            "start_month": a.start_month,
            "end_month": a.end_month,
        }
        for a in application.activities.all()
    ]
    rows = ActivityFormSet(
        posted,
        initial=initial,
        prefix="activities",
        form_kwargs={"partners": partners, "months": application.duration_months},
    )
    errors = []
    if posted is not None and rows.is_valid():
        kept = [
            {name: form.cleaned_data[name] for name in WORK_PLAN_FIELDS}
            for form in rows.forms
            # An untouched empty row has no cleaned data; a row marked for removal is dropped.
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            services.set_work_plan(request.user, application, kept)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The work plan is saved."))
            return redirect(application)
    return render(
        request,
        "grants/work_plan.html",
        {"application": application, "rows": rows, "errors": errors},
    )


@login_required
@require_POST
def application_submit(request, pk):
    application = _application(request, pk)
    attempt(
        request,
        services.submit,
        request.user,
        application,
        done=_("Application %(reference)s is submitted; the receipt is on its way by e-mail.")
        % {"reference": application.reference},
    )
    return redirect(application)


@login_required
@require_POST
def application_withdraw(request, pk):
    application = _application(request, pk)
    attempt(
        request,
        services.withdraw,
        request.user,
        application,
        done=_("The application is withdrawn."),
    )
    return redirect(application)


@login_required
def receipt(request, pk):
    application = _application(request, pk)
    if not application.submitted_at:
        raise Http404(_("This application has not been submitted."))
    require(permissions.can_read_receipt(request.user, application))
    response = HttpResponse(receipt_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"{application.reference}-receipt.pdf"
    )
    return response
