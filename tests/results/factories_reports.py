"""Builders for the tests of periods, reports, risks and portfolio results.

Indicators and values are made straight with the models, as the logframe pages would leave them.
"""

import datetime
from decimal import Decimal

from liaison.results.models import (
    Accumulation,
    Indicator,
    Level,
    Result,
    Target,
    Value,
)

from .logframe_helpers import make_period

D = datetime.date
__all__ = ["D", "make_indicator", "make_period", "set_target", "set_value"]


def make_indicator(
    project,
    code,
    name,
    *,
    accumulation=Accumulation.INCREMENTAL,
    core=None,
    baseline=None,
    end_target=None,
    dimensions=(),
    unit="number",
):
    result, _created = Result.objects.get_or_create(
        project=project, code="0", defaults={"level": Level.IMPACT, "title": "Impact"}
    )
    return Indicator.objects.create(
        result=result,
        code=code,
        name=name,
        accumulation=accumulation,
        core=core,
        baseline_value=baseline,
        end_target=end_target,
        disaggregations=list(dimensions),
        unit=unit,
    )


def set_value(indicator, period, value, *, sex="", country=None, institution_type="", **extra):
    return Value.objects.create(
        indicator=indicator,
        period=period,
        value=Decimal(value),
        sex=sex,
        country=country,
        institution_type=institution_type,
        **extra,
    )


def set_target(indicator, period, value):
    return Target.objects.create(indicator=indicator, period=period, value=Decimal(value))
