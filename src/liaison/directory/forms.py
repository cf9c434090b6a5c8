"""Forms of the directory's own pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OrganisationRole, Person


class RoleForm(forms.Form):
    """Give one of an institution's people a role there, or change it. Only that institution's
    people are offered, and a forged id of anyone else fails validation."""

    person = forms.ModelChoiceField(queryset=Person.objects.none(), label=_("Person"))
    role = forms.ChoiceField(choices=OrganisationRole.choices, label=_("Role"))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.of_organisation(organisation).order_by(
            "name"
        )
