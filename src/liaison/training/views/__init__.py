"""The training centre's pages, one module per area."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def refused(form, error):
    """Show a service's refusal at the top of the form that asked for the change."""
    reasons = error.messages if isinstance(error, ValidationError) else [str(error)]
    form.add_error(None, _("Nothing was saved: %(reason)s") % {"reason": " ".join(reasons)})
