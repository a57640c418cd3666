"""Playing H5P content and receiving its results.

The player runs in its own frame page, sandboxed (opaque origin) by the
iframe attribute and by the page's Content-Security-Policy, so H5P's
JavaScript can neither read the platform's cookies nor send requests as the
learner. It reaches its files through a signed, expiring token in the URL,
and hands xAPI statements to the module page with postMessage; the module
page posts them with the learner's session and CSRF token.

The frame never learns who the learner is: H5P is given an opaque account (an
HMAC of the user's id, the same for every content item) as its xAPI actor,
never a name or an e-mail address; the server knows the learner from the
session. Each statement carries a signed token bound to the learner, the
module, the block and the content the frame was opened for, so a frame can
report only on its own block.
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.storage import private_storage
from courses import selectors as course_selectors
from people.mfa import privileges_usable

from . import results
from .activities import H5P
from .models import H5PContent, H5PLibrary, H5PResult, H5PStatus
from .xapi import MAX_STATEMENT_BYTES, StatementRejected, actor_for, statement_parse

TOKEN_SALT = "h5p-player-files"  # noqa: S105 - a signing namespace, not a secret
TOKEN_MAX_AGE = 6 * 60 * 60
XAPI_TOKEN_SALT = "h5p-player-xapi"  # noqa: S105 - a signing namespace, not a secret
XAPI_TOKEN_MAX_AGE = 24 * 60 * 60
ACTOR_SALT = "h5p.xapi.actor"
MAX_STATE_BYTES = 64 * 1024
PLAYER_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self' data:; connect-src 'self'; "
    "frame-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; "
    "sandbox allow-scripts allow-downloads"
)
FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox"


def _module_block(request, module_id: int, block_id: str):
    """The module and its H5P block, if the user may see the module (enrolled, or an editor); else 404.

    Returns (module, block value with its content loaded, the enrolment or None for an editor)."""
    # An editor previews only with the second factor a privileged user needs (people.mfa), as on
    # the module page itself: the player and its files are outside the guarded paths.
    module, _course, enrolment = course_selectors.live_module_for_learner(
        user=request.user, module_id=module_id, allow_editors=privileges_usable(request)
    )
    block = course_selectors.module_block(module, block_id=block_id, block_type=H5P)
    content = H5PContent.objects.filter(pk=(block or {}).get("value", {}).get("content")).first()
    if content is None:
        raise Http404
    return module, {**block["value"], "content": content}, enrolment


def _player_url(request, module_id: int, block_id: str) -> str:
    return request.build_absolute_uri(reverse("h5p:player", args=[module_id, block_id]))


def _account_name(request) -> str:
    return salted_hmac(ACTOR_SALT, str(request.user.pk)).hexdigest()[:32]


def _actor(request) -> dict:
    """The learner as the player knows them: an opaque account, the same for every item."""
    return actor_for(home_page=request.build_absolute_uri("/"), account_name=_account_name(request))


def _xapi_claims(request, module_id: int, block_id: str, content: H5PContent) -> dict:
    # The learner by their opaque account: the token is readable (signed, not encrypted) in the frame.
    return {"a": _account_name(request), "m": module_id, "b": block_id, "c": str(content.uuid)}


def _xapi_token(request, module_id: int, block_id: str, content: H5PContent) -> str:
    return signing.dumps(_xapi_claims(request, module_id, block_id, content), salt=XAPI_TOKEN_SALT)


def _check_xapi_token(request, token: str, module_id: int, block_id: str, content: H5PContent) -> None:
    """The statement must come from a frame opened by this learner for this block and content."""
    try:
        data = signing.loads(token, salt=XAPI_TOKEN_SALT, max_age=XAPI_TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise StatementRejected(
            gettext("Aktiviteten er utløpt eller ikke åpnet riktig. Last inn siden på nytt."), status=403
        ) from None
    if data != _xapi_claims(request, module_id, block_id, content):
        raise StatementRejected(gettext("Utsagnet hører ikke til aktiviteten som ble åpnet."), status=403)


@login_required
def player(request, module_id: int, block_id: str):
    module, value, enrolment = _module_block(request, module_id, block_id)
    content: H5PContent = value["content"]
    if content.status != H5PStatus.READY:
        return render(request, "h5p/not_ready.html", {"content": content}, status=503)
    result = None
    actor = _actor(request)
    if enrolment is not None:
        result = results.result_open(user=request.user, module=module, block_id=block_id, block_value=value)
    token = signing.dumps(
        # The frame can read (not forge) this token: the content and the learner's result row, never
        # who the learner is.
        {"c": str(content.uuid), "r": result.pk if result else None}, salt=TOKEN_SALT
    )
    files = reverse("h5p:files", args=[token, ""])
    player_options = {
        "h5pJsonPath": files.rstrip("/"),
        "librariesPath": f"{files}libraries",
        "frameJs": static("h5p-standalone/frame.bundle.js"),
        "frameCss": static("h5p-standalone/styles/h5p.css"),
        "id": str(content.uuid),
        "embedType": "div",  # our frame page is already the sandbox; a nested frame could not be reached
        "frame": False,
        "copyright": False,
        "export": False,
        "embed": False,
        "icon": False,
        "fullScreen": True,
        # Never the learner's name or address: content scripts can read this (see _actor).
        "user": {"name": actor["account"]["name"], "mail": ""},
        "saveFreq": 10 if result else False,
        "contentUserData": [{"state": result.state}] if result and result.state else [],
        "ajax": {"contentUserDataUrl": reverse("h5p:state", args=[token]) if result else ""},
        "customCss": [],
        "reportingIsEnabled": True,
        "xAPIObjectIRI": _player_url(request, module_id, block_id),
    }
    response = render(
        request,
        "h5p/player.html",
        {
            "content": content,
            "options": {
                "player": player_options,
                "parentOrigin": request.build_absolute_uri("/").rstrip("/"),
                "actor": actor,
                "xapiToken": _xapi_token(request, module_id, block_id, content) if result else "",
            },
            "language": translation.get_language(),
        },
    )
    response["Content-Security-Policy"] = PLAYER_CSP
    response["Cache-Control"] = "private, no-store"
    return response


def _token_data(token: str) -> dict:
    try:
        return signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None


def files(request, token: str, path: str):
    """h5p.json, content files and library files for a player holding a valid token."""
    data = _token_data(token)
    content = get_object_or_404(H5PContent, uuid=data["c"], status=H5PStatus.READY)
    if "\\" in path or any(part in {"..", ""} for part in PurePosixPath(path).parts) or path.startswith("/"):
        raise Http404
    if path == "h5p.json":
        response = HttpResponse(json.dumps(content.h5p_json), content_type="application/json")
    else:
        top, _, rest = path.partition("/")
        if top == "content" and rest:
            name = content.content_prefix + rest
        elif top == "libraries" and "/" in rest:
            directory, _, inner = rest.partition("/")
            machine_name, _, version = directory.rpartition("-")
            major, _, minor = version.partition(".")
            if (
                not (major.isdigit() and minor.isdigit())
                or not H5PLibrary.objects.filter(
                    machine_name=machine_name, major_version=int(major), minor_version=int(minor)
                ).exists()
            ):
                raise Http404
            name = f"h5p/libraries/{directory}/{inner}"
        else:
            raise Http404
        if not private_storage.exists(name):
            raise Http404
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = FileResponse(private_storage.open(name, "rb"), content_type=content_type)
    # The frame has an opaque origin, so its fetches are cross-origin; the token is the credential.
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "private, max-age=3600"
    return response


@csrf_exempt  # called by H5P inside the sandboxed frame, without cookies; the signed token authenticates
@require_http_methods(["GET", "POST", "OPTIONS"])
def state(request, token: str, data_type: str = "state", sub_content_id: str = "0"):
    """Save the learner's H5P state so they can continue where they left off."""
    if request.method == "OPTIONS":  # CORS preflight from the frame's opaque origin
        response = HttpResponse(status=204)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Allow-Methods"] = "POST"
        response["Access-Control-Allow-Headers"] = "Content-Type, X-Requested-With"
        return response
    data = _token_data(token)
    if not data.get("r"):
        raise Http404
    result = get_object_or_404(H5PResult, pk=data["r"])  # the signature vouches for the pairing
    if request.method == "GET":
        response = JsonResponse({"success": True, "data": result.state or False})
        response["Access-Control-Allow-Origin"] = "*"
        return response
    payload = request.POST.get("data", "")
    if len(payload.encode()) > MAX_STATE_BYTES:
        return JsonResponse({"success": False, "message": "Tilstanden er for stor."}, status=413)
    if request.POST.get("invalidate") == "1" or payload in ("", "RESET"):
        payload = ""
    H5PResult.objects.filter(pk=result.pk).update(state=payload)
    response = JsonResponse({"success": True})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_required
@require_POST
def xapi(request, module_id: int, block_id: str):
    """An xAPI statement from the player, forwarded by the module page (session + CSRF).

    The body is refused unread if it says it is larger than MAX_STATEMENT_BYTES (413); the
    statement must carry the token of a frame opened by this learner for this block."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_STATEMENT_BYTES:
        return JsonResponse({"error": gettext("Utsagnet er for stort.")}, status=413)
    module, value, enrolment = _module_block(request, module_id, block_id)
    if enrolment is None:
        return JsonResponse({"error": gettext("Du er ikke påmeldt kurset.")}, status=403)
    try:
        parsed = statement_parse(
            request.body,
            expected_object_iri=_player_url(request, module_id, block_id),
            learner_email=request.user.email,
            actor=_actor(request),
        )
        _check_xapi_token(request, parsed.token, module_id, block_id, value["content"])
    except StatementRejected as rejected:
        return JsonResponse({"error": str(rejected)}, status=rejected.status)
    completed = results.statement_record(
        user=request.user,
        module=module,
        block_id=block_id,
        block_value=value,
        parsed=parsed,
        enrolment=enrolment,
    )
    return JsonResponse({"ok": True, "completed": completed})
