"""Who may see and manage the people of an institution. Views and the API ask these, never
roles directly.

Each check returns ``(allowed, reason)``. Contact details are personal data: staff read them,
a person reads their own, and an institution's administrator reads those of its people. The
secretariat and an institution's administrators give and end roles in that institution.
"""

from django.utils.translation import gettext as _

from .models import Person
from .scopes import administered_organisations, administers, signed_in


def can_see_contact_details(user, person) -> tuple[bool, str]:
    if Person.objects.visible_to(user).filter(pk=person.pk).exists():
        return True, ""
    return False, _(
        "Contact details are shown to staff, to the person and to their institution's "
        "administrators only."
    )


def can_see_some_contacts(user) -> tuple[bool, str]:
    """The door to the list of people: staff, or an administrator of some institution."""
    if getattr(user, "is_liaison_staff", False):
        return True, ""
    if signed_in(user) and administered_organisations(user).exists():
        return True, ""
    return False, _("Contact details are shown to signed-in staff only.")


def can_manage_people(user, organisation) -> tuple[bool, str]:
    """See "People and roles" of ``organisation`` and give or end roles in it."""
    if not signed_in(user):
        return False, _("Sign in to manage an institution's people.")
    if user.is_secretariat or administers(user, organisation):
        return True, ""
    return False, _("Only the institution's administrators and the secretariat manage its people.")


def can_merge_people(user) -> tuple[bool, str]:
    """Finding and merging duplicate people reads everyone's details and rewrites their
    history: the secretariat's, as controller of the personal data."""
    if getattr(user, "is_secretariat", False):
        return True, ""
    return False, _("Only the secretariat finds and merges duplicate people.")
