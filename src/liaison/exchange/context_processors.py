from django.utils.functional import SimpleLazyObject

from .permissions import can_see_statistics, holds_exchange_role


def exchange(request):
    """For the navigation: whether the visitor holds an exchange role (the Requests link) and
    whether they may see the exchange's statistics without one (the network's secretariat,
    Liaison's staff). Each is asked only when a template reads it."""
    user = getattr(request, "user", None)
    role = SimpleLazyObject(lambda: bool(user and holds_exchange_role(user)))
    statistics = SimpleLazyObject(lambda: bool(user and can_see_statistics(user)[0]))
    return {"has_exchange_role": role, "may_see_exchange_statistics": statistics}
