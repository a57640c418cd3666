"""Request limits kept in the cache: a fixed-window counter per client address, and a growing
delay after failures for one key (an account), plus the client address both are keyed on.

Written here rather than taken from django-ratelimit: that library's system
checks reject both the local-memory cache used on a newcomer's machine and
Django's built-in Redis cache used in production.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time

from django.core.cache import cache

from . import app_settings

IPV6_PREFIX = 64  # one IPv6 client usually holds a whole /64: count it as one address


def now() -> float:
    """The clock every limit here reads (tests move it with freezegun)."""
    return time.time()


def _valid_address(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_address(request) -> str:
    """The client's address. X-Forwarded-For is ignored entirely unless TRUSTED_PROXY_COUNT is set.

    Behind N trusted proxies the address is the Nth entry from the right of
    X-Forwarded-For: each proxy appends the address it was reached from, so
    only the last N entries were written by proxies we run; anything further
    left could have been written by the client itself. A header with fewer
    entries than that, or a garbled entry, falls back to the connection's
    address. allauth's own rate limits use this function too
    (people.adapters.AccountAdapter.get_client_ip), so both always agree.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = app_settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            address = _valid_address(forwarded[-proxies])
            if address:
                return address
    return _valid_address(remote) or remote or "unknown"


def limit_address(request) -> str:
    """client_address() as rate limits count it: an IPv6 address by its /64 network."""
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False).network_address)
    return address


def limit_exceeded(request, *, scope: str, per_minute: int) -> bool:
    """Count this request; True once the client has made more than `per_minute` in this minute."""
    window = int(now() // 60)
    key = f"ratelimit:{scope}:{limit_address(request)}:{window}"
    if cache.add(key, 1, timeout=90):
        return per_minute < 1
    try:
        return cache.incr(key) > per_minute
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=90)
        return False


# --- A growing delay after failures -----------------------------------------------------------
# Instead of locking a key (an account) after N failures, which lets anyone lock anyone out, each
# failure makes the next attempt wait longer: 0, 0, 1, 2, 4, 8, 16, 30, 30 … seconds. Nothing
# sleeps: an attempt that comes too early is refused at once with the seconds left. Attempts are
# counted when they start (the password check may take a while) and taken back when they succeed
# or are refused, so a burst of simultaneous guesses gets one through per delay, not all of them.

FREE_FAILURES = 2
MAX_DELAY_SECONDS = 30
FAILURES_FORGOTTEN_AFTER = 60 * 60  # an hour after the last failure, the count starts again


def failure_delay(failures: int) -> int:
    """Seconds to wait after `failures` failures in a row."""
    if failures <= FREE_FAILURES:
        return 0
    return min(MAX_DELAY_SECONDS, 2 ** (failures - FREE_FAILURES - 1))


def _delay_keys(scope: str, key: str) -> tuple[str, str]:
    digest = hashlib.sha256(key.encode()).hexdigest()  # no e-mail addresses in cache keys
    return f"delay:{scope}:{digest}:count", f"delay:{scope}:{digest}:until"


def _count_up(count_key: str) -> int:
    if cache.add(count_key, 1, timeout=FAILURES_FORGOTTEN_AFTER):
        return 1
    try:
        value = cache.incr(count_key)
    except ValueError:  # expired between add and incr
        cache.add(count_key, 1, timeout=FAILURES_FORGOTTEN_AFTER)
        return 1
    cache.touch(count_key, FAILURES_FORGOTTEN_AFTER)
    return value


def _count_down(count_key: str) -> None:
    try:
        if cache.decr(count_key) < 0:
            cache.delete(count_key)
    except ValueError:
        pass


def _close_until(until_key: str, seconds: int) -> None:
    cache.set(until_key, now() + seconds, timeout=seconds)


def delay_remaining(*, scope: str, key: str) -> int:
    """Whole seconds until the next attempt for `key` is allowed (0: now)."""
    until = cache.get(_delay_keys(scope, key)[1])
    if until is None:
        return 0
    return max(0, math.ceil(until - now()))


def delay_attempt_start(*, scope: str, key: str) -> int:
    """Start an attempt for `key`: 0 if it may go ahead, else the seconds left to wait.

    An attempt that may go ahead counts as a failure until delay_attempt_succeeded() takes it
    back, and closes the door for the delay that failure would earn; a refused one counts for
    nothing.
    """
    count_key, until_key = _delay_keys(scope, key)
    attempt = _count_up(count_key)
    owed = failure_delay(attempt - 1)  # what the failures before this one earned
    earns = failure_delay(attempt)  # what this one earns if it fails too
    if owed == 0:
        if earns:
            _close_until(until_key, earns)
        return 0
    # Only one attempt gets through each time the door opens: cache.add is atomic.
    if cache.add(until_key, now() + earns, timeout=earns):
        return 0
    _count_down(count_key)
    return max(1, delay_remaining(scope=scope, key=key))


def delay_attempt_succeeded(*, scope: str, key: str) -> None:
    """A started attempt succeeded: the failures before it are forgiven and the door opens."""
    delay_clear(scope=scope, key=key)


def delay_clear(*, scope: str, key: str) -> None:
    cache.delete_many(list(_delay_keys(scope, key)))
