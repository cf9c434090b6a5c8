"""allauth's forms with the site's wording."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """Sign-in by username or e-mail: the label says both, and browsers fill a username."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = _("Username or e-mail")
        field.widget.attrs["autocomplete"] = "username"
        field.widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
