"""Mail helpers: sending a notification exactly once (even when two workers run the same job at
the same moment), and absolute links for e-mails and PDFs."""

from __future__ import annotations

import logging
from collections.abc import Callable

from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction

from . import app_settings

logger = logging.getLogger(__name__)


def send_once(*, queryset, claim_field: str, now, send: Callable[[], None], label: str) -> bool:
    """Claim the row (a conditional UPDATE of `claim_field` from NULL to `now`), then send.

    Only one UPDATE can win the claim, so a second run or a second worker sends
    nothing. If sending fails the claim is rolled back and the next run tries
    again; the failure is logged and does not stop the caller's other sends. A task that reaches its
    soft time limit stops here (the claim rolled back); the next run sends the rest.
    """
    try:
        with transaction.atomic():
            claimed = queryset.filter(**{f"{claim_field}__isnull": True}).update(**{claim_field: now})
            if not claimed:
                return False
            send()
            return True
    except SoftTimeLimitExceeded:
        raise
    except Exception:  # one bad address must not stop everyone else's reminder
        logger.exception("%s failed; the next run tries again", label)
        return False


def absolute_url(path: str) -> str:
    """`path` on the platform's public address (PLATFORM_BASE_URL), for links that leave the request."""
    return app_settings.PLATFORM_BASE_URL.rstrip("/") + path
