"""Search across the requests one may open, never beyond them: by the names, document numbers,
plates and telephone numbers of their entities (through blind tokens, ``crypto``), by crime
area and by date. Every request a search shows is a read, and is logged as one.
"""

from .crypto import tokens
from .models import ReadWhat, SearchToken
from .permissions import units_of, visible_requests
from .readlog import record


def search(user, text: str = "", crime_area: str = "", sent_from=None, sent_to=None):
    """The requests ``user`` may open that match every word of ``text`` and the filters."""
    found = visible_requests(user).exclude(status="draft")
    for token in tokens(text):
        found = found.filter(pk__in=SearchToken.objects.filter(token=token).values("request"))
    if crime_area:
        found = found.filter(crime_area=crime_area)
    if sent_from:
        found = found.filter(sent_at__date__gte=sent_from)
    if sent_to:
        found = found.filter(sent_at__date__lte=sent_to)
    return found.select_related("sender").order_by("-sent_at", "-pk")


def log_hits(user, requests, text: str):
    """Note each request a search showed to ``user`` (the words searched are not kept)."""
    unit = units_of(user).first()
    for request in requests:
        record(user, request, ReadWhat.SEARCH, "", unit)
