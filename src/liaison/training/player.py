"""Where package content runs: the content origin.

SCORM packages are written by authoring tools whose pages carry inline scripts and event
handlers, which Liaison's own policy (``script-src 'self'``) forbids, and whose scripts would,
on Liaison's origin, act with the learner's session. So a package plays on another origin,
``LIAISON_CONTENT_ORIGIN`` (for example ``https://content.liaison.example``, best on another
registrable domain): there the learner's session cookie does not exist, inline scripts are
allowed, and the only credential is the attempt's token in the address, which reads the
package's files and writes that attempt's tracking data and nothing else.

Without the setting, a development server (``make run``) uses the other name of the loopback
address: a page on ``127.0.0.1`` plays content from ``localhost`` and the other way round,
two different sites for the browser. Anywhere else packages do not play until it is set.

``ContentOriginMiddleware`` keeps the two apart: on the content origin only ``/play/`` and
``/static/`` answer; ``/play/`` answers nowhere else, and never to a request that carries a
Liaison session cookie (a package that sends the browser to ``/play/`` on Liaison's own origin
would otherwise run there with the learner's rights).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.http import HttpResponseForbidden, HttpResponseNotFound

PLAY_PREFIX = "/play/"
LOOPBACK = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}


def configured_origin() -> str:
    return (getattr(settings, "TRAINING_CONTENT_ORIGIN", "") or "").rstrip("/")


def _host_and_port(request) -> tuple[str, str]:
    host = request.get_host()
    name, _sep, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    return name.lower(), port


def content_origin(request) -> str | None:
    """The origin packages play from for a page served by ``request``; None when there is
    none (not configured, and not a development server on the loopback address)."""
    configured = configured_origin()
    if configured:
        return configured
    name, port = _host_and_port(request)
    other = LOOPBACK.get(name)
    if other is None:
        return None
    return f"{request.scheme}://{other}" + (f":{port}" if port else "")


def site_origin(request) -> str:
    """The origin that frames the player: Liaison's own, seen from the content origin."""
    if configured_origin():
        parts = urlsplit(settings.SITE_URL)
        return f"{parts.scheme}://{parts.netloc}"
    name, port = _host_and_port(request)
    other = LOOPBACK.get(name, name)
    return f"{request.scheme}://{other}" + (f":{port}" if port else "")


def _is_content_host(request) -> bool:
    configured = configured_origin()
    if not configured:
        return False
    return request.get_host().lower() == urlsplit(configured).netloc.lower()


class ContentOriginMiddleware:
    """Serve package content only on the content origin, and nothing else there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        playing = request.path.startswith(PLAY_PREFIX)
        if _is_content_host(request):
            misplaced = not (playing or request.path.startswith(settings.STATIC_URL))
        else:
            misplaced = playing and (
                bool(configured_origin()) or _host_and_port(request)[0] not in LOOPBACK
            )
        if misplaced:
            return HttpResponseNotFound("Not found", content_type="text/plain")
        if playing and settings.SESSION_COOKIE_NAME in request.COOKIES:
            return HttpResponseForbidden(
                "Package content is not served where you are signed in.", content_type="text/plain"
            )
        return self.get_response(request)


@checks.register(checks.Tags.security)
def check_content_origin(app_configs=None, **kwargs):
    """A content origin that is Liaison's own would run packages with the learner's rights;
    none at all leaves packages unplayable outside a development server."""
    configured = configured_origin()
    site = urlsplit(settings.SITE_URL)
    if configured and urlsplit(configured).netloc.lower() == site.netloc.lower():
        return [
            checks.Error(
                "LIAISON_CONTENT_ORIGIN is Liaison's own origin.",
                hint="Serve packages from another host, best on a domain of its own.",
                id="training.E001",
            )
        ]
    if not configured and not settings.DEBUG:
        return [
            checks.Warning(
                "LIAISON_CONTENT_ORIGIN is not set: SCORM packages will not play.",
                hint="Set it to a host of its own that the web server also sends to Liaison.",
                id="training.W001",
            )
        ]
    return []
