"""Pages that bring several apps together: the dashboard and the profiles of places and bodies."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from liaison.directory.models import Country, Membership, Organisation, Region
from liaison.portfolio import services
from liaison.portfolio.filters import ProjectFilter
from liaison.portfolio.models import Project


def dashboard(request):
    """The portfolio at a glance; the same filters as the project list narrow every figure."""
    projects = Project.objects.visible_to(request.user)
    filterset = ProjectFilter(request.GET or None, queryset=projects)
    if filterset.is_bound:
        projects = filterset.qs.order_by() if filterset.is_valid() else projects.none()
    figures = services.dashboard_figures(projects)
    return render(
        request,
        "web/dashboard.html",
        {
            "figures": figures,
            "timeline": services.timeline(projects),
            "filter": filterset,
            "chart_instruments": {
                "labels": [row["code"] for row in figures["by_instrument"]],
                "eu": [float(row["eu"] or 0) for row in figures["by_instrument"]],
                "co": [float(row["co"] or 0) for row in figures["by_instrument"]],
            },
            "map_counts": {row["code"]: row["projects"] for row in figures["by_country"]},
            "query": request.GET.urlencode(),
        },
    )


def organisation_detail(request, pk):
    organisation = get_object_or_404(
        Organisation.objects.select_related("country", "parent"), pk=pk
    )
    projects = (
        Project.objects.visible_to(request.user)
        .filter(participations__organisation=organisation)
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=organisation.participations.all(),
                to_attr="roles_here",
            )
        )
        .distinct()
        .order_by("-start")
    )
    # Contact details are personal data: staff only.
    people = organisation.people.all() if getattr(request.user, "is_liaison_staff", False) else []
    return render(
        request,
        "web/organisation_detail.html",
        {
            "organisation": organisation,
            "page": Paginator(projects, 25).get_page(request.GET.get("page")),
            "children": organisation.children.select_related("country"),
            "memberships": organisation.memberships.select_related("network"),
            "people": people,
        },
    )


def country_list(request):
    visible = Project.objects.visible_to(request.user)
    counts = {row["code"]: row["projects"] for row in services.projects_per_country(visible)}
    countries = list(Country.objects.all())
    for country in countries:
        country.project_count = counts.get(country.code, 0)
    by_region = [
        (label, [c for c in countries if c.region == value]) for value, label in Region.choices
    ]
    return render(request, "web/country_list.html", {"by_region": by_region})


def country_detail(request, code):
    country = get_object_or_404(Country, code=code.upper())
    projects = (
        Project.objects.visible_to(request.user)
        .in_countries([country])
        .for_list()
        .order_by("-start")
    )
    page = Paginator(projects, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "web/country_detail.html",
        {
            "country": country,
            "page": page,
            "organisations": country.organisations.order_by("name"),
            "memberships": Membership.objects.current()
            .filter(organisation__country=country)
            .select_related("network", "organisation"),
        },
    )
