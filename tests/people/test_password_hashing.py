"""Passwords are hashed with Argon2id, and older PBKDF2 hashes are upgraded at the next login.

The test settings hash with MD5 for speed; these tests use the base settings' real list.
"""

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, identify_hasher, make_password
from django.urls import reverse

from config.settings import base
from people.hashers import PlatformArgon2PasswordHasher
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS


def _pbkdf2_user():
    """A person whose password was stored before the change (Django's PBKDF2 format; few
    iterations, which the hash records, only to keep the test quick)."""
    user = UserFactory(email="gammel@test.example")
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(TEST_PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    return user


def test_new_passwords_are_argon2id_with_the_chosen_parameters(real_hashers):
    assert isinstance(get_hasher("default"), PlatformArgon2PasswordHasher)
    encoded = make_password("Et-sterkt-passord-2026")
    assert encoded.startswith("argon2$argon2id$")
    decoded = identify_hasher(encoded).decode(encoded)
    assert decoded["algorithm"] == "argon2"
    assert decoded["variety"] == "argon2id"
    assert (decoded["memory_cost"], decoded["time_cost"], decoded["parallelism"]) == (19 * 1024, 2, 1)
    # Not weaker than OWASP's first Argon2id option (19 MiB, two passes, one lane).
    assert decoded["memory_cost"] >= 19 * 1024 and decoded["time_cost"] >= 2


def test_older_hashes_still_verify_and_need_updating(real_hashers):
    user = _pbkdf2_user()
    preferred = get_hasher("default")
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"
    assert preferred.must_update(make_password("x")) is False
    # Argon2 hashes with other parameters (Django's own defaults) are upgraded too.
    django_default = "argon2$argon2id$v=19$m=102400,t=2,p=8$c29tZXNhbHRzb21lc2FsdA$" + "A" * 43
    assert preferred.must_update(django_default) is True


def test_login_upgrades_a_pbkdf2_hash_to_argon2id(client, real_hashers):
    user = _pbkdf2_user()
    response = client.post(reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password(TEST_PASSWORD)
    assert not user.check_password("feil-passord-2026")


def test_wrong_password_does_not_upgrade_the_hash(client, real_hashers):
    user = _pbkdf2_user()
    before = user.password
    response = client.post(reverse("account_login"), {"login": user.email, "password": "feil-passord-2026"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.password == before
