"""The client of an external learning record store: one statement sent, and what went wrong.

A statement is sent with ``PUT <LIAISON_LRS_URL>/statements?statementId=<id>`` (xAPI 1.0.3,
section 7.2.1): the id is Liaison's own, so sending it twice is harmless, and a store that
already holds it answers 204 (or 409). Only the standard library speaks HTTP here, so no
dependency is added for one request; redirects of a PUT are not followed.
"""

import base64
import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

VERSION = "1.0.3"
# The longest error kept: a store's answer is read only this far.
ERROR_CHARS = 500
RETRIABLE_STATUSES = {408, 429, 500, 502, 503, 504}


class LrsError(Exception):
    """The store did not take the statement. ``retriable`` when trying later may succeed (no
    answer, a 5xx, a 429); ``retry_after`` the seconds the store asked to wait, if it did."""

    def __init__(self, message: str, *, retriable: bool, retry_after: int | None = None):
        super().__init__(message)
        self.retriable = retriable
        self.retry_after = retry_after


@dataclass
class Sent:
    status: int
    note: str = ""


def _headers() -> dict:
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-Experience-API-Version": VERSION,
        "User-Agent": "Liaison",
    }
    if settings.LRS_USERNAME or settings.LRS_PASSWORD:
        pair = f"{settings.LRS_USERNAME}:{settings.LRS_PASSWORD}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    return headers


def _retry_after(value: str | None) -> int | None:
    """Seconds from a Retry-After header given in seconds (a date is ignored)."""
    if value and value.strip().isdigit():
        return int(value.strip())
    return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def statements_url(statement_id: str) -> str:
    query = urllib.parse.urlencode({"statementId": statement_id})
    return f"{settings.LRS_URL}/statements?{query}"


def send(statement: dict) -> Sent:
    """Send one statement (as stored) to the configured store; raises ``LrsError``."""
    if not settings.LRS_URL:
        raise LrsError(_("No learning record store is configured."), retriable=False)
    url = statements_url(statement["id"])
    if not url.lower().startswith(("https://", "http://")):
        raise LrsError(_("The learning record store's address is not http(s)."), retriable=False)
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=json.dumps(statement).encode("utf-8"), headers=_headers(), method="PUT"
    )
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=settings.LRS_TIMEOUT) as response:
            return Sent(response.status)
    except urllib.error.HTTPError as error:
        status = error.code
        try:
            body = error.read(ERROR_CHARS).decode("utf-8", "replace").strip()
        except OSError:
            body = ""
        finally:
            error.close()
        if status == 409:
            # Liaison's ids are random UUIDs and a statement never changes: the store has it.
            return Sent(status, _("The store already held this statement (409)."))
        message = _("The store answered %(status)s %(reason)s") % {
            "status": status,
            "reason": error.reason or "",
        }
        if body:
            message = f"{message.strip()}: {body}"
        raise LrsError(
            message[:ERROR_CHARS],
            retriable=status in RETRIABLE_STATUSES or status >= 500,
            retry_after=_retry_after(error.headers.get("Retry-After")),
        ) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise LrsError(
            (_("No answer from the store: %(reason)s") % {"reason": reason})[:ERROR_CHARS],
            retriable=True,
        ) from None
