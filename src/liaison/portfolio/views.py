from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from . import exports, services
from .filters import ProjectFilter
from .forms import (
    ChangeReasonForm,
    ComponentFormSet,
    FundingLineFormSet,
    PartnerFormSet,
    ProjectForm,
)
from .models import Participation, ParticipationRole, Project
from .permissions import can_edit_project, can_read_internal

PAGE_SIZES = (25, 50, 100)


def project_list(request):
    """The filterable portfolio. Every filter lives in the query string, so a URL can be shared."""
    projects = Project.objects.visible_to(request.user).for_list()
    filterset = ProjectFilter(request.GET or None, queryset=projects)
    if filterset.is_bound and not filterset.is_valid():
        results = projects.none()
    else:
        results = filterset.qs
    export = request.GET.get("export")
    if export == "csv":
        return exports.csv_response(results, "liaison-projects")
    if export == "xlsx":
        return exports.xlsx_response(results, "liaison-projects")
    try:
        per_page = int(request.GET.get("per_page", PAGE_SIZES[0]))
    except ValueError:
        per_page = PAGE_SIZES[0]
    per_page = per_page if per_page in PAGE_SIZES else PAGE_SIZES[0]
    page = Paginator(results, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    template = "portfolio/_project_results.html" if request.htmx else "portfolio/project_list.html"
    response = render(
        request,
        template,
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "per_page": per_page,
            "page_sizes": PAGE_SIZES,
        },
    )
    # The same URL answers with a fragment or a whole page; caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def project_detail(request, pk):
    project = get_object_or_404(
        Project.objects.visible_to(request.user)
        .select_related("facility")
        .prefetch_related(
            "countries",
            "themes",
            "typologies",
            "components",
            "funding_lines__instrument",
            Prefetch(
                "participations",
                queryset=Participation.objects.of_visible_organisations(
                    request.user
                ).select_related("organisation__country"),
            ),
        ),
        pk=pk,
    )
    groups = {}
    for participation in project.participations.all():
        groups.setdefault(participation.role, []).append(participation.organisation)
    partners = [
        (label, groups[role]) for role, label in ParticipationRole.choices if role in groups
    ]
    lines = list(project.funding_lines.all())
    can_edit, _why = can_edit_project(request.user, project)
    return render(
        request,
        "portfolio/project_detail.html",
        {
            "project": project,
            "partners": partners,
            "funding_lines": lines,
            "funding_eu": sum(line.eu_contribution for line in lines),
            "funding_co": sum(line.co_financing for line in lines),
            "funding_total": sum(line.total for line in lines),
            "map_rows": [
                {"code": c.code, "numeric": c.numeric, "name": c.name}
                for c in project.countries.all()
            ],
            "can_edit": can_edit,
            "can_read_internal": can_read_internal(request.user, project)[0],
        },
    )


@login_required
def project_edit(request, pk):
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    allowed, why = can_edit_project(request.user, project)
    if not allowed:
        raise PermissionDenied(why)
    form = ProjectForm(request.POST or None, instance=project)
    funding = FundingLineFormSet(request.POST or None, instance=project, prefix="funding")
    if request.method == "POST" and form.is_valid() and funding.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason", "")
        relations = {name: data.pop(name) for name in ("countries", "themes", "typologies")}
        lines = [
            row
            for row in funding.cleaned_data
            if row and not row.get("DELETE") and row.get("instrument")
        ]
        try:
            with form.unchanged():
                services.update_project(request.user, project, data, relations, lines, reason)
        except services.PermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The project was saved."))
            return redirect(project)
    return render(
        request,
        "portfolio/project_form.html",
        {"project": project, "form": form, "funding": funding},
    )


def _project_to_edit(request, pk) -> Project:
    """The project, if the signed-in user may see it and edit it (404 or 403 otherwise)."""
    project = get_object_or_404(Project.objects.visible_to(request.user), pk=pk)
    allowed, why = can_edit_project(request.user, project)
    if not allowed:
        raise PermissionDenied(why)
    return project


def _edit_rows(request, pk, formset_class, save, title):
    """A page that edits one list of a project (partners, components) in a formset."""
    project = _project_to_edit(request, pk)
    formset = formset_class(request.POST or None, instance=project, prefix="rows")
    reason = ChangeReasonForm(request.POST or None)
    if request.method == "POST" and formset.is_valid() and reason.is_valid():
        rows = [row for row in formset.cleaned_data if row and not row.get("DELETE")]
        try:
            save(request.user, project, rows, reason.cleaned_data["reason"])
        except services.PermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        except ValidationError as error:
            reason.add_error(None, error)
        else:
            messages.success(request, _("The project was saved."))
            return redirect(project)
    return render(
        request,
        "portfolio/project_rows.html",
        {"project": project, "formset": formset, "form": reason, "title": title},
    )


@login_required
def project_partners(request, pk):
    """The project's managers keep its partners (organisation and role) up to date."""

    def save(actor, project, rows, reason):
        pairs = [(row["organisation"], row["role"]) for row in rows if row.get("organisation")]
        services.set_partners(actor, project, pairs, reason)

    return _edit_rows(request, pk, PartnerFormSet, save, _("Partners"))


@login_required
def project_components(request, pk):
    """The project's managers keep its components and expected results up to date."""
    names = ("order", "title", "description", "expected_results")

    def save(actor, project, rows, reason):
        components = [
            {"id": row["id"].pk if row.get("id") else None, **{n: row[n] for n in names}}
            for row in rows
            if row.get("title")
        ]
        services.set_components(actor, project, components, reason)

    return _edit_rows(request, pk, ComponentFormSet, save, _("Components"))
