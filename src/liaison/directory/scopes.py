"""Which institutions and networks an account acts for: the one place every app's
``permissions.py`` asks when a right depends on a scope rather than on a platform-wide role.

Each function returns a lazy queryset of organisations (or networks), so callers use it as a
subquery (``institution__in=administered_organisations(user)``): a list costs the same number
of queries for ten rows or ten thousand. Only memberships that hold today count; an ended
membership keeps its history and gives no rights.
"""

from .models import (
    Affiliation,
    Network,
    NetworkAffiliation,
    NetworkRole,
    Organisation,
    OrganisationRole,
)


def signed_in(user) -> bool:
    """An active, authenticated account: the first question of every permission check."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def organisations_of(user, *roles):
    """The organisations in which ``user``'s person holds a current membership (of one of
    ``roles`` when given)."""
    if not signed_in(user):
        return Organisation.objects.none()
    memberships = Affiliation.objects.of_user(user).current()
    if roles:
        memberships = memberships.filter(role__in=roles)
    return Organisation.objects.filter(pk__in=memberships.values("organisation"))


def administered_organisations(user):
    """The institutions ``user`` administers: they see and manage its people and records."""
    return organisations_of(user, OrganisationRole.ADMINISTRATOR)


def administers(user, organisation) -> bool:
    """Whether ``user`` administers ``organisation`` (an instance or a primary key)."""
    if organisation is None:
        return False
    pk = getattr(organisation, "pk", organisation)
    return administered_organisations(user).filter(pk=pk).exists()


def networks_of(user, *roles):
    """The networks in which ``user``'s person holds a current membership."""
    if not signed_in(user):
        return Network.objects.none()
    memberships = NetworkAffiliation.objects.of_user(user).current()
    if roles:
        memberships = memberships.filter(role__in=roles)
    return Network.objects.filter(pk__in=memberships.values("network"))


def network_secretariats(user):
    """The networks whose secretariat ``user`` is part of."""
    return networks_of(user, NetworkRole.SECRETARIAT)
