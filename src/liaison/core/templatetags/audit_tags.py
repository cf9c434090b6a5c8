"""``{% history_link obj %}``: one line on an object's page leads the secretariat to its log."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from liaison.core.permissions import can_read_audit

register = template.Library()


@register.inclusion_tag("core/_history_link.html", takes_context=True)
def history_link(context, obj):
    """A link to the audit log filtered to ``obj``, for those who may read the log only."""
    request = context.get("request")
    allowed, _why = can_read_audit(getattr(request, "user", None))
    # A page may render before its record exists (an unsaved draft): no history yet.
    if not allowed or getattr(obj, "pk", None) is None:
        return {"url": None}
    query = urlencode({"object_type": obj._meta.label_lower, "object_id": obj.pk})
    return {"url": f"{reverse('core:audit_log')}?{query}", "name": str(obj)}
