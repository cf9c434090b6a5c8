"""Small helpers of the logframe templates."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

from ..models import Dimension

register = template.Library()


@register.filter
def dimension_labels(indicator) -> str:
    """The names of the dimensions an indicator is broken down by, such as "Sex, Country"."""
    return ", ".join(str(Dimension(d).label) for d in indicator.dimensions)


@register.filter
def amount(value, percentage=False) -> str:
    """A figure as people read it: no trailing zeros, a per cent sign for rates, – if none."""
    if value is None:
        return "–"
    # 63.8 and 7, never 63.80 or 7.00; a Decimal keeps exactly its digits.
    text = f"{value.normalize():f}" if isinstance(value, Decimal) else floatformat(value, "-2")
    return f"{text}%" if percentage else text
