"""A project's risk register and its heat map. Staff read it; its managers and the secretariat
keep it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.training.views import refused

from .. import permissions
from ..forms.reports import RiskFilterForm, RiskForm
from ..models import Risk, RiskStatus
from ..services import ResultsError, require
from ..services import risks as services
from .reports import hub_links, readable_project

RISKS_PER_PAGE = 50


@login_required
def risk_list(request, pk):
    project = readable_project(request, pk)
    risks = Risk.objects.filter(project=project)
    filters = RiskFilterForm(request.GET or None)
    shown = risks
    if filters.is_valid():
        for name in ("status", "likelihood", "impact"):
            if filters.cleaned_data[name]:
                shown = shown.filter(**{name: filters.cleaned_data[name]})
    elif filters.is_bound:
        shown = risks.none()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "results/risks/risk_list.html",
        {
            "project": project,
            "filters": filters,
            "page": Paginator(services.ranked(shown), RISKS_PER_PAGE).get_page(
                request.GET.get("page")
            ),
            "query": query.urlencode(),
            "heat_map": services.heat_map(risks.filter(status=RiskStatus.OPEN)),
            "scale": services.SCALE,
            "selected": filters.cleaned_data if filters.is_valid() else {},
            "links": hub_links(project),
            "can_edit": permissions.can_edit_results(request.user, project)[0],
        },
    )


@login_required
def risk_create(request, pk):
    project = readable_project(request, pk)
    require(permissions.can_edit_results(request.user, project))
    return _save_risk(request, project, Risk(project=project))


@login_required
def risk_edit(request, pk):
    risk = get_object_or_404(Risk.objects.select_related("project"), pk=pk)
    project = readable_project(request, risk.project_id)
    require(permissions.can_edit_results(request.user, project))
    return _save_risk(request, project, risk)


def _save_risk(request, project, risk):
    form = RiskForm(
        request.POST if request.method == "POST" else None, instance=risk, project=project
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.RISK_FIELDS}
        try:
            with form.unchanged():
                services.save_risk(request.user, form.instance, fields, form.cleaned_data["reason"])
        except (ResultsError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("The risk was saved."))
            return redirect("results:risks", project.pk)
    return render(
        request,
        "results/risks/risk_form.html",
        {
            "form": form,
            "project": project,
            "risk": risk if risk.pk else None,
            "delete_url": reverse("results:risk_delete", args=[risk.pk]) if risk.pk else "",
        },
    )


@login_required
@require_POST
def risk_delete(request, pk):
    risk = get_object_or_404(Risk.objects.select_related("project"), pk=pk)
    readable_project(request, risk.project_id)
    services.delete_risk(request.user, risk, request.POST.get("reason", ""))
    messages.success(request, _("The risk was removed."))
    return redirect("results:risks", risk.project_id)
