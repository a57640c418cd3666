import os

import pytest
from django.core.cache import cache

from tests.factories import UserFactory, make_catalogue, make_course
from tests.s3server import s3_server, s3_storages  # noqa: F401 - fixtures: a local S3 server, media on it


def pytest_collection_modifyitems(config, items):
    """CI requires PostgreSQL for the concurrency tests: fail instead of skipping.

    The browser tests run last: Playwright's synchronous API keeps an asyncio event loop in the
    main thread from the first browser test on, and code that bridges to async (async_to_sync, as
    django-health-check's readiness view does) refuses to run while one is there.
    """
    from tests.markers import ON_POSTGRESQL

    if os.environ.get("REQUIRE_POSTGRESQL") and not ON_POSTGRESQL:
        raise pytest.UsageError("REQUIRE_POSTGRESQL er satt, men DATABASE_URL peker ikke på PostgreSQL.")
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)  # stable: order kept otherwise


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Each test gets its own media folder and an empty cache (allauth keeps rate limits there)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def catalogue(db):
    return make_catalogue()


@pytest.fixture
def course(catalogue):
    return make_course(catalogue, modules=3)


@pytest.fixture
def logged_in_client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def mfa_required(settings):
    """Two-factor authentication required for privileged users, as in production (the test
    settings turn it off so that force_login keeps working everywhere else)."""
    settings.PRIVILEGED_MFA_REQUIRED = True
