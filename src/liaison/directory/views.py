"""Pages of the directory alone; pages that join it with the portfolio live in ``web``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core.permissions import require

from . import duplicates, services
from .forms import RoleForm
from .models import (
    Affiliation,
    Country,
    Network,
    Organisation,
    OrganisationType,
    Person,
    PersonMerge,
    current_membership,
)
from .permissions import can_manage_people, can_merge_people
from .readlog import ReadKind, record_reads
from .scopes import administered_organisations


def organisation_list(request):
    organisations = (
        Organisation.objects.visible_to(request.user)
        .select_related("country")
        .search(request.GET.get("q"))
    )
    kind = request.GET.get("type")
    if kind in OrganisationType.values:
        organisations = organisations.filter(type=kind)
    country = request.GET.get("country")
    if country:
        organisations = organisations.filter(country__code=country)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "directory/organisation_list.html",
        {
            "page": Paginator(organisations, 50).get_page(request.GET.get("page")),
            "types": OrganisationType.choices,
            "countries": Country.objects.filter(
                organisations__in=Organisation.objects.visible_to(request.user)
            ).distinct(),
            "selected": {"q": request.GET.get("q", ""), "type": kind, "country": country},
            "query": query.urlencode(),
        },
    )


def network_list(request):
    current = current_membership(prefix="memberships__")
    networks = Network.objects.annotate(members=Count("memberships", filter=current))
    return render(request, "directory/network_list.html", {"networks": networks})


def network_detail(request, pk):
    network = get_object_or_404(Network, pk=pk)
    memberships = list(
        network.memberships.select_related("organisation__country").order_by(
            "organisation__country__name", "organisation__name", "start"
        )
    )
    current = [m for m in memberships if m.is_current]
    by_country = {}
    for membership in current:
        country = membership.organisation.country
        by_country.setdefault(country, []).append(membership)
    history = sorted(memberships, key=lambda m: (m.start is None, m.start, m.pk))
    return render(
        request,
        "directory/network_detail.html",
        {
            "network": network,
            "agreements": network.agreements.all(),
            "by_country": sorted(by_country.items(), key=lambda kv: kv[0].name if kv[0] else ""),
            "history": history,
            "map_rows": [
                {"code": c.code, "numeric": c.numeric, "name": c.name, "projects": len(members)}
                for c, members in by_country.items()
                if c
            ],
        },
    )


@login_required
@require_POST
def organisation_reviewed(request, pk):
    """The secretariat confirms an organisation read from a factsheet; it then goes public."""
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    services.mark_reviewed(request.user, organisation)
    messages.success(
        request, _("%(name)s is reviewed and now public.") % {"name": organisation.name}
    )
    return redirect(organisation)


def _people_anchor(organisation) -> str:
    return f"{organisation.get_absolute_url()}#people-and-roles"


@login_required
@require_POST
def organisation_role(request, pk):
    """An institution's administrator (or the secretariat) gives one of its people a role, or
    changes it. A person of another institution is not among the choices: refused, nothing
    saved."""
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    require(can_manage_people(request.user, organisation))
    form = RoleForm(request.POST, organisation=organisation)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(_people_anchor(organisation))
    person, role = form.cleaned_data["person"], form.cleaned_data["role"]
    try:
        affiliation = services.set_role(request.user, organisation, person, role)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(person)s is now %(role)s.")
            % {"person": person.name, "role": affiliation.get_role_display().lower()},
        )
    return redirect(_people_anchor(organisation))


@login_required
@require_POST
def affiliation_end(request, pk):
    """End one membership of an institution the user manages; another institution's
    membership is not found."""
    memberships = Affiliation.objects.select_related("organisation", "person")
    if not getattr(request.user, "is_secretariat", False):
        memberships = memberships.filter(organisation__in=administered_organisations(request.user))
    affiliation = get_object_or_404(memberships, pk=pk)
    organisation = affiliation.organisation
    try:
        services.end_affiliation(request.user, affiliation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(person)s is no longer a member of %(organisation)s.")
            % {"person": affiliation.person.name, "organisation": organisation.name},
        )
    return redirect(_people_anchor(organisation))


@login_required
def duplicate_list(request):
    """Pairs of records that are likely one person, for the secretariat to compare."""
    require(can_merge_people(request.user))
    return render(
        request,
        "directory/duplicate_list.html",
        {
            "pairs": duplicates.likely_duplicates(),
            "merges": PersonMerge.objects.select_related("kept", "by")[:20],
        },
    )


@login_required
def person_merge(request, first, second):
    """Two records side by side; the secretariat chooses which one is kept and merges.

    The page shows what each record holds, so that the choice is made knowing what moves;
    a merge the two records cannot take (both registered for one event) is refused with the
    reasons, and nothing changes.
    """
    require(can_merge_people(request.user))
    people = Person.objects.select_related("organisation", "user").in_bulk([first, second])
    if len(people) != 2 or first == second:
        raise Http404(_("No such pair of people."))
    pair = [people[first], people[second]]
    if request.method == "GET":
        record_reads(request.user, pair, ReadKind.PROFILE, path=request.get_full_path())
    if request.method == "POST":
        kept = request.POST.get("keep")
        if kept not in (str(first), str(second)):
            messages.error(request, _("Choose the record to keep."))
        else:
            keep, drop = (pair[0], pair[1]) if kept == str(first) else (pair[1], pair[0])
            try:
                services.merge_people(request.user, keep, drop)
            except services.MergeRefused as refused:
                for problem in refused.problems:
                    messages.error(request, problem)
            else:
                messages.success(
                    request,
                    _("#%(drop)s is merged into #%(keep)s.") % {"drop": drop.pk, "keep": keep.pk},
                )
                return redirect(keep.get_absolute_url())
    return render(
        request,
        "directory/person_merge.html",
        {
            "pair": [(person, duplicates.counts(person)) for person in pair],
            "problems": duplicates.collisions(pair[0], pair[1]),
        },
    )
