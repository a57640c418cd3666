"""The client address every rate limit is keyed on, and the growing delay after failures."""

import pytest
from allauth.account.adapter import get_adapter
from allauth.core.internal.ratelimit import get_ip
from django.test import RequestFactory
from freezegun import freeze_time

from core import ratelimit


def _request(remote="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/konto/login/", **extra)


def _allauth_address(request):
    return get_adapter(request).get_client_ip(request)


@pytest.mark.parametrize("spoofed", ["198.51.100.1", "198.51.100.1, 198.51.100.2", "garbage"])
def test_without_trusted_proxies_x_forwarded_for_is_ignored_by_both(settings, spoofed):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    plain, spoofing = _request(), _request(forwarded=spoofed)
    assert ratelimit.client_address(spoofing) == ratelimit.client_address(plain) == "203.0.113.7"
    assert _allauth_address(spoofing) == _allauth_address(plain) == "203.0.113.7"
    assert ratelimit.limit_address(spoofing) == ratelimit.limit_address(plain)


def test_one_trusted_proxy_means_the_right_most_entry_for_both(settings):
    # The client wrote "198.51.100.1"; our proxy appended the address it was reached from.
    settings.TRUSTED_PROXY_COUNT = 1
    request = _request(remote="10.0.0.1", forwarded="198.51.100.1, 192.0.2.44")
    assert ratelimit.client_address(request) == "192.0.2.44"
    assert _allauth_address(request) == "192.0.2.44"


def test_allauth_follows_trusted_proxy_count_even_when_its_own_setting_is_left_alone(settings):
    # Before, allauth read only ALLAUTH_TRUSTED_PROXY_COUNT: the two could disagree.
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    request = _request(remote="10.0.0.1", forwarded="192.0.2.44")
    assert _allauth_address(request) == ratelimit.client_address(request) == "192.0.2.44"


def test_two_trusted_proxies_take_the_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = _request(remote="10.0.0.2", forwarded="198.51.100.1, 192.0.2.44, 10.0.0.1")
    assert ratelimit.client_address(request) == _allauth_address(request) == "192.0.2.44"


def test_a_short_or_garbled_header_falls_back_to_the_connection_instead_of_failing(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    short = _request(remote="10.0.0.2", forwarded="192.0.2.44")
    assert ratelimit.client_address(short) == _allauth_address(short) == "10.0.0.2"  # allauth raised
    settings.TRUSTED_PROXY_COUNT = 1
    garbled = _request(remote="10.0.0.2", forwarded="not-an-address")
    assert ratelimit.client_address(garbled) == _allauth_address(garbled) == "10.0.0.2"


def test_an_ipv6_client_counts_as_its_64_network_like_in_allauth(settings):
    one = _request(remote="2001:db8:1:2::1")
    other = _request(remote="2001:db8:1:2:ffff::9")
    assert ratelimit.limit_address(one) == ratelimit.limit_address(other) == "2001:db8:1:2::"
    assert get_ip(one) == get_ip(other)


def test_the_fixed_window_counts_per_client_address(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    first = [ratelimit.limit_exceeded(_request(), scope="t", per_minute=2) for _ in range(3)]
    assert first == [False, False, True]
    # A spoofed header does not buy a fresh window.
    assert ratelimit.limit_exceeded(_request(forwarded="198.51.100.9"), scope="t", per_minute=2)
    assert not ratelimit.limit_exceeded(_request(remote="203.0.113.8"), scope="t", per_minute=2)


# --- The growing delay -------------------------------------------------------------------------


def test_failure_delay_grows_and_is_capped():
    assert [ratelimit.failure_delay(n) for n in range(10)] == [0, 0, 0, 1, 2, 4, 8, 16, 30, 30]


def _fail(key="kari@test.example"):
    return ratelimit.delay_attempt_start(scope="t", key=key)


def test_failed_attempts_make_the_next_wait_without_sleeping():
    with freeze_time("2026-03-01 12:00:00") as clock:
        assert [_fail(), _fail(), _fail()] == [0, 0, 0]  # the third failure earns 1 s
        assert _fail() == 1
        clock.tick(1)
        assert _fail() == 0  # the fourth failure earns 2 s
        clock.tick(1)
        assert _fail() == 1
        clock.tick(1)
        assert _fail() == 0
        assert ratelimit.delay_remaining(scope="t", key="kari@test.example") == 4


def test_refused_attempts_do_not_lengthen_the_delay():
    with freeze_time("2026-03-01 12:00:00") as clock:
        for _ in range(3):
            _fail()
        for _ in range(20):
            assert _fail() == 1
        clock.tick(1)
        assert _fail() == 0  # still the fourth attempt: earns 2 s, not more
        assert ratelimit.delay_remaining(scope="t", key="kari@test.example") == 2


def test_the_delay_never_exceeds_thirty_seconds():
    with freeze_time("2026-03-01 12:00:00") as clock:
        for _ in range(12):
            while _fail():
                clock.tick(1)
        assert ratelimit.delay_remaining(scope="t", key="kari@test.example") == 30


def test_success_forgives_and_other_keys_are_unaffected():
    with freeze_time("2026-03-01 12:00:00"):
        for _ in range(3):
            _fail()
        assert _fail("per@test.example") == 0
        assert _fail() == 1
        ratelimit.delay_attempt_succeeded(scope="t", key="kari@test.example")
        assert _fail() == 0


def test_failures_are_forgotten_an_hour_after_the_last():
    with freeze_time("2026-03-01 12:00:00") as clock:
        for _ in range(3):
            _fail()
        clock.tick(ratelimit.FAILURES_FORGOTTEN_AFTER + 1)
        assert [_fail(), _fail(), _fail()] == [0, 0, 0]
