"""The H5P player on an origin of its own (H5P_PLAYER_ORIGIN), so that browsers cache its files.

Without the setting the player frame is sandboxed into an opaque origin on the platform's own host
(h5p/views.py), and Chromium keeps nothing in its HTTP cache for such a frame. With it, the module
page frames `<H5P_PLAYER_ORIGIN>/h5p/spill/<module>/<block>/?billett=<ticket>`: a second host name
of the same app servers, a real origin of its own (like googleusercontent.com, or Moodle's separate
content domain), where the frame's files are cached like any site's.

That host never sees the learner's cookies (the session and CSRF cookies are host-only on the
platform's host; h5p.checks refuses a cookie domain that covers the player host), so the frame page
is authorised by a ticket in its address instead: signed with a salt of its own, valid for
H5P_PLAYER_TICKET_MAX_AGE seconds (5 minutes), and bound to the learner (id, and a digest of their
session's auth hash, so a password change voids it), the module, the block, the content item and the
platform origin that framed it. A ticket that leaks opens only that block's player for that learner,
for minutes; it cannot act on the platform (xAPI statements go through the module page with the
session and the CSRF token), and it names the learner only by database id, never name or address.

PlayerHostMiddleware keeps the two hosts apart: on the player host only the player and its file
routes answer (everything else is 404, static files excepted, which WhiteNoise serves on both),
and on the platform's host those routes are 404 while the setting is on. Every answer of the player
host may be framed by the platform only (frame-ancestors, no X-Frame-Options): its error pages
(ticket refused, content not ready, not found) are shown in the module page's frame as well, in
Norwegian, instead of the browser's refusal to show a framed page of another origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpResponseNotFound
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac

from core import app_settings as core_app_settings

from . import app_settings

TICKET_SALT = "h5p-player-ticket"  # noqa: S105 - a signing namespace, not a secret
TICKET_AUTH_SALT = "h5p-player-ticket-auth"  # noqa: S105 - a signing namespace, not a secret
TICKET_PARAMETER = "billett"
# The views that answer on the player host (and only there, once it is set); see h5p/urls.py.
PLAYER_VIEWS = {"player", "state", "content_files", "library_files", "library_bundle"}
DEFAULT_PORTS = {"http": 80, "https": 443}


def player_origin() -> str:
    """ "scheme://host[:port]" of the player, or "" when the player runs sandboxed on the platform."""
    return app_settings.H5P_PLAYER_ORIGIN


def origin_host(origin: str) -> str:
    """The Host header a request to `origin` carries: host, and the port unless it is the default."""
    parts = urlsplit(origin)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        return ""
    if port and port != DEFAULT_PORTS.get(parts.scheme):
        return f"{host}:{port}"
    return host


def on_player_host(request) -> bool:
    origin = player_origin()
    return bool(origin) and request.get_host().lower() == origin_host(origin)


def platform_origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _auth_binding(user) -> str:
    # A digest of the session auth hash (itself a digest of the password hash): readable in the
    # frame's address, so never the hash a session cookie is checked against.
    return salted_hmac(TICKET_AUTH_SALT, user.get_session_auth_hash()).hexdigest()[:32]


def ticket_for(request, *, module_id: int, block_id: str, content, allow_editors: bool) -> str:
    """The signed ticket the player host opens this block's player with, for the signed-in learner."""
    claims = {
        "u": request.user.pk,
        "h": _auth_binding(request.user),
        "m": module_id,
        "b": block_id,
        "c": str(content.uuid),
        "o": platform_origin(request),
        "e": bool(allow_editors),
        "l": translation.get_language() or "",
    }
    return signing.dumps(claims, salt=TICKET_SALT)


def frame_src(request, *, module_id: int, block_id: str, content, allow_editors: bool) -> str:
    path = reverse("h5p:player", args=[module_id, block_id])
    ticket = ticket_for(
        request, module_id=module_id, block_id=block_id, content=content, allow_editors=allow_editors
    )
    return f"{player_origin()}{path}?{urlencode({TICKET_PARAMETER: ticket})}"


class TicketRejected(Exception):
    pass


@dataclass(frozen=True)
class Ticket:
    user: object
    content_uuid: str
    origin: str
    allow_editors: bool
    language: str


def ticket_check(token: str, *, module_id: int, block_id: str) -> Ticket:
    """The ticket's learner and what it was issued for, if it is genuine, fresh and for this block;
    else TicketRejected. The caller checks the content item against the block's."""
    try:
        claims = signing.loads(token, salt=TICKET_SALT, max_age=app_settings.H5P_PLAYER_TICKET_MAX_AGE)
        user_id, binding = int(claims["u"]), str(claims["h"])
        bound_to = (int(claims["m"]), str(claims["b"]))
        ticket = (str(claims["c"]), str(claims["o"]), bool(claims["e"]), str(claims["l"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise TicketRejected from None
    if bound_to != (module_id, block_id):
        raise TicketRejected
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not constant_time_compare(_auth_binding(user), binding):
        raise TicketRejected
    return Ticket(user, *ticket)


def _is_player_route(request) -> bool | None:
    """Whether the path is one of the player's routes; None if it is no route at all."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None
    return match.func.__module__ == "h5p.views" and match.func.__name__ in PLAYER_VIEWS


def platform_origin_setting() -> str:
    """ "scheme://host[:port]" of PLATFORM_BASE_URL: who may frame the player host's pages that no
    ticket vouches for (an error page's ticket may be forged; the player page uses its ticket's)."""
    parts = urlsplit(core_app_settings.PLATFORM_BASE_URL or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in DEFAULT_PORTS and parts.netloc else ""


def _framed_by_the_platform(response):
    """The platform's pages may frame this player host response, and nothing else may."""
    ancestors = platform_origin_setting() or "'none'"
    response.xframe_options_exempt = True
    if response.has_header("X-Frame-Options"):  # set by XFrameOptionsMiddleware (inside this one)
        del response["X-Frame-Options"]
    policy = response.get("Content-Security-Policy")
    if policy is None:  # django-csp's site policy comes next: its frame-ancestors replaced
        replace = dict(getattr(response, "_csp_replace", None) or {})
        replace["frame-ancestors"] = [ancestors]
        response._csp_replace = replace
    elif "frame-ancestors" not in policy:  # the file responses' own policy (h5p.views.FILE_CSP)
        response["Content-Security-Policy"] = f"{policy}; frame-ancestors {ancestors}"
    return response


class PlayerHostMiddleware:
    """With H5P_PLAYER_ORIGIN set: on the player host only the player and its files answer, on the
    platform's host everything else, and the platform's pages may frame the player host.

    Placed before the session middleware, so a request to the player host never reads a session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = player_origin()
        if not origin:
            return self.get_response(request)
        player_route = _is_player_route(request)
        if on_player_host(request):
            if not player_route:
                response = HttpResponseNotFound("Ikke funnet.", content_type="text/plain; charset=utf-8")
            else:
                response = self.get_response(request)
            return _framed_by_the_platform(response)
        if player_route:
            return HttpResponseNotFound("Ikke funnet.", content_type="text/plain; charset=utf-8")
        response = self.get_response(request)
        update = dict(getattr(response, "_csp_update", None) or {})
        frame_sources = update.get("frame-src") or []
        update["frame-src"] = [
            *([frame_sources] if isinstance(frame_sources, str) else frame_sources),
            origin,
        ]
        response._csp_update = update
        return response
