"""allauth's forms with the site's wording."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
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


class EmailLabel:
    """allauth's "Email" field says "E-mail", as the rest of the site does, without a
    placeholder repeating the label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "email" in self.fields:
            self.fields["email"].label = _("E-mail")
            self.fields["email"].widget.attrs.pop("placeholder", None)


class ResetPasswordForm(EmailLabel, AllauthResetPasswordForm):
    """Asking for a link to set a new password."""


class SignupForm(EmailLabel, AllauthSignupForm):
    """Sign-up asks for the person's name, so the account and the directory person made when
    the address is verified carry it rather than the username."""

    # The whole name goes into the account's first and last name (150 characters each).
    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    field_order = ["name", "email", "username", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def signup(self, request, user):
        """allauth's hook, called once the account is saved: the name is split as an
        invitation splits a person's name (first word, then the rest), so
        ``user.get_full_name()`` gives it back whole."""
        user.first_name, _sep, user.last_name = self.cleaned_data["name"].partition(" ")
        user.save(update_fields=["first_name", "last_name"])
