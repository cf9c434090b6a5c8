from .permissions import holds_exchange_role


def exchange(request):
    """Whether the visitor holds an exchange role, for the navigation's Requests link."""
    user = getattr(request, "user", None)
    return {"has_exchange_role": bool(user and holds_exchange_role(user))}
