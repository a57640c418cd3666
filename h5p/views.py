"""Playing H5P content and receiving its results.

The player runs in its own frame page, sandboxed (opaque origin) by the
iframe attribute and by the page's Content-Security-Policy, so H5P's
JavaScript can neither read the platform's cookies nor send requests as the
learner. It hands xAPI statements to the module page with postMessage; the
module page posts them with the learner's session and CSRF token.

The frame fetches some fifty files per view. Chromium keeps nothing in its HTTP
cache for the requests of a sandboxed frame (its origin is opaque), so each view
would ask for all of them again; they are made cheap and cacheable elsewhere:
- The JSON files h5p-standalone reads first (h5p.json, content.json, every
  library.json) come with the frame page (`preloaded`, answered by
  js/h5p-sandbox-shims.js): a dozen requests fewer per view.
- The libraries' scripts and style sheets come joined, one file of each per
  content item (h5p/bundles.py, `h5p/bibliotek/<fingerprint>/samlet/<uuid>.js`):
  thirty-odd requests fewer per view.
- Library files (the joined ones, and fonts and images their style sheets
  name) are the same for everyone and
  hold no answers: they are served without a token at versioned addresses
  (`h5p/bibliotek/<fingerprint>/<Library-major.minor>/...`, the fingerprint
  naming the full versions, patch included, of the libraries the content uses),
  `public, max-age` one year, `immutable`, with an ETag, so the reverse proxy
  (or a CDN) can answer them for every learner. A patch upgrade changes the
  fingerprint, so no cache keeps an old file under a new address.
- The content's own files (h5p.json, content.json, media) are reached through
  a signed token bound to the content item and its version, the same for every
  learner and every render within a day, valid into the next day, and marked
  `private` with a max-age no longer than that. Only the player hands it out,
  to someone who may see the module. As everywhere with H5P, content.json holds
  what the content type needs to check an answer in the browser: the platform
  never scores from the frame's word alone (the xAPI checks in h5p.xapi), and
  the token gives no more than the player already gives a learner.
- The learner's saved state goes through its own per-render token, bound to
  the learner's result row (never cached).
- Both kinds of file answer If-None-Match with 304, and text is compressed
  (core/compression.py).

With H5P_PLAYER_ORIGIN set (h5p/player_origin.py), the frame is served instead from a second host
name of the same app servers, a real origin of its own where browsers do cache: the module page
frames `<origin>/h5p/spill/<module>/<block>/?billett=<ticket>`, the content and library files, the
joined files and the state come from that host, and a repeat visit asks it for the frame page only.
That host gets no cookie of the platform (host-only cookies; h5p.checks refuses a cookie domain
covering it), so the frame page is opened by the ticket: signed under its own salt, valid for a few
minutes, bound to the learner (id and a digest of their session auth hash), the module, the block,
the content and the platform origin that framed it. The page there is sandboxed with
allow-same-origin (its own origin, not the platform's) and may be framed by the platform only
(frame-ancestors); it posts to the platform's origin only, and the module page takes messages from
the player's origin only. Only the player and its files answer on that host, and nothing there can
act on the platform as the learner: statements still go through the module page (session, CSRF).
A leaked ticket opens only that block's player for that learner, for minutes.

The frame never learns who the learner is: H5P is given an opaque account (an
HMAC of the user's id, the same for every content item) as its xAPI actor,
never a name or an e-mail address; the server knows the learner from the
session. Each statement carries a signed token bound to the learner, the
module, the block and the content the frame was opened for, so a frame can
report only on its own block.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mimetypes
import time

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.middleware.gzip import re_accepts_gzip
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.storage import private_storage

from . import bundles, player_origin, results
from .access import account_name, module_block, xapi_claims
from .models import H5PContent, H5PLibrary, H5PResult, H5PStatus
from .xapi import MAX_STATEMENT_BYTES, StatementRejected, actor_for, statement_parse

TOKEN_SALT = "h5p-player-files"  # noqa: S105 - a signing namespace, not a secret
TOKEN_MAX_AGE = 6 * 60 * 60
XAPI_TOKEN_SALT = "h5p-player-xapi"  # noqa: S105 - a signing namespace, not a secret
XAPI_TOKEN_MAX_AGE = 24 * 60 * 60
MAX_STATE_BYTES = 64 * 1024
# The video services H5P.Video plays from, as h5p.validation lets content point to them: its YouTube
# handler loads https://www.youtube.com/iframe_api (which loads YouTube's widget script from the same
# host) and frames the video from youtube.com or youtube-nocookie.com; its Vimeo handler loads
# https://player.vimeo.com/api/player.js, asks vimeo.com's oEmbed endpoint for the embed and frames
# player.vimeo.com. Thumbnails come from their image hosts. No other third party.
VIDEO_SCRIPT_SOURCES = "https://www.youtube.com https://player.vimeo.com"
VIDEO_FRAME_SOURCES = "https://www.youtube.com https://www.youtube-nocookie.com https://player.vimeo.com"
VIDEO_IMAGE_SOURCES = "https://i.ytimg.com https://i.vimeocdn.com"
VIDEO_CONNECT_SOURCES = "https://vimeo.com"
PLAYER_CSP = (
    f"default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval' {VIDEO_SCRIPT_SOURCES}; "
    "style-src 'self' 'unsafe-inline'; "
    f"img-src 'self' data: blob: {VIDEO_IMAGE_SOURCES}; media-src 'self' blob:; font-src 'self' data:; "
    f"connect-src 'self' {VIDEO_CONNECT_SOURCES}; frame-src {VIDEO_FRAME_SOURCES}; "
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; "
    "sandbox allow-scripts allow-downloads"
)
logger = logging.getLogger(__name__)


def player_csp_own_origin(platform_origin: str) -> str:
    """PLAYER_CSP for the player on its own host: the frame keeps that origin (allow-same-origin, so
    its requests are cacheable) and only the platform may frame it."""
    return PLAYER_CSP.replace("frame-ancestors 'self'", f"frame-ancestors {platform_origin}").replace(
        "sandbox allow-scripts", "sandbox allow-scripts allow-same-origin"
    )


FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox"
CONTENT_TOKEN_SALT = "h5p-player-content"  # noqa: S105 - a signing namespace, not a secret
# A content address stays the same for a day (one cache entry per browser and day), and each stays
# valid until the end of the following day, so a page opened just before midnight still plays. The
# address is shared by every learner of the content: the period bounds how long one passed on (or
# kept by someone who has left the course) still works, at most two days. Browsers keep nothing in
# their cache for the sandboxed player frame anyway, so a longer period would buy little.
CONTENT_TOKEN_PERIOD = 24 * 60 * 60
LIBRARY_CACHE_CONTROL = "public, max-age=31536000, immutable"
# content.json up to this size goes into the player page (_preloaded_json); larger is fetched.
PRELOADED_CONTENT_JSON_BYTES = 512 * 1024


def _player_url(request, module_id: int, block_id: str, *, origin: str = "") -> str:
    """The activity's xAPI object: the player's address on the platform's origin (in both modes)."""
    if origin:
        return f"{origin}{reverse('h5p:player', args=[module_id, block_id])}"
    return request.build_absolute_uri(reverse("h5p:player", args=[module_id, block_id]))


def _actor(request, *, origin: str = "") -> dict:
    """The learner as the player knows them: an opaque account, the same for every item."""
    home_page = f"{origin}/" if origin else request.build_absolute_uri("/")
    return actor_for(home_page=home_page, account_name=account_name(request))


def _xapi_token(request, module_id: int, block_id: str, content: H5PContent) -> str:
    return signing.dumps(xapi_claims(request, module_id, block_id, content), salt=XAPI_TOKEN_SALT)


REPORT_TOKEN_SALT = "h5p-player-report"  # noqa: S105 - a signing namespace, not a secret


def report_token(request, module_id: int, block_id: str, content: H5PContent) -> str:
    """The token the frame sends with its reports (rendered, failed; h5p.frame_views): the same
    claims as the xAPI token, for editors previewing too, under its own salt."""
    return signing.dumps(xapi_claims(request, module_id, block_id, content), salt=REPORT_TOKEN_SALT)


def _check_xapi_token(request, token: str, module_id: int, block_id: str, content: H5PContent) -> None:
    """The statement must come from a frame opened by this learner for this block and content."""
    try:
        data = signing.loads(token, salt=XAPI_TOKEN_SALT, max_age=XAPI_TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise StatementRejected(
            gettext("Aktiviteten er utløpt eller ikke åpnet riktig. Last inn siden på nytt."), status=403
        ) from None
    if data != xapi_claims(request, module_id, block_id, content):
        raise StatementRejected(gettext("Utsagnet hører ikke til aktiviteten som ble åpnet."), status=403)


def player(request, module_id: int, block_id: str):
    """The player frame page: on the platform's host, sandboxed, for the signed-in learner; or on
    the player's own host (H5P_PLAYER_ORIGIN, h5p/player_origin.py) for the learner of its ticket."""
    if not player_origin.player_origin():
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _player(request, module_id, block_id, origin="", allow_editors=None)
    # Only the player host reaches here (PlayerHostMiddleware); it has no session: the ticket says who.
    try:
        ticket = player_origin.ticket_check(
            request.GET.get(player_origin.TICKET_PARAMETER, ""), module_id=module_id, block_id=block_id
        )
    except player_origin.TicketRejected:
        response = render(request, "h5p/ticket_rejected.html", status=403)
        response["Cache-Control"] = "private, no-store"
        return response
    request.user = ticket.user  # for this response only: nothing on this host keeps a login
    with translation.override(ticket.language or None):
        return _player(
            request,
            module_id,
            block_id,
            origin=ticket.origin,
            allow_editors=ticket.allow_editors,
            ticket=ticket,
        )


def _player(request, module_id: int, block_id: str, *, origin: str, allow_editors, ticket=None):
    module, value, enrolment = module_block(request, module_id, block_id, allow_editors=allow_editors)
    content: H5PContent = value["content"]
    if ticket is not None and ticket.content_uuid != str(content.uuid):
        raise Http404  # the block holds other content than when the module page was opened
    if content.status != H5PStatus.READY:
        return render(request, "h5p/not_ready.html", {"content": content}, status=503)
    result = None
    actor = _actor(request, origin=origin)
    if enrolment is not None:
        result = results.result_open(
            user=request.user, module=module, block_id=block_id, block_value=value, enrolment=enrolment
        )
    libraries = list(content.libraries.all())
    content_files = reverse("h5p:content_files", args=[content_token(content), ""])
    library_files = reverse("h5p:library_files", args=[libraries_fingerprint(libraries), ""]).rstrip("/")
    player_options = {
        "h5pJsonPath": content_files.rstrip("/"),
        "contentJsonPath": f"{content_files}content",
        "librariesPath": library_files,
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
        "ajax": {
            "contentUserDataUrl": reverse("h5p:state", args=[_state_token(content, result)]) if result else ""
        },
        "customCss": [],
        "reportingIsEnabled": True,
        "xAPIObjectIRI": _player_url(request, module_id, block_id, origin=origin),
    }
    response = render(
        request,
        "h5p/player.html",
        {
            "content": content,
            "options": {
                "player": player_options,
                "parentOrigin": origin or request.build_absolute_uri("/").rstrip("/"),
                "actor": actor,
                "xapiToken": _xapi_token(request, module_id, block_id, content) if result else "",
                "reportToken": report_token(request, module_id, block_id, content),
                "preloaded": _preloaded_json(
                    content, libraries, content_files=content_files, library_files=library_files
                ),
            },
            "language": translation.get_language(),
        },
    )
    if origin:
        # A real origin of its own, framed only by the platform: the browser caches its files.
        response["Content-Security-Policy"] = player_csp_own_origin(origin)
        response.xframe_options_exempt = True  # frame-ancestors says who may frame it
    else:
        response["Content-Security-Policy"] = PLAYER_CSP
    response["Cache-Control"] = "private, no-store"
    return response


def _state_token(content: H5PContent, result: H5PResult) -> str:
    # The frame can read (not forge) this token: the content and the learner's result row, never
    # who the learner is. New on every render, and never part of a cached address. Bound to the
    # package revision too: a frame opened before the package was replaced (h5p.replacement) must
    # not save a state of the old content over the new one.
    return signing.dumps({"c": str(content.uuid), "r": result.pk, "v": content.revision}, salt=TOKEN_SALT)


def _token_data(token: str) -> dict:
    try:
        return signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise Http404 from None


def _content_version(content: H5PContent) -> str:
    """What the content's addresses are bound to besides its id.

    Extracted files never change (a new package is a new item), but h5p.json is served from the
    row: should it ever change, the addresses change with it."""
    # A replaced package (a new revision, its own folder) has new addresses even with the same h5p.json.
    version = json.dumps(content.h5p_json, sort_keys=True)
    if content.revision > 1:
        version += f":{content.revision}"
    return hashlib.sha256(version.encode()).hexdigest()[:16]


def content_token(content: H5PContent, *, now: float | None = None) -> str:
    """The signed token of the content's file addresses: the same for every learner and render in
    a day (no timestamp), bound to the content item, its version and the day."""
    period = int((time.time() if now is None else now) // CONTENT_TOKEN_PERIOD)
    return signing.Signer(salt=CONTENT_TOKEN_SALT).sign_object(
        {"c": str(content.uuid), "v": _content_version(content), "p": period}
    )


def _content_for_token(token: str) -> tuple[H5PContent, int]:
    """The ready content item a token was made for, and the seconds the token has left; else 404."""
    try:
        data = signing.Signer(salt=CONTENT_TOKEN_SALT).unsign_object(token)
        uuid, version, period = str(data["c"]), str(data["v"]), int(data["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise Http404 from None
    seconds_left = int((period + 2) * CONTENT_TOKEN_PERIOD - time.time())
    if not 0 < seconds_left <= 2 * CONTENT_TOKEN_PERIOD:
        raise Http404
    content = H5PContent.objects.filter(uuid=uuid, status=H5PStatus.READY).first()
    if content is None or _content_version(content) != version:
        raise Http404
    return content, seconds_left


def libraries_fingerprint(libraries: list[H5PLibrary]) -> str:
    """A short digest of the full versions (patch included) of the libraries a content item uses.

    Part of the library addresses, so that upgrading a library's patch version, which rewrites its
    files in place, gives them new addresses. Content using the same libraries shares them (and
    any cache of them)."""
    versions = sorted(str(library) for library in libraries)  # "Machine.Name major.minor.patch"
    return hashlib.sha256("\n".join(versions).encode()).hexdigest()[:16]


def _preloaded_json(
    content: H5PContent, libraries: list[H5PLibrary], *, content_files: str, library_files: str
):
    """The JSON files h5p-standalone fetches before anything else, by address: h5p.json, content.json
    and every library.json, handed to the frame in its page (js/h5p-sandbox-shims.js answers the
    fetches), which saves a dozen requests per view that no browser cache can answer: Chromium
    keeps nothing in its HTTP cache for a sandboxed frame's requests (its origin is opaque)."""
    files = {f"{content_files}h5p.json": content.h5p_json}
    for library in libraries:
        files[f"{library_files}/{library.directory_name}/library.json"] = library.metadata
    if bundled := bundles.load_order(content, libraries):
        # Every script and style sheet comes joined (h5p/bundles.py): the libraries as the frame
        # sees them preload nothing of their own, and the last one to load preloads the two joined
        # files (addresses relative to its own folder).
        for library in bundled:
            files[f"{library_files}/{library.directory_name}/library.json"] = {
                **library.metadata,
                "preloadedJs": [],
                "preloadedCss": [],
            }
        last = f"{library_files}/{bundled[-1].directory_name}/library.json"
        files[last]["preloadedJs"] = [{"path": f"../samlet/{content.uuid}.js"}]
        files[last]["preloadedCss"] = [{"path": f"../samlet/{content.uuid}.css"}]
    try:
        with private_storage.open(f"{content.content_prefix}content.json", "rb") as handle:
            data = handle.read(PRELOADED_CONTENT_JSON_BYTES + 1)
        if len(data) <= PRELOADED_CONTENT_JSON_BYTES:
            files[f"{content_files}content/content.json"] = json.loads(data)
    except Exception:  # any storage's error: the frame fetches the file itself and meets it there
        logger.warning("content.json of H5P content %s could not be preloaded", content.pk, exc_info=True)
    return files


def _safe_path(path: str) -> None:
    """Only plain relative names: no backslash, no empty, "." or ".." segment (one address per file)."""
    if "\\" in path or any(part in {"", ".", ".."} for part in path.split("/")):
        raise Http404


def _etag(*parts: object) -> str:
    return '"{}"'.format(hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()[:24])


def _frame_file_headers(response: HttpResponse, *, cache_control: str, etag: str) -> HttpResponse:
    # The frame has an opaque origin, so its fetches are cross-origin: the address is the credential.
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = cache_control
    response["ETag"] = etag
    return response


def _serve(
    request,
    *,
    name: str | None,
    body: bytes | None = None,
    content_type: str = "application/json",
    cache_control: str,
    etag: str,
):
    """A stored file (`name`, through the storage API) or `body`, answering If-None-Match with 304
    before storage is asked anything."""
    headers = _frame_file_headers(HttpResponse(), cache_control=cache_control, etag=etag)
    not_modified = get_conditional_response(request, etag=etag, response=headers)
    if not_modified is not headers:
        not_modified["Access-Control-Allow-Origin"] = "*"
        return not_modified
    if body is not None:
        response = HttpResponse(body, content_type=content_type)
    else:
        if not private_storage.exists(name):
            raise Http404
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = FileResponse(private_storage.open(name, "rb"), content_type=content_type)
    return _frame_file_headers(response, cache_control=cache_control, etag=etag)


@require_http_methods(["GET", "HEAD"])
def content_files(request, token: str, path: str):
    """h5p.json and the content folder (content.json, media) of one content item, for a player
    holding the content's token; cacheable by the learner's browser until the token expires."""
    content, seconds_left = _content_for_token(token)
    _safe_path(path)
    cache_control = f"private, max-age={seconds_left}"
    etag = _etag(content.uuid, _content_version(content), path)
    if path == "h5p.json":
        return _serve(
            request,
            name=None,
            body=json.dumps(content.h5p_json).encode(),
            cache_control=cache_control,
            etag=etag,
        )
    top, _, rest = path.partition("/")
    if top != "content" or not rest:
        raise Http404
    return _serve(request, name=content.content_prefix + rest, cache_control=cache_control, etag=etag)


@require_http_methods(["GET", "HEAD"])
def library_files(request, fingerprint: str, path: str):
    """A file of an installed library version, the same for everyone: no token, cached for a year.

    The fingerprint only keys caches (see libraries_fingerprint); the library must be installed."""
    _safe_path(path)
    directory, _, inner = path.partition("/")
    machine_name, _, version = directory.rpartition("-")
    major, _, minor = version.partition(".")
    # isdecimal() and isascii(): "²".isdigit() is true, but int("²") fails.
    if not (inner and all(part.isascii() and part.isdecimal() for part in (major, minor))):
        raise Http404
    patch = (
        H5PLibrary.objects.filter(
            machine_name=machine_name, major_version=int(major), minor_version=int(minor)
        )
        .values_list("patch_version", flat=True)
        .first()
    )
    if patch is None:
        raise Http404
    return _serve(
        request,
        name=f"h5p/libraries/{directory}/{inner}",
        cache_control=LIBRARY_CACHE_CONTROL,
        etag=_etag(directory, patch, inner),
    )


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
    result = get_object_or_404(H5PResult.objects.select_related("content"), pk=data["r"])  # signed pairing
    if data.get("v", 1) != result.content.revision:
        replaced = gettext("Innholdet er byttet ut. Last inn siden på nytt.")
        response = JsonResponse({"success": False, "message": replaced}, status=409)
        response["Access-Control-Allow-Origin"] = "*"
        return response
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
    module, value, enrolment = module_block(request, module_id, block_id)
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


@require_http_methods(["GET", "HEAD"])
def library_bundle(request, fingerprint: str, content_uuid: str, kind: str):
    """Every script (or style sheet) a content item's libraries preload, joined (h5p/bundles.py):
    like the library files, the same for everyone and without answers, so public and immutable.

    An address with an older fingerprint (a page opened just before a library's patch upgrade) gets
    the current files, but not to be kept."""
    content = H5PContent.objects.filter(uuid=content_uuid, status=H5PStatus.READY).first()
    if content is None:
        raise Http404
    libraries = list(content.libraries.all())
    ordered = bundles.load_order(content, libraries)
    if not ordered:
        raise Http404
    current = libraries_fingerprint(libraries)
    library_files = reverse("h5p:library_files", args=[current, ""]).rstrip("/")
    plain, compressed, complete = bundles.bundle(
        content, ordered, kind=kind, fingerprint=current, library_files=library_files
    )
    gzipped = bool(re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")))
    etag = _etag("bundle", content.uuid, current, kind)
    response = _serve(
        request,
        name=None,
        body=compressed if gzipped else plain,
        content_type=bundles.KINDS[kind][1],
        cache_control=LIBRARY_CACHE_CONTROL if fingerprint == current and complete else "no-store",
        etag=f"W/{etag}" if gzipped else etag,  # as GZipMiddleware marks what it compressed
    )
    if gzipped and response.status_code == 200:
        response["Content-Encoding"] = "gzip"  # so core.compression leaves it as it is
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
