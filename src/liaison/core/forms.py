"""Forms of the account pages that core holds."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .tokens import TokenLifetime, TokenScope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, so you recognise it later (e.g. “nightly export”)."),
    )
    scope = forms.ChoiceField(
        label=_("Access"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        help_text=_("Read only unless the script must change data."),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        choices=TokenLifetime.choices,
        coerce=int,
        initial=TokenLifetime.QUARTER,
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name
