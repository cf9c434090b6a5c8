"""A project's logframe, its indicators and the entry of their values.

Staff read; the project's managers and the secretariat edit. Every figure shown is computed
from the stored cells by ``figures``; the pages never store a total.
"""

import itertools
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from liaison.core.concurrency import Conflict
from liaison.core.models import AuditEntry
from liaison.directory.models import Country, OrganisationType
from liaison.events.models import Sex
from liaison.portfolio.models import Project
from liaison.training.views import refused

from .. import figures, sources
from ..forms.logframe import IndicatorForm, ResultForm, TargetsForm, ValuesForm, cell_name
from ..models import Accumulation, Dimension, Indicator, Level, Result, Target
from ..permissions import can_edit_results, can_read_results
from ..services import ResultsError
from ..services import logframe as services
from ..services import values as value_services

HISTORY_LENGTH = 50
HEADING = {Level.IMPACT: 2, Level.OUTCOME: 3, Level.OUTPUT: 4}


def _posted(request):
    return request.POST if request.method == "POST" else None


def _check(check):
    allowed, why = check
    if not allowed:
        raise PermissionDenied(why)


def _readable(request, project):
    _check(can_read_results(request.user, project))
    return can_edit_results(request.user, project)[0]


def _editable(request, project):
    _check(can_edit_results(request.user, project))


def _indicator(pk):
    return get_object_or_404(Indicator.objects.select_related("result", "project", "core"), pk=pk)


def _tree(results: list) -> list[tuple]:
    """The results in reading order, impact first, each with its depth."""
    children = defaultdict(list)
    known = {r.pk for r in results}
    for result in results:
        children[result.parent_id if result.parent_id in known else None].append(result)
    ordered = []

    def walk(parent_id, depth):
        for result in children.get(parent_id, []):
            ordered.append((result, depth))
            walk(result.pk, depth + 1)

    walk(None, 0)
    return ordered


@login_required
def logframe(request, pk):
    """The tree with each result's assumptions, linked activities and indicators, in a fixed
    number of queries."""
    project = get_object_or_404(Project, pk=pk)
    can_edit = _readable(request, project)
    results = list(
        Result.objects.filter(project=project)
        .prefetch_related("events", "courses", "components")
        .order_by("code", "order", "id")
    )
    rows = defaultdict(list)
    for row in figures.table(project):
        rows[row.indicator.result_id].append(row)
    nodes = [
        {
            "result": result,
            "depth": depth,
            "heading": HEADING.get(result.level, 4),
            "rows": rows.get(result.pk, []),
        }
        for result, depth in _tree(results)
    ]
    return render(
        request,
        "results/logframe/logframe.html",
        {
            "project": project,
            "nodes": nodes,
            "periods": list(services.periods_of(project)),
            "can_edit": can_edit,
            "derived": any(row.indicator.is_derived for group in rows.values() for row in group),
        },
    )


@login_required
@require_POST
def recount(request, pk):
    """Recount the project's derived indicators from Liaison's records."""
    project = get_object_or_404(Project, pk=pk)
    _editable(request, project)
    changed = sources.refresh_project(project, actor=request.user)
    messages.success(
        request, _("Recounted from Liaison: %(count)s cells changed.") % {"count": changed}
    )
    return redirect("results:logframe", project.pk)


# Results ------------------------------------------------------------------------------------


@login_required
def result_create(request, pk):
    project = get_object_or_404(Project, pk=pk)
    _editable(request, project)
    initial = {}
    parent = request.GET.get("parent", "")
    if parent.isdigit():
        found = Result.objects.filter(project=project, pk=parent).first()
        if found:
            initial = {"parent": found, "level": _next_level(found.level)}
    form = ResultForm(_posted(request), project=project, initial=initial)
    return _save_result(request, form, project, None)


def _next_level(level):
    return {Level.IMPACT: Level.OUTCOME, Level.OUTCOME: Level.OUTPUT}.get(level, Level.OUTPUT)


@login_required
def result_edit(request, pk):
    result = get_object_or_404(Result.objects.select_related("project"), pk=pk)
    _editable(request, result.project)
    form = ResultForm(_posted(request), instance=result, project=result.project)
    return _save_result(request, form, result.project, result)


def _save_result(request, form, project, result):
    if request.method == "POST" and form.is_valid():
        try:
            with form.unchanged():
                saved = services.save_result(
                    request.user,
                    form.instance,
                    form.result_fields(),
                    **form.links(),
                    reason=form.cleaned_data["reason"],
                )
        except (ResultsError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("The result was saved."))
            return redirect(saved)
    return render(
        request,
        "results/logframe/result_form.html",
        {"form": form, "project": project, "result": result},
    )


@login_required
@require_POST
def result_delete(request, pk):
    result = get_object_or_404(Result.objects.select_related("project"), pk=pk)
    _editable(request, result.project)
    try:
        services.delete_result(request.user, result, request.POST.get("reason", ""))
    except ResultsError as error:
        messages.error(request, str(error))
        return redirect(result)
    messages.success(request, _("The result was removed."))
    return redirect("results:logframe", result.project_id)


# Indicators ---------------------------------------------------------------------------------


@login_required
def indicator_create(request, pk):
    result = get_object_or_404(Result.objects.select_related("project"), pk=pk)
    _editable(request, result.project)
    form = IndicatorForm(_posted(request), project=result.project, initial={"result": result})
    return _save_indicator(request, form, result.project, None)


@login_required
def indicator_edit(request, pk):
    indicator = _indicator(pk)
    _editable(request, indicator.project)
    form = IndicatorForm(
        _posted(request),
        instance=indicator,
        project=indicator.project,
        locked=indicator.values.exists(),
    )
    return _save_indicator(request, form, indicator.project, indicator)


def _save_indicator(request, form, project, indicator):
    if request.method == "POST" and form.is_valid():
        try:
            with form.unchanged():
                saved = services.save_indicator(
                    request.user,
                    form.instance,
                    form.indicator_fields(),
                    form.cleaned_data["reason"],
                )
        except (ResultsError, ValidationError) as error:
            refused(form, error)
        else:
            messages.success(request, _("The indicator was saved."))
            return redirect(saved)
    return render(
        request,
        "results/logframe/indicator_form.html",
        {"form": form, "project": project, "indicator": indicator},
    )


@login_required
@require_POST
def indicator_delete(request, pk):
    indicator = _indicator(pk)
    _editable(request, indicator.project)
    try:
        services.delete_indicator(request.user, indicator, request.POST.get("reason", ""))
    except ResultsError as error:
        messages.error(request, str(error))
        return redirect(indicator)
    messages.success(request, _("The indicator was removed."))
    return redirect("results:logframe", indicator.project_id)


def _chart(indicator, series) -> dict:
    """Target against actual by period: in-period actuals for an incremental indicator, the
    value to date for the others, whose targets are levels."""
    key = "in_period" if indicator.accumulation == Accumulation.INCREMENTAL else "to_date"
    return {
        "labels": [str(s["period"]) for s in series],
        "target": [float(s["target"]) if s["target"] is not None else None for s in series],
        "actual": [float(s[key]) if s[key] is not None else None for s in series],
    }


def _breakdown(indicator) -> list[dict]:
    parts = figures.breakdown(indicator)
    names = {}
    if Dimension.COUNTRY in parts:
        countries = Country.objects.filter(pk__in=parts[Dimension.COUNTRY])
        names = dict(countries.values_list("pk", "name"))
    labels = {
        Dimension.SEX: dict(Sex.choices),
        Dimension.COUNTRY: names,
        Dimension.INSTITUTION_TYPE: dict(OrganisationType.choices),
    }
    return [
        {
            "title": Dimension(dimension).label,
            "rows": sorted(
                (
                    (str(labels[dimension].get(key, _("Not stated"))), amount)
                    for key, amount in found.items()
                ),
                key=lambda pair: (-(pair[1] or 0), pair[0]),
            ),
        }
        for dimension, found in parts.items()
    ]


def _change(name, change) -> dict:
    """One line of an audit entry: a field's old and new value, or a plain fact."""
    if isinstance(change, list) and len(change) == 2:
        return {"name": name, "old": change[0], "new": change[1], "pair": True}
    return {"name": name, "new": change, "pair": False}


@login_required
def indicator(request, pk):
    """Definition, baseline, targets and values by period, breakdowns, chart and history.
    An editor opening a derived indicator recounts it first."""
    indicator = _indicator(pk)
    can_edit = _readable(request, indicator.project)
    if can_edit and indicator.is_derived:
        sources.refresh(indicator, actor=request.user)
    periods = list(services.periods_of(indicator.project))
    totals = {
        period_id: amount
        for (_i, period_id), amount in figures.period_totals([indicator], periods).items()
    }
    targets = dict(Target.objects.filter(indicator=indicator).values_list("period", "value"))
    series = figures.series(indicator, periods, totals, targets)
    history = list(
        AuditEntry.objects.filter(object_type="results.indicator", object_id=str(indicator.pk))
        .select_related("actor")
        .order_by("-at", "-id")[:HISTORY_LENGTH]
    )
    for entry in history:
        entry.lines = [_change(name, change) for name, change in entry.changes.items()]
    amounts = [totals.get(p.pk, figures.Amount()) for p in periods]
    to_date = figures.to_date(indicator.accumulation, amounts).shown(indicator.unit)
    return render(
        request,
        "results/logframe/indicator.html",
        {
            "indicator": indicator,
            "project": indicator.project,
            "series": series,
            "chart": _chart(indicator, series),
            "to_date": to_date,
            "achieved": figures.achievement(
                to_date,
                indicator.end_target,
                None
                if indicator.accumulation == Accumulation.INCREMENTAL
                else indicator.baseline_value,
            ),
            "breakdown": _breakdown(indicator),
            "history": history,
            "can_edit": can_edit,
        },
    )


@login_required
def targets(request, pk):
    """The indicator's targets per reporting period."""
    indicator = _indicator(pk)
    _editable(request, indicator.project)
    periods = list(services.periods_of(indicator.project))
    stored = dict(Target.objects.filter(indicator=indicator).values_list("period", "value"))
    form = TargetsForm(_posted(request), periods=periods, targets=stored, record=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            with form.unchanged():
                changed = services.set_targets(
                    request.user, indicator, form.targets(), form.cleaned_data["reason"]
                )
        except (ResultsError, Conflict) as error:
            refused(form, error)
        else:
            messages.success(request, _("%(count)s targets changed.") % {"count": changed})
            return redirect(indicator)
    return render(
        request,
        "results/logframe/targets_form.html",
        {"form": form, "indicator": indicator, "project": indicator.project},
    )


# Values -------------------------------------------------------------------------------------


def _layout(grid, cells: dict, form) -> dict:
    """The grid as a table: sex across when there are more dimensions, the others down;
    cells counted by Liaison outside the grid (a country not stated) get their own line."""
    positions = {d: i for i, d in enumerate(Dimension.values)}
    dimensions = grid.dimensions
    across = None  # one dimension reads best down the page
    if len(dimensions) > 1:
        across = Dimension.SEX if Dimension.SEX in dimensions else dimensions[-1]
    down = [d for d in dimensions if d != across]
    axes = [list(dict.fromkeys(values)) for values in zip(*grid.cells(), strict=True)] or [
        [""],
        [None],
        [""],
    ]
    for cell in cells:
        for i, value in enumerate(cell):
            if value not in axes[i]:
                axes[i].append(value)

    def key(cell, chosen):
        return tuple(cell[positions[d]] for d in chosen)

    columns = axes[positions[across]] if across else [None]
    row_keys = list(itertools.product(*[axes[positions[d]] for d in down]))
    crosstab = figures.crosstab(
        cells, lambda c: key(c, down), lambda c: key(c, [across]) if across else (None,)
    )
    unit = grid.indicator.unit

    def make_cell(row_key, column):
        values = dict(zip(down, row_key, strict=True))
        if across:
            values[across] = column
        cell = (
            values.get(Dimension.SEX, ""),
            values.get(Dimension.COUNTRY),
            values.get(Dimension.INSTITUTION_TYPE, ""),
        )
        in_grid = form is not None and cell_name(cell) in form.fields
        return {
            "cell": cell,
            "amount": cells.get(cell),
            "field": form[cell_name(cell)] if in_grid else None,
            "denominator": form[cell_name(cell, "d")]
            if in_grid and grid.indicator.is_percentage
            else None,
        }

    def label(values, chosen):
        cell = ["", None, ""]
        for dimension, value in zip(chosen, values, strict=True):
            cell[positions[dimension]] = value
        names = grid.labels(tuple(cell))
        wanted = [grid.dimensions.index(d) for d in chosen]
        return " · ".join(names[i] for i in wanted)

    rows = []
    for row_key in row_keys:
        total = crosstab.rows.get(row_key, figures.Amount())
        rows.append(
            {
                "label": label(row_key, down) or _("Value"),
                "cells": [make_cell(row_key, column) for column in columns],
                "total": total,
                "shown": total.shown(unit),
            }
        )
    return {
        "columns": [
            {
                "label": label((column,), [across]) if across else _("Value"),
                "total": crosstab.columns.get((column,), figures.Amount()),
            }
            for column in columns
        ],
        "rows": rows,
        "grand": crosstab.grand,
        "grand_shown": crosstab.grand.shown(unit),
        "across": Dimension(across).label if across else "",
        "down": " · ".join(str(Dimension(d).label) for d in down),
    }


@login_required
def values(request, pk, period_pk):
    """The grid of one period's cells; totals are computed from them, never typed."""
    indicator = _indicator(pk)
    can_edit = _readable(request, indicator.project)
    period = get_object_or_404(services.periods_of(indicator.project), pk=period_pk)
    why = value_services.refusal(indicator, period)
    editable = can_edit and not why
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(can_edit_results(request.user, indicator.project)[1])
    grid = value_services.grid(indicator)
    stored = value_services.cells_of(indicator, period)
    form = ValuesForm(_posted(request), grid=grid, stored=stored, disabled=not editable)
    if request.method == "POST" and form.is_valid():
        try:
            changes = value_services.save_values(
                request.user, indicator, period, form.cells(), form.cleaned_data["reason"]
            )
        except ResultsError as error:
            refused(form, error)
        else:
            messages.success(
                request,
                _("Values of %(indicator)s for %(period)s saved: %(count)s cells changed.")
                % {"indicator": indicator, "period": period, "count": len(changes)},
            )
            return redirect("results:values", indicator.pk, period.pk)
    if indicator.is_derived:
        extra = {c for _s, c, _t in stored if c is not None} - set(grid.country_names)
        grid.other_countries = list(Country.objects.filter(pk__in=extra))
    return render(
        request,
        "results/logframe/values.html",
        {
            "indicator": indicator,
            "project": indicator.project,
            "period": period,
            "periods": list(services.periods_of(indicator.project)),
            "form": form,
            "table": _layout(grid, stored, form),
            "editable": editable,
            "can_edit": can_edit,
            "refusal": why,
        },
    )
