"""Pages that bring several apps together: the dashboard and the profiles of places and bodies."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from liaison.directory.forms import RoleForm
from liaison.directory.models import (
    Affiliation,
    Country,
    Membership,
    Organisation,
    Person,
    Region,
)
from liaison.directory.permissions import can_manage_people
from liaison.directory.readlog import ReadKind, record_reads
from liaison.events.models import Attendance, Registration, Talk
from liaison.events.permissions import can_see_person, people_seen_by
from liaison.invitations.permissions import can_invite, can_manage_invitation
from liaison.portfolio import services
from liaison.portfolio.filters import ProjectFilter
from liaison.portfolio.models import Project
from liaison.results.portfolio import core_totals
from liaison.training import transcript


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
            # Results are read by staff only, as on the results pages.
            "core_totals": core_totals(projects)
            if getattr(request.user, "is_liaison_staff", False)
            else None,
        },
    )


def organisation_detail(request, pk):
    organisation = get_object_or_404(
        Organisation.objects.visible_to(request.user).select_related("country", "parent"), pk=pk
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
    # Contact details are personal data: staff, and the institution's administrators.
    may_manage = can_manage_people(request.user, organisation)[0]
    show_contacts = getattr(request.user, "is_liaison_staff", False) or may_manage
    people = (
        list(
            Person.objects.visible_to(request.user).filter(
                organisation=organisation, is_contact_point=True
            )
        )
        if show_contacts
        else []
    )
    record_reads(request.user, people, ReadKind.CONTACT, path=request.get_full_path())
    roles = {}
    if may_manage:
        # Each name links to the person's page when the viewer may open it (a subquery, not a
        # query per row).
        seen = people_seen_by(request.user).filter(pk=OuterRef("person"))
        roles = {
            "affiliations": Affiliation.objects.current()
            .filter(organisation=organisation)
            .select_related("person")
            .annotate(person_page_open=Exists(seen))
            .order_by("person__name", "pk"),
            "role_form": RoleForm(organisation=organisation),
        }
    return render(
        request,
        "web/organisation_detail.html",
        {
            "organisation": organisation,
            "page": Paginator(projects, 25).get_page(request.GET.get("page")),
            "children": organisation.children.select_related("country"),
            "memberships": organisation.memberships.select_related("network"),
            "people": people,
            "show_contacts": show_contacts,
            "may_manage_people": may_manage,
            **roles,
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


@login_required
def my_page(request):
    person = Person.objects.filter(user=request.user).first()
    if person is None:
        messages.info(request, _("Your history starts with your first registration for an event."))
        return redirect("events:my_registrations")
    return redirect(person)


def person_detail(request, pk):
    """One person's history: the events and sessions they attended, the talks they gave, and
    their training courses, results and certificates, so a person has one history."""
    person = get_object_or_404(Person.objects.select_related("organisation__country"), pk=pk)
    allowed, why = can_see_person(request.user, person)
    if not allowed:
        raise PermissionDenied(why)
    registrations = (
        Registration.objects.filter(person=person)
        .select_related("event__country")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("session").order_by(
                    "day", "session__start"
                ),
            )
        )
        .order_by("-event__start")
    )
    is_staff = getattr(request.user, "is_liaison_staff", False)
    talks = (
        Talk.objects.filter(speakers__person=person)
        .select_related("session__event")
        .order_by("-session__start")
        .distinct()
    )
    record_reads(request.user, [person], ReadKind.PROFILE, path=request.get_full_path())
    # A pending invitation is shown instead of the button that would silently send another.
    invitation = person.invitations.pending().first()
    may_manage_invitation = bool(invitation) and can_manage_invitation(request.user, invitation)[0]
    return render(
        request,
        "web/person_detail.html",
        {
            "person": person,
            "registrations": registrations,
            "talks": talks,
            # Staff see where the record's history came from, when it was merged.
            "merges": person.merges.select_related("by") if is_staff else (),
            "can_invite": invitation is None and can_invite(request.user, person)[0],
            "invitation": invitation if is_staff or may_manage_invitation else None,
            "may_manage_invitation": may_manage_invitation,
            **transcript.gather(person),
        },
    )
