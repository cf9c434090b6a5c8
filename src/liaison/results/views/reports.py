"""Portfolio results, reporting periods and progress reports.

Staff read every project's periods and reports, as they read its staff pages; the project's
managers and the secretariat write them; only the secretariat returns, approves and reopens a
report. The services decide what the state of things allows and say why not.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liaison.portfolio.models import Project
from liaison.training.views import refused

from .. import exports, permissions
from ..forms.reports import CommentForm, PeriodForm, ReportForm
from ..models import ReportingPeriod, ReportStatus
from ..portfolio import ResultsFilter, core_totals
from ..services import ResultsError, require
from ..services import periods as period_services
from ..services import reports as services

# What each review step asks for: the service, whether the comment is required, its label.
STEPS = {
    "submit": (services.submit, False, gettext_lazy("Comment for the secretariat (optional)")),
    "return": (services.return_report, True, gettext_lazy("What should change")),
    "approve": (services.approve, False, gettext_lazy("Comment (optional)")),
    "reopen": (services.reopen, True, gettext_lazy("Why the report is reopened")),
}


def link(name: str, *args) -> str:
    """The address of a page that may not be installed yet (the logframe pages), or ''."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def readable_project(request, pk) -> Project:
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    require(permissions.can_read_results(request.user, project))
    return project


def _readable_period(request, pk) -> ReportingPeriod:
    period = get_object_or_404(ReportingPeriod.objects.select_related("project", "report"), pk=pk)
    require(permissions.can_read_results(request.user, period.project))
    return period


def _editable_period(request, pk) -> ReportingPeriod:
    period = _readable_period(request, pk)
    require(permissions.can_edit_results(request.user, period.project))
    return period


def hub_links(project) -> dict:
    """The project's results pages, for the navigation at the top of each."""
    return {
        "periods": reverse("results:periods", args=[project.pk]),
        "risks": reverse("results:risks", args=[project.pk]),
        "logframe": link("results:logframe", project.pk),
    }


# Portfolio ------------------------------------------------------------------------------------


@login_required
def portfolio(request):
    if not request.user.is_liaison_staff:
        raise PermissionDenied(_("Only Liaison staff read project results."))
    projects = Project.objects.visible_to(request.user)
    filterset = ResultsFilter(request.GET or None, queryset=projects)
    if filterset.is_bound:
        projects = filterset.qs if filterset.is_valid() else projects.none()
    return render(
        request,
        "results/portfolio.html",
        {"filter": filterset, "totals": core_totals(projects), "query": request.GET.urlencode()},
    )


# Reporting periods ----------------------------------------------------------------------------


@login_required
def periods(request, pk):
    """The project's results hub: its periods with their reports, and links to the rest."""
    project = readable_project(request, pk)
    today = timezone.localdate()
    rows = [
        {
            "period": period,
            "report": services.report_of(period),
            "overdue": period_services.is_overdue(period, today),
        }
        for period in period_services.periods_of(project)
    ]
    return render(
        request,
        "results/reports/periods.html",
        {
            "project": project,
            "rows": rows,
            "links": hub_links(project),
            "can_edit": permissions.can_edit_results(request.user, project)[0],
        },
    )


@login_required
def period_create(request, pk):
    project = readable_project(request, pk)
    require(permissions.can_edit_results(request.user, project))
    return _save_period(request, project, ReportingPeriod(project=project))


@login_required
def period_edit(request, pk):
    period = _editable_period(request, pk)
    if period.is_locked:
        messages.error(request, _("The period's report was approved: the period is locked."))
        return redirect("results:periods", period.project_id)
    return _save_period(request, period.project, period)


def _save_period(request, project, period):
    form = PeriodForm(
        request.POST if request.method == "POST" else None, instance=period, project=project
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in period_services.PERIOD_FIELDS}
        try:
            with form.unchanged():
                period_services.save_period(
                    request.user, form.instance, fields, form.cleaned_data["reason"]
                )
        except (ResultsError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("The reporting period was saved."))
            return redirect("results:periods", project.pk)
    return render(
        request,
        "results/reports/period_form.html",
        {"form": form, "project": project, "period": period if period.pk else None},
    )


@login_required
@require_POST
def period_delete(request, pk):
    period = _editable_period(request, pk)
    try:
        period_services.delete_period(request.user, period, request.POST.get("reason", ""))
    except ResultsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The reporting period was removed."))
    return redirect("results:periods", period.project_id)


# Progress reports -----------------------------------------------------------------------------


def _step_forms(user, period, report, bound=None) -> dict:
    """The review steps ``user`` may take now, each with its comment form."""
    status = report.status
    can_edit = permissions.can_edit_results(user, period.project)[0]
    can_review = permissions.can_review_reports(user)[0]
    allowed = []
    if can_edit and status in services.EDITABLE:
        allowed.append("submit")
    if can_review and status == ReportStatus.SUBMITTED:
        allowed += ["return", "approve"]
    if can_review and status == ReportStatus.APPROVED:
        allowed.append("reopen")
    forms = {}
    for step in allowed:
        _service, required, label = STEPS[step]
        if bound is not None and bound.prefix == step:
            forms[step] = bound
        else:
            forms[step] = CommentForm(prefix=step, required=required, label=label)
    if bound is not None and bound.prefix not in forms:
        # The step was refused because the report moved on; keep the form to show why.
        forms[bound.prefix] = bound
    return forms


def _report_page(request, period, form=None, step_form=None, status=200):
    data = services.gather(period)
    report = data["report"]
    can_edit = permissions.can_edit_results(request.user, period.project)[0]
    editable = can_edit and report.status in services.EDITABLE
    if editable and form is None:
        form = ReportForm(instance=report)
    return render(
        request,
        "results/reports/report.html",
        {
            **data,
            "form": form if editable else None,
            "steps": _step_forms(request.user, period, report, step_form),
            "links": hub_links(period.project),
            "indicator_pages": bool(link("results:indicator", 0)),
            "value_pages": bool(link("results:values", 0, 0)) and not period.is_locked,
        },
        status=status,
    )


@login_required
def report(request, pk):
    """The report page; its managers post the text here while it is editable."""
    period = _readable_period(request, pk)
    if request.method != "POST":
        return _report_page(request, period)
    require(permissions.can_edit_results(request.user, period.project))
    report = services.report_of(period)
    form = ReportForm(request.POST, instance=report)
    if form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.TEXT_FIELDS}
        try:
            with form.unchanged():
                services.save_report(request.user, period, fields, form.cleaned_data["reason"])
        except (ResultsError, ValidationError) as error:
            if report.status not in services.EDITABLE:
                # The page shows no form for a report that moved on; say why on top.
                messages.error(request, str(error))
                return redirect("results:report", period.pk)
            refused(form, error)
        else:
            messages.success(request, _("The report was saved."))
            return redirect("results:report", period.pk)
    # The instance was changed by the form; read the stored one for the rest of the page.
    period = _readable_period(request, pk)
    return _report_page(request, period, form=form)


@login_required
@require_POST
def report_step(request, pk, step):
    """Submit, return, approve or reopen; the service checks who and when."""
    period = _readable_period(request, pk)
    if step not in STEPS:
        raise PermissionDenied
    service, required, label = STEPS[step]
    form = CommentForm(request.POST, prefix=step, required=required, label=label)
    if form.is_valid():
        try:
            service(request.user, period, form.cleaned_data["comment"])
        except ResultsError as error:
            refused(form, error)
        else:
            messages.success(
                request,
                _("The report is now: %(status)s.")
                % {
                    "status": services.report_of(_readable_period(request, pk)).get_status_display()
                },
            )
            return redirect("results:report", period.pk)
    return _report_page(request, period, step_form=form)


@login_required
def report_pdf(request, pk):
    return exports.pdf_response(services.gather(_readable_period(request, pk)))


@login_required
def report_xlsx(request, pk):
    return exports.xlsx_response(services.gather(_readable_period(request, pk)))
