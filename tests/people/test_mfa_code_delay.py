"""Wrong second-factor codes slow the next try for that account, from whatever address they come.

allauth's own per-user limit on code guesses rides on the per-key part of its `login_failed`
rate limit, which the platform leaves out so nobody can lock another person out with wrong
passwords; people/mfa_forms.py puts a growing delay in its place. The clock is frozen and moved
with freezegun; nothing sleeps.
"""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse
from freezegun import freeze_time

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

AUTHENTICATE = "/konto/2fa/authenticate/"


def code_at(secret: str, when: float) -> str:
    return format_hotp_value(hotp_value(secret, int(when) // 30))


def wrong_code(secret: str, when: float) -> str:
    right = {code_at(secret, when + offset) for offset in (-30, 0, 30)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def at_code_step(client, user, address: str):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}, REMOTE_ADDR=address
    )
    assert response.status_code == 302 and response["Location"].startswith(AUTHENTICATE)


def test_wrong_codes_from_many_addresses_make_the_account_wait(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    with freeze_time() as clock:
        now = time.time()
        at_code_step(client, user, "192.0.2.1")
        for number in range(3):  # each from a new address: per-address limits never bite
            client.post(AUTHENTICATE, {"code": wrong_code(secret, now)}, REMOTE_ADDR=f"198.51.100.{number}")
        # The third wrong code earns a wait: even the right code is not checked now.
        response = client.post(AUTHENTICATE, {"code": code_at(secret, now)}, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 200
        assert "Vent 1 sekund før du prøver en ny kode." in response.content.decode()
        assert "_auth_user_id" not in client.session
        clock.tick(1)
        right = code_at(secret, time.time())
        response = client.post(AUTHENTICATE, {"code": right}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_right_code_clears_the_count(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    with freeze_time() as clock:
        at_code_step(client, user, "192.0.2.1")
        client.post(AUTHENTICATE, {"code": wrong_code(secret, time.time())})
        client.post(AUTHENTICATE, {"code": code_at(secret, time.time())})
        assert "_auth_user_id" in client.session
        client.logout()
        clock.tick(31)  # the next time window: a used code is not accepted twice
        at_code_step(client, user, "192.0.2.1")
        for _ in range(2):  # two free failures again, not a wait
            response = client.post(AUTHENTICATE, {"code": wrong_code(secret, time.time())})
            assert "Vent" not in response.content.decode()
