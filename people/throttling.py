"""Login throttling that cannot lock the owner out of their own account.

Per client address allauth's limits stay strict (ACCOUNT_RATE_LIMITS in the settings). Per account
there is no lockout any more: each failed password makes the next attempt for that address wait a
little longer (core.ratelimit's growing delay: 0, 0, 1, 2, 4 … 30 seconds). A browser the owner
has signed in with before carries a «known device» cookie for the account and skips the wait, so
someone hammering an address from elsewhere slows only themselves.

The cookie holds, signed, a keyed hash of each address signed in with on that browser (no address
in clear, at most MAX_ACCOUNTS of them) and lasts DEVICE_COOKIE_AGE.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.utils.crypto import salted_hmac

from core import ratelimit

DEVICE_COOKIE = "kjent_enhet"
DEVICE_COOKIE_AGE = 180 * 24 * 60 * 60
MAX_ACCOUNTS = 5
_SALT = "people.throttling.device"
SCOPE = "login"


def login_key(credentials: dict) -> str:
    """What the delay counts per: the address typed in, whether an account has it or not."""
    return (credentials.get("email") or credentials.get("username") or "").strip().lower()


def _account_token(login: str) -> str:
    return salted_hmac(_SALT, login).hexdigest()[:32]


def _device_tokens(request) -> list[str]:
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return []
    try:
        tokens = signing.loads(value, salt=_SALT, max_age=DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return []
    return [token for token in tokens if isinstance(token, str)] if isinstance(tokens, list) else []


def is_known_device(request, login: str) -> bool:
    return bool(login) and _account_token(login) in _device_tokens(request)


def remember_device(request, response, login: str) -> None:
    """Mark this browser as one the owner of `login` signs in with (after a successful login)."""
    if not login:
        return
    token = _account_token(login)
    tokens = [token] + [other for other in _device_tokens(request) if other != token]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(tokens[:MAX_ACCOUNTS], salt=_SALT),
        max_age=DEVICE_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def attempt_start(request, login: str) -> int:
    """0 if this login attempt may check its password, else the seconds to wait first."""
    if not login or is_known_device(request, login):
        return 0
    return ratelimit.delay_attempt_start(scope=SCOPE, key=login)


def attempt_succeeded(login: str) -> None:
    if login:
        ratelimit.delay_attempt_succeeded(scope=SCOPE, key=login)


def forget_failures(login: str) -> None:
    """After a password reset the owner has proved they hold the address: no more waiting."""
    if login:
        ratelimit.delay_clear(scope=SCOPE, key=login)
