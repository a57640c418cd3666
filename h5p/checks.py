"""System checks for the h5p app (registered in H5PConfig.ready())."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.checks import Error, Warning

from core.checks import number_setting_errors

from . import app_settings, player_origin

# The player from npm (h5p-standalone's dist folder), served as static files under this prefix.
PLAYER_SCRIPT = "h5p-standalone/main.bundle.js"


# (setting, smallest sensible value, whole number?)
LIMITS = [
    ("H5P_MAX_UPLOAD_BYTES", 1, True),
    ("H5P_MAX_ENTRIES", 1, True),
    ("H5P_MAX_COMPRESSION_RATIO", 1, False),
    ("H5P_MAX_INFLATED_BYTES", 1, True),
    ("H5P_MAX_JSON_BYTES", 1, True),
    ("H5P_EXTRACT_INLINE_BYTES", 0, True),
]


def settings_check(app_configs=None, **kwargs) -> list:
    errors = []
    for name, minimum, integer in LIMITS:
        value = getattr(app_settings, name)
        errors += number_setting_errors(name, value, minimum=minimum, check_id="h5p.E001", integer=integer)
    if errors:
        return errors
    if app_settings.H5P_MAX_INFLATED_BYTES < app_settings.H5P_MAX_UPLOAD_BYTES:
        # Inflating never makes an archive smaller than its stored bytes, so the packages
        # between the two limits pass the size check and are always refused when unpacked.
        errors.append(
            Error(
                "H5P_MAX_INFLATED_BYTES is smaller than H5P_MAX_UPLOAD_BYTES: packages the upload "
                "limit lets through would always be refused when unpacked.",
                hint="Raise H5P_MAX_INFLATED_BYTES or lower H5P_MAX_UPLOAD_BYTES.",
                id="h5p.E002",
            )
        )
    return errors


def player_check(app_configs=None, **kwargs) -> list:
    """The h5p-standalone player must be among the static files, or no H5P activity can play."""
    if finders.find(PLAYER_SCRIPT):
        return []
    return [
        Warning(
            f"The H5P player ({PLAYER_SCRIPT}) is not among the static files.",
            hint="Install h5p-standalone from npm and add its dist folder to STATICFILES_DIRS under the "
            "prefix 'h5p-standalone': ('h5p-standalone', BASE_DIR / 'node_modules/h5p-standalone/dist').",
            id="h5p.W001",
        )
    ]


def _cookie_domain_covers(domain: str | None, host: str) -> bool:
    """Whether a cookie set with Domain=`domain` is sent to `host` (the domain itself or below it)."""
    if not domain:
        return False
    domain = domain.lower().lstrip(".")
    return host == domain or host.endswith(f".{domain}")


def player_origin_check(app_configs=None, **kwargs) -> list:
    """H5P_PLAYER_ORIGIN, when set, is an origin of its own that no cookie of the platform reaches.

    The player host runs H5P's scripts with its own origin: were the session or CSRF cookie sent
    there (a cookie domain covering it), those scripts' requests would carry the learner's login."""
    origin = app_settings.H5P_PLAYER_ORIGIN
    if not origin:
        return []
    parts = urlsplit(origin)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path
        or parts.query
        or not (player_origin.origin_host(origin))
    ):
        return [
            Error(
                f"H5P_PLAYER_ORIGIN must be an origin (scheme://host[:port]), not {origin!r}.",
                hint="For example https://h5p.example.no, with no path.",
                id="h5p.E003",
            )
        ]
    host = parts.hostname.lower()
    errors = []
    for name in ("SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN", "LANGUAGE_COOKIE_DOMAIN"):
        if _cookie_domain_covers(getattr(settings, name, None), host):
            errors.append(
                Error(
                    f"{name} ({getattr(settings, name)}) covers the H5P player's host {host}: the platform's "
                    "cookies would reach the scripts of H5P content.",
                    hint=f"Leave {name} unset (host-only cookies), or give the player a host name outside "
                    "that domain.",
                    id="h5p.E004",
                )
            )
    platform = urlsplit(getattr(settings, "PLATFORM_BASE_URL", "") or "")
    if platform.hostname and player_origin.origin_host(origin) == player_origin.origin_host(
        f"{platform.scheme}://{platform.netloc}"
    ):
        errors.append(
            Error(
                "H5P_PLAYER_ORIGIN is the platform's own origin (PLATFORM_BASE_URL).",
                hint="Give the player a host name of its own, or leave H5P_PLAYER_ORIGIN empty.",
                id="h5p.E005",
            )
        )
    trusted = [
        entry for entry in getattr(settings, "CSRF_TRUSTED_ORIGINS", []) if _origin_matches(entry, host)
    ]
    if trusted:
        # Same-site cookies (SameSite=Lax) do reach the platform from a sibling subdomain; the CSRF
        # check's Origin test is then what keeps the content's scripts from posting as the learner.
        errors.append(
            Error(
                f"CSRF_TRUSTED_ORIGINS ({', '.join(trusted)}) lets the H5P player's host post to the "
                "platform as the signed-in learner.",
                hint="Remove the player's host from CSRF_TRUSTED_ORIGINS.",
                id="h5p.E006",
            )
        )
    return errors


def _origin_matches(trusted_origin: str, host: str) -> bool:
    """Whether a CSRF_TRUSTED_ORIGINS entry ("https://x", "https://*.example.no") covers `host`."""
    pattern = (urlsplit(trusted_origin).netloc or "").lower().rpartition("@")[2].partition(":")[0]
    if pattern.startswith("*."):
        return host.endswith(pattern[1:])
    return bool(pattern) and host == pattern
