"""A limit on certificate look-ups, so that codes cannot be guessed by trying them in bulk."""

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

VERIFY_LIMIT = 60
VERIFY_WINDOW = 600  # seconds


def verification_throttled(request) -> bool:
    """Whether this address has used up its look-ups for the window; pages and API share it."""
    # The same address the sign-in throttles count by, so a proxy is seen through alike.
    try:
        address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # no address at all: they share one count
        address = ""
    key = f"training-verify:{address}"
    cache.add(key, 0, VERIFY_WINDOW)
    try:
        return cache.incr(key) > VERIFY_LIMIT
    except ValueError:  # expired between add and incr
        return False
