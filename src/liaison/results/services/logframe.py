"""Writes to a project's logframe: its results, their indicators and the indicators' targets.

An indicator's shape (unit, accumulation, source, disaggregations) is locked once it has
values: cells already entered would no longer mean what they meant, or no longer add up.
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.events.models import Event

from .. import permissions, sources
from ..models import Dimension, Indicator, ReportingPeriod, Result, Source, Target, Value
from . import PermissionDenied, ResultsError, require

RESULT_FIELDS = ["level", "parent", "code", "title", "description", "assumptions", "order"]
INDICATOR_FIELDS = [
    "result",
    "code",
    "name",
    "definition",
    "unit",
    "unit_label",
    "direction",
    "accumulation",
    "means_of_verification",
    "baseline_value",
    "baseline_date",
    "end_target",
    "disaggregations",
    "source",
    "core",
    "order",
]
# What cannot change once values exist.
LOCKED_FIELDS = ["unit", "accumulation", "source", "disaggregations"]


def _snapshot(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def _check_activities(project, events, courses, components):
    """Linked activities must be the project's own."""
    if (
        events is not None
        and Event.objects.filter(pk__in=[e.pk for e in events]).exclude(projects=project).exists()
    ):
        raise ResultsError(_("Link only events of this project."))
    if courses is not None and any(c.project_id != project.pk for c in courses):
        raise ResultsError(_("Link only courses of this project."))
    if components is not None and any(c.project_id != project.pk for c in components):
        raise ResultsError(_("Link only components of this project."))


@transaction.atomic
def save_result(
    actor,
    result: Result,
    fields: dict,
    *,
    events=None,
    courses=None,
    components=None,
    reason: str = "",
) -> Result:
    """Create (``result.pk`` is None, its ``project`` set) or change a box of the logframe."""
    project = result.project
    require(permissions.can_edit_results(actor, project))
    created = result.pk is None
    if not created and Result.objects.get(pk=result.pk).project_id != project.pk:
        raise PermissionDenied(_("That result belongs to another project."))
    before = {} if created else _snapshot(Result.objects.get(pk=result.pk), RESULT_FIELDS)
    for name, value in fields.items():
        setattr(result, name, value)
    code = (result.code or "").strip()
    if Result.objects.filter(project=project, code=code).exclude(pk=result.pk).exists():
        raise ResultsError(
            _("Another result of this project already has the code %(code)s.") % {"code": code}
        )
    if not created and result.parent_id:
        ancestor = result.parent
        while ancestor is not None:
            if ancestor.pk == result.pk:
                raise ResultsError(_("A result cannot contribute to itself."))
            ancestor = ancestor.parent
    _check_activities(project, events, courses, components)
    result.full_clean()
    result.save()
    for name, chosen in (("events", events), ("courses", courses), ("components", components)):
        if chosen is not None:
            getattr(result, name).set(chosen)
    changes = audit.diff(before, _snapshot(result, RESULT_FIELDS))
    if changes or created:
        action = "results.result." + ("created" if created else "updated")
        audit.record(actor, action, result, changes, reason)
    return result


@transaction.atomic
def delete_result(actor, result: Result, reason: str = ""):
    """Remove a box of the logframe. Boxes under it go first, and one whose indicators hold
    values stays: the values are reported figures."""
    require(permissions.can_edit_results(actor, result.project))
    if result.children.exists():
        raise ResultsError(_("Remove or move the results under it first."))
    if Value.objects.filter(indicator__result=result).exists():
        raise ResultsError(_("Its indicators hold values; a result with reported values stays."))
    audit.record(
        actor, "results.result.deleted", result, _plain_changes(result, RESULT_FIELDS), reason
    )
    result.delete()


def _plain_changes(obj, names) -> dict:
    return audit.diff({}, _snapshot(obj, names))


def _check_indicator(indicator: Indicator):
    unknown = set(indicator.disaggregations or []) - set(Dimension.values)
    if unknown:
        raise ResultsError(_("Break an indicator down by sex, country or institution type only."))
    indicator.disaggregations = indicator.dimensions
    if indicator.core_id and indicator.core.unit != indicator.unit:
        raise ResultsError(
            _("A core indicator is summed across projects: use its unit (%(unit)s).")
            % {"unit": indicator.core.get_unit_display()}
        )
    if indicator.source != Source.MANUAL:
        unit, dimensions = sources.SOURCES[indicator.source]
        if indicator.unit != unit:
            raise ResultsError(
                _("Values from “%(source)s” are counted as: %(unit)s.")
                % {"source": indicator.get_source_display(), "unit": unit}
            )
        extra = set(indicator.dimensions) - set(dimensions)
        if extra:
            raise ResultsError(
                _("“%(source)s” cannot be broken down by %(dimensions)s.")
                % {
                    "source": indicator.get_source_display(),
                    "dimensions": ", ".join(str(Dimension(d).label) for d in sorted(extra)),
                }
            )


@transaction.atomic
def save_indicator(actor, indicator: Indicator, fields: dict, reason: str = "") -> Indicator:
    """Create (``indicator.pk`` is None) or change an indicator of one of the project's results.

    Unit, accumulation, source and disaggregations are locked once values exist; a changed
    end-of-project target needs a reason."""
    result = fields.get("result") or indicator.result
    project = result.project
    require(permissions.can_edit_results(actor, project))
    created = indicator.pk is None
    stored = None if created else Indicator.objects.select_related("result").get(pk=indicator.pk)
    if stored is not None and stored.project_id != project.pk:
        raise PermissionDenied(_("An indicator stays with its project."))
    before = {} if created else _snapshot(stored, INDICATOR_FIELDS)
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.project_id = project.pk
    if stored is not None and stored.values.exists():
        changed = [
            str(Indicator._meta.get_field(name).verbose_name)
            for name in LOCKED_FIELDS
            if audit.diff({name: before[name]}, {name: getattr(indicator, name)})
            and not (name == "disaggregations" and stored.dimensions == indicator.dimensions)
        ]
        if changed:
            raise ResultsError(
                _("Values exist, so these can no longer change: %(fields)s.")
                % {"fields": ", ".join(changed)}
            )
    if (
        stored is not None
        and stored.end_target is not None
        and indicator.end_target != stored.end_target
        and not reason.strip()
    ):
        raise ResultsError(_("Say why the end-of-project target changes."))
    code = (indicator.code or "").strip()
    if Indicator.objects.filter(project=project, code=code).exclude(pk=indicator.pk).exists():
        raise ResultsError(
            _("Another indicator of this project already has the code %(code)s.") % {"code": code}
        )
    _check_indicator(indicator)
    indicator.full_clean()
    indicator.save()
    changes = audit.diff(before, _snapshot(indicator, INDICATOR_FIELDS))
    if changes or created:
        audit.record(
            actor,
            "results.indicator." + ("created" if created else "updated"),
            indicator,
            changes,
            reason,
        )
    return indicator


@transaction.atomic
def delete_indicator(actor, indicator: Indicator, reason: str = ""):
    """Remove an indicator that holds no values."""
    require(permissions.can_edit_results(actor, indicator.project))
    if indicator.values.exists():
        raise ResultsError(_("The indicator holds values; an indicator with values stays."))
    audit.record(
        actor,
        "results.indicator.deleted",
        indicator,
        _plain_changes(indicator, ["code", "name"]),
        reason,
    )
    indicator.delete()


@transaction.atomic
def set_targets(actor, indicator: Indicator, targets: dict, reason: str = "") -> int:
    """Set the indicator's targets for several periods at once: ``{period: Decimal or None}``
    (None removes the target). A target already set changes only with a reason, and the
    targets of an approved period stay as approved. Returns the number of targets changed."""
    require(permissions.can_edit_results(actor, indicator.project))
    periods = list(targets)
    if any(p.project_id != indicator.project_id for p in periods):
        raise ResultsError(_("That reporting period belongs to another project."))
    existing = {
        t.period_id: t for t in Target.objects.filter(indicator=indicator, period__in=periods)
    }
    changes = {}
    for period, value in targets.items():
        target = existing.get(period.pk)
        old = target.value if target else None
        new = None if value is None else Decimal(value).quantize(Decimal("0.01"))
        if old == new:
            continue
        if period.is_locked:
            raise ResultsError(
                _("%(period)s is approved; its targets can no longer change.") % {"period": period}
            )
        if new is not None and new < 0:
            raise ResultsError(_("A target cannot be negative."))
        if old is not None and not reason.strip():
            raise ResultsError(_("Say why a target already set changes."))
        changes[str(period)] = [old, new]
        if new is None:
            target.delete()
        elif target is None:
            Target.objects.create(indicator=indicator, period=period, value=new)
        else:
            target.value = new
            target.save(update_fields=["value"])
    if changes:
        audit.record(
            actor,
            "results.target.set",
            indicator,
            audit.diff(
                {k: v[0] for k, v in changes.items()}, {k: v[1] for k, v in changes.items()}
            ),
            reason,
        )
    return len(changes)


def periods_of(project):
    """The project's reporting periods, oldest first, with their reports for ``is_locked``."""
    return (
        ReportingPeriod.objects.filter(project=project)
        .select_related("report")
        .order_by("starts_on", "id")
    )
