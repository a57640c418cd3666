"""Failed logins slow the next attempt for that account down instead of locking it, and the owner's
own browser is never held up. The clock is frozen at the real time (sessions and signed cookies
stay valid) and moved with freezegun; nothing sleeps."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from people import throttling
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "feil-passord-123"


def _login(client, email, password, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def owner(db):
    return UserFactory(email="eier@test.example")


def test_five_wrong_passwords_no_longer_lock_the_owner_out(client, owner):
    """allauth's old rule: 5 failures locked the account for 5 minutes, whoever typed them."""
    with freeze_time() as clock:
        for _ in range(5):
            _login(client, owner.email, WRONG)
            clock.tick(30)  # a patient attacker, never refused
        clock.tick(30)
        response = _login(client, owner.email, TEST_PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_attempts_that_come_too_early_are_refused_with_the_seconds_left(client, owner):
    with freeze_time() as clock:
        for _ in range(3):
            assert "Vent" not in _login(client, owner.email, WRONG).content.decode()
        # The third failure earns a 1-second wait: even the right password is not checked now.
        response = _login(client, owner.email, TEST_PASSWORD)
        assert response.status_code == 200
        assert "Vent 1 sekund før du prøver igjen." in response.content.decode()
        assert not _signed_in(client)
        clock.tick(1)
        _login(client, owner.email, WRONG)  # the fourth failure earns 2 seconds
        assert "Vent 2 sekunder før du prøver igjen." in _login(client, owner.email, WRONG).content.decode()
        clock.tick(2)
        response = _login(client, owner.email, TEST_PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_a_success_forgives_the_failures(client, owner):
    with freeze_time() as clock:
        for _ in range(3):
            _login(client, owner.email, WRONG)
        clock.tick(1)
        assert _login(client, owner.email, TEST_PASSWORD).status_code == 302
        client.logout()  # the test client drops every cookie, the device cookie too
        for _ in range(3):  # three free failures again
            assert "Vent" not in _login(client, owner.email, WRONG).content.decode()


def test_the_owners_known_browser_skips_the_delay(client, owner):
    assert _login(client, owner.email, TEST_PASSWORD).status_code == 302
    assert throttling.DEVICE_COOKIE in client.cookies
    cookie = client.cookies[throttling.DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    client.post(reverse("account_logout"))  # signing out keeps the browser known
    assert not _signed_in(client) and throttling.DEVICE_COOKIE in client.cookies
    attacker = client.__class__(REMOTE_ADDR="198.51.100.66")
    with freeze_time():
        for _ in range(8):
            _login(attacker, owner.email, WRONG)
        assert "Vent" in _login(attacker, owner.email, TEST_PASSWORD).content.decode()
        # The same moment, the owner's browser (the cookie from the earlier login) gets in.
        response = _login(client, owner.email, TEST_PASSWORD)
    assert response.status_code == 302, response.context["form"].errors
    assert _signed_in(client)


def test_a_device_cookie_for_another_account_or_a_forged_one_does_not_help(client, owner):
    other = UserFactory(email="annen@test.example")
    assert _login(client, other.email, TEST_PASSWORD).status_code == 302
    client.post(reverse("account_logout"))
    assert throttling.DEVICE_COOKIE in client.cookies  # known, but for the other account
    with freeze_time():
        for _ in range(3):
            _login(client, owner.email, WRONG)
        assert "Vent" in _login(client, owner.email, TEST_PASSWORD).content.decode()
        client.cookies[throttling.DEVICE_COOKIE] = "forfalsket"
        assert "Vent" in _login(client, owner.email, TEST_PASSWORD).content.decode()
    assert not _signed_in(client)


def test_unknown_addresses_are_delayed_alike(client):
    with freeze_time():
        for _ in range(3):
            _login(client, "finnes.ikke@test.example", WRONG)
        assert "Vent 1 sekund" in _login(client, "finnes.ikke@test.example", WRONG).content.decode()


def test_the_per_address_limit_stays_strict(client):
    """Ten failed logins a minute from one client address, whichever accounts they try."""
    with freeze_time():
        for number in range(10):
            _login(client, f"person{number}@test.example", WRONG)
        response = _login(client, "person99@test.example", WRONG)
    assert response.status_code == 429 or "For mange" in response.content.decode()


def test_a_spoofed_forwarded_header_does_not_escape_the_per_address_limit(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    with freeze_time():
        for number in range(10):
            _login(client, f"person{number}@test.example", WRONG, HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
        response = _login(client, "person99@test.example", WRONG, HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429 or "For mange" in response.content.decode()


def test_sign_up_is_limited_per_client_address(client):
    with freeze_time():
        statuses = [
            client.post(reverse("account_signup"), {"email": f"x{n}@test.example"}).status_code
            for n in range(11)
        ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_password_reset_is_limited_per_client_address(client):
    with freeze_time():
        statuses = [
            client.post(reverse("account_reset_password"), {"email": f"x{n}@test.example"}).status_code
            for n in range(11)
        ]
    assert statuses[:10] == [302] * 10
    assert statuses[10] == 429
