"""A fixed-window request counter per client address, kept in the cache.

Written here rather than taken from django-ratelimit: that library's system
checks reject both the local-memory cache used on a newcomer's machine and
Django's built-in Redis cache used in production.
"""

import time

from django.core.cache import cache

from . import app_settings


def client_address(request) -> str:
    """The client's address; behind TRUSTED_PROXY_COUNT proxies, read from X-Forwarded-For.

    Only the entries the trusted proxies appended are believed: anything
    further left could have been written by the client itself.
    """
    proxies = app_settings.TRUSTED_PROXY_COUNT
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "unknown")


def limit_exceeded(request, *, scope: str, per_minute: int) -> bool:
    """Count this request; True once the client has made more than `per_minute` in this minute."""
    window = int(time.time() // 60)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    if cache.add(key, 1, timeout=90):
        return per_minute < 1
    try:
        return cache.incr(key) > per_minute
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=90)
        return False
