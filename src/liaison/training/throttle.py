"""A limit on certificate look-ups, so that codes cannot be guessed by trying them in bulk."""

from axes.helpers import get_client_ip_address
from django.core.cache import cache

VERIFY_LIMIT = 60
VERIFY_WINDOW = 600  # seconds


def verification_throttled(request) -> bool:
    """Whether this address has used up its look-ups for the window; pages and API share it."""
    # The same address the login lockout counts by, so a proxy is seen through alike.
    key = f"training-verify:{get_client_ip_address(request) or ''}"
    cache.add(key, 0, VERIFY_WINDOW)
    try:
        return cache.incr(key) > VERIFY_LIMIT
    except ValueError:  # expired between add and incr
        return False
