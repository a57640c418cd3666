"""The demo's second factor: privileged demo users get an authenticator app with a published secret.

In production administrators, course holders, managers and reporters must use two-factor
authentication before /admin/ and /leder/ (people/mfa.py). The demo keeps that requirement on, so
a newcomer sees what they will see, and gives those demo users one shared, published TOTP secret:
add it to any authenticator app, or print the current code with `python manage.py demo_code`.
Never use it outside the demo.
"""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt

from people.mfa import is_privileged

DEMO_TOTP_SECRET = "HELSEPEDAGOGIKKDEMOTOTPKODE23456"  # noqa: S105 - published demo secret (README)
TOTP_PERIOD = 30


def give_second_factor(users) -> list:
    """Every privileged user among `users` gets the demo authenticator app (once; safe to repeat)."""
    given = []
    for user in users:
        if not is_privileged(user):
            continue
        Authenticator.objects.update_or_create(
            user=user,
            type=Authenticator.Type.TOTP,
            defaults={"data": {"secret": encrypt(DEMO_TOTP_SECRET)}},
        )
        given.append(user)
    return given


def current_code(now: float | None = None) -> tuple[str, int]:
    """The code an authenticator app shows now for the demo secret, and the seconds it stays valid."""
    now = time.time() if now is None else now
    counter = int(now) // TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)), TOTP_PERIOD - int(now) % TOTP_PERIOD
