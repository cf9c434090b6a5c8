"""The pages of the content origin (``training.player``): the player around a package, the
package's files and the address its runtime commits to.

None of them knows the learner's session: the attempt's token in the address is the only
credential, checked here on every request, and it opens this attempt and nothing else. The
package's files may run inline scripts (authoring tools write them) because this origin holds
nothing of Liaison's; they may be framed only by the player, and the player only by Liaison.
"""

import json
import mimetypes

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from .. import player, scorm
from ..services import TrainingError
from ..services import content as content_services
from ..services import player as services

COMMIT_MAX_BYTES = 1024 * 1024
# What package pages may do on the content origin: run their own inline scripts and styles,
# show their media, talk to this origin only (their commits), never post elsewhere.
PACKAGE_POLICY = {
    "default-src": ["'self'", "data:", "blob:"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'", "blob:"],
    "style-src": ["'self'", "'unsafe-inline'", "data:"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}


def _attempt(token):
    attempt = services.attempt_for_token(token)
    if attempt is None:
        raise Http404(_("This player has expired. Open the lesson again."))
    return attempt


@require_GET
@xframe_options_exempt
def play(request, token):
    """The player: table of contents, previous and next, status, and the package's frame."""
    attempt = _attempt(token)
    config = services.player_config(attempt)
    config["commitUrl"] = f"{player.PLAY_PREFIX}{token}/commit/"
    config["filesUrl"] = f"{player.PLAY_PREFIX}{token}/files/"
    package = attempt.package
    response = render(
        request,
        "training/player/player.html",
        {
            "package": package,
            "attempt": attempt,
            "config": config,
            "items": config["items"],
            "multiple": len(package.scos) > 1,
            "runtime": "scorm12.min.js" if package.version == "1.2" else "scorm2004.min.js",
        },
    )
    response._csp_replace = {
        "frame-ancestors": [player.site_origin(request)],
        "frame-src": ["'self'"],
    }
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
@xframe_options_exempt
def play_file(request, token, path):
    """A file of the attempt's package, framed by the player only."""
    attempt = _attempt(token)
    target = scorm.package_file(content_services.package_folder(attempt.package), path)
    if target is None:
        raise Http404(_("No such file in the package."))
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    response = FileResponse(open(target, "rb"), content_type=content_type)  # noqa: SIM115
    # Framed by the player (this origin) inside Liaison's page: both are ancestors.
    response._csp_config = PACKAGE_POLICY | {
        "frame-ancestors": ["'self'", player.site_origin(request)]
    }
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, max-age=600"
    return response


def _answer(ok: bool, status=200, error="", code=0):
    body = {"result": "true" if ok else "false", "errorCode": code}
    if error:
        body["error"] = error
    return JsonResponse(body, status=status)


@csrf_exempt  # No cookie authenticates here: the token in the address does.
@require_POST
def play_commit(request, token):
    """Where the runtime posts a SCO's data (JSON, also as text from navigator.sendBeacon),
    answered as scorm-again expects."""
    attempt = services.attempt_for_token(token)
    if attempt is None:
        return _answer(False, 403, _("This player has expired. Open the lesson again."), 101)
    if len(request.body) > COMMIT_MAX_BYTES:
        return _answer(False, 400, _("The runtime data is too large."), 101)
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _answer(False, 400, _("The runtime data is not valid JSON."), 101)
    try:
        services.record_commit(attempt, data)
    except TrainingError as error:
        return _answer(False, 400, str(error), 101)
    return _answer(True)
