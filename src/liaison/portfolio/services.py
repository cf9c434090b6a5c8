"""Writes to the portfolio and the figures the dashboard shows.

Every write takes the acting user, runs in one transaction and leaves an audit entry, because
project records carry money and decisions.
"""

import datetime
from collections import Counter
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Sum
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core.models import Role

from .models import (
    HYBRID,
    Component,
    FundingLine,
    Participation,
    Project,
    Typology,
    Visibility,
)

AUDITED_FIELDS = [
    "title",
    "acronym",
    "reference",
    "summary",
    "objective",
    "start",
    "end",
    "status_override",
    "visibility",
    "total_budget",
    "currency",
    "facility",
]
AUDITED_RELATIONS = ["countries", "themes", "typologies"]
AUDITED_EXTRA = ["activity_types"]


class PermissionDenied(Exception):
    """The actor may not do this; the message says why."""


def _snapshot(project: Project) -> dict:
    values = {name: getattr(project, name) for name in AUDITED_FIELDS + AUDITED_EXTRA}
    if project.pk:
        for name in AUDITED_RELATIONS:
            values[name] = [str(obj) for obj in getattr(project, name).all()]
        values["funding"] = [
            f"{line.instrument.code}: {line.eu_contribution} + {line.co_financing}"
            for line in project.funding_lines.select_related("instrument")
        ]
        values["participations"] = [
            f"{p.organisation.name} ({p.role})"
            for p in project.participations.select_related("organisation")
        ]
        values["components"] = [
            "\n".join(filter(None, [f"{c.order}. {c.title}", c.description, c.expected_results]))
            for c in project.components.all()
        ]
    return values


@transaction.atomic
def merge_into_project(
    actor,
    project: Project | None,
    fields: dict,
    *,
    countries=(),
    participations=(),
    instruments=(),
    activity_types=(),
    managers=(),
    reason: str = "",
    funding=(),
) -> Project:
    """Create a project, or add what a source document says to an existing one.

    Stated values replace stored ones; countries, participations (``(organisation, role)``),
    funding instruments and activity types are added to what is there, never removed, because
    one factsheet rarely tells the whole story. ``funding`` gives stated amounts as dicts of
    ``instrument``, ``eu_contribution`` and ``co_financing``: a stated amount replaces the
    line's stored one, an amount of ``None`` leaves it. Permission is the caller's to check.
    """
    created = project is None
    if created:
        project = Project(visibility=Visibility.DRAFT)
        before = {}
    else:
        before = _snapshot(Project.objects.get(pk=project.pk))
    for name, value in fields.items():
        if value not in (None, ""):
            setattr(project, name, value)
    project.activity_types = sorted(set(project.activity_types or []) | set(activity_types))
    project.full_clean()
    project.save()
    project.countries.add(*countries)
    project.managers.add(*[m for m in managers if m.role == Role.PROJECT_MANAGER])
    for organisation, role in participations:
        Participation.objects.get_or_create(project=project, organisation=organisation, role=role)
    for instrument in instruments:
        FundingLine.objects.get_or_create(project=project, instrument=instrument)
    for line in funding:
        stated = {
            name: line[name]
            for name in ("eu_contribution", "co_financing")
            if line.get(name) is not None
        }
        funding_line, _created = FundingLine.objects.get_or_create(
            project=project, instrument=line["instrument"]
        )
        for name, value in stated.items():
            setattr(funding_line, name, value)
        funding_line.full_clean()
        funding_line.save()
    changes = audit.diff(before, _snapshot(project))
    if changes:
        action = "project.created" if created else "project.updated"
        audit.record(actor, action, project, changes, reason)
    return project


@transaction.atomic
def update_project(
    actor,
    project: Project,
    fields: dict,
    relations: dict,
    funding: list[dict] | None = None,
    reason: str = "",
):
    """Save new values of a project's fields, relations and funding lines, with an audit entry.

    ``funding`` replaces all funding lines: dicts of ``instrument``, ``eu_contribution`` and
    ``co_financing``. ``None`` leaves them as they are.
    """
    from .permissions import can_edit_project

    allowed, why = can_edit_project(actor, project)
    if not allowed:
        raise PermissionDenied(why)
    before = _snapshot(Project.objects.get(pk=project.pk))
    for name, value in fields.items():
        setattr(project, name, value)
    project.full_clean()
    project.save()
    for name, values in relations.items():
        getattr(project, name).set(values)
    if funding is not None:
        _replace_funding(project, funding)
    changes = audit.diff(before, _snapshot(project))
    if changes:
        audit.record(actor, "project.updated", project, changes, reason)
    return project


def _replace_funding(project: Project, funding: list[dict]):
    kept = []
    for line in funding:
        obj, _created = FundingLine.objects.update_or_create(
            project=project,
            instrument=line["instrument"],
            defaults={
                "eu_contribution": line.get("eu_contribution") or 0,
                "co_financing": line.get("co_financing") or 0,
            },
        )
        kept.append(obj.pk)
    project.funding_lines.exclude(pk__in=kept).delete()


def _edit(actor, project: Project, reason: str, change) -> Project:
    """Check the actor may edit the project, apply ``change`` and audit the difference."""
    from .permissions import can_edit_project

    allowed, why = can_edit_project(actor, project)
    if not allowed:
        raise PermissionDenied(why)
    before = _snapshot(Project.objects.get(pk=project.pk))
    change()
    changes = audit.diff(before, _snapshot(project))
    if changes:
        audit.record(actor, "project.updated", project, changes, reason)
    return project


@transaction.atomic
def set_partners(actor, project: Project, partners, reason: str = "") -> Project:
    """Make ``partners`` (``(organisation, role)`` pairs) the project's whole list of partners.

    The project's managers keep it up to date from the project's pages, so it is checked and
    audited exactly as the rest of the project form.
    """
    wanted = {(organisation.pk, role) for organisation, role in partners}

    def change():
        for participation in list(project.participations.all()):
            key = (participation.organisation_id, participation.role)
            if key in wanted:
                wanted.discard(key)
            else:
                participation.delete()
        for organisation_id, role in sorted(wanted):
            participation = Participation(
                project=project, organisation_id=organisation_id, role=role
            )
            participation.full_clean()
            participation.save()

    return _edit(actor, project, reason, change)


@transaction.atomic
def set_components(actor, project: Project, components: list[dict], reason: str = "") -> Project:
    """Make ``components`` the project's whole list of components.

    Each dict holds ``order``, ``title``, ``description`` and ``expected_results``, and ``id``
    for a component that already exists (only the project's own components can be changed).
    """

    def change():
        existing = {c.pk: c for c in project.components.all()}
        kept = []
        for values in components:
            values = dict(values)
            component = existing.get(values.pop("id", None)) or Component(project=project)
            for name, value in values.items():
                setattr(component, name, value)
            component.full_clean()
            component.save()
            kept.append(component.pk)
        project.components.exclude(pk__in=kept).delete()

    return _edit(actor, project, reason, change)


def dashboard_figures(projects) -> dict:
    """Totals and breakdowns of the given projects, in a fixed, small number of queries."""
    ids = projects.values("pk")
    totals = projects.aggregate(count=Count("pk"), value=Sum("total_budget"))
    by_country = projects_per_country(projects)
    organisations = (
        Participation.objects.filter(project__in=ids).values("organisation").distinct().count()
    )
    by_instrument = list(
        FundingLine.objects.filter(project__in=ids)
        .values(code=F("instrument__code"), name=F("instrument__name"))
        .annotate(eu=Sum("eu_contribution"), co=Sum("co_financing"))
        .order_by("instrument__order")
    )
    for row in by_instrument:
        row["total"] = (row["eu"] or Decimal(0)) + (row["co"] or Decimal(0))
    return {
        "projects": totals["count"],
        "value": totals["value"] or Decimal(0),
        "countries": len(by_country),
        "organisations": organisations,
        "by_country": by_country,
        "by_instrument": by_instrument,
        "by_typology": typology_counts(projects),
    }


def projects_per_country(projects) -> list[dict]:
    """Countries with at least one of the projects, most projects first."""
    return list(
        Project.countries.through.objects.filter(project__in=projects.values("pk"))
        .values(code=F("country__code"), numeric=F("country__numeric"), name=F("country__name"))
        # A project names a country once (the through table is unique), so no DISTINCT.
        .annotate(projects=Count("project"))
        .order_by("-projects", "name")
    )


def typology_counts(projects) -> list[dict]:
    """Projects per partnership approach; a project with several approaches counts as hybrid."""
    through = Project.typologies.through
    single = Counter(
        dict(
            through.objects.filter(project__in=projects.filter(typology_count=1).values("pk"))
            .values_list("typology__code")
            .annotate(n=Count("pk"))
        )
    )
    rows = [
        {"code": t.code, "name": t.name, "projects": single[t.code]} for t in Typology.objects.all()
    ]
    rows.append(
        {
            "code": HYBRID,
            "name": _("Hybrid"),
            "projects": projects.filter(typology_count__gt=1).count(),
        }
    )
    return rows


def timeline(projects, limit: int = 30) -> dict:
    """The periods of the most recent projects, laid out on a common time axis (years)."""
    rows = list(
        projects.filter(start__isnull=False, end__isnull=False)
        .order_by("-start", "pk")
        .only("pk", "title", "acronym", "start", "end", "status_override")[:limit]
    )
    if not rows:
        return {"rows": [], "years": []}
    first = datetime.date(min(p.start for p in rows).year, 1, 1)
    last = datetime.date(max(p.end for p in rows).year + 1, 1, 1)
    span = last.toordinal() - first.toordinal()

    def x(day):
        """Position of a day on the axis, in percent of its width."""
        return round((day.toordinal() - first.toordinal()) / span * 100, 2)

    items = [
        {
            "project": p,
            "x": x(p.start),
            "width": max(0.5, round(x(p.end) - x(p.start), 2)),
            "y": i * 22,
        }
        for i, p in enumerate(sorted(rows, key=lambda p: (p.start, p.pk)))
    ]
    years = [{"year": y, "x": x(datetime.date(y, 1, 1))} for y in range(first.year, last.year)]
    return {"rows": items, "years": years, "height": len(items) * 22 + 24}
