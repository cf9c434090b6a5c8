from django import template

from ..models import Accreditation

register = template.Library()


@register.filter
def accreditation_on(module, day):
    """The module's accreditation on ``day``, as a choice with its label."""
    return Accreditation(module.accreditation_on(day))
