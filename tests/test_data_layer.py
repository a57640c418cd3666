"""The data layer from the environment: connection pooling for every alias, server-side cursors off
behind a transaction pooler, sessions through the shared cache, and the search backend."""

import os

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from config.data_layer import configure_connections, search_backends
from tests.markers import requires_postgresql
from tests.test_settings import PRODUCTION_ENV, manage


def two_aliases() -> dict:
    return {
        "default": {"ENGINE": "django.db.backends.postgresql", "NAME": "kurs", "CONN_MAX_AGE": 60},
        "reports": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "kurs_replika",
            "OPTIONS": {"sslmode": "x"},
        },
    }


def test_the_internal_pool_is_set_on_every_alias_with_no_persistent_connections():
    databases = two_aliases()
    configure_connections(databases, mode="internal", pool_min_size=2, pool_max_size=6, pool_timeout=5)
    for database in databases.values():
        assert database["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 6, "timeout": 5}
        # Django refuses a pool with CONN_MAX_AGE other than 0.
        assert database["CONN_MAX_AGE"] == 0
        assert database["DISABLE_SERVER_SIDE_CURSORS"] is False
    assert databases["reports"]["OPTIONS"]["sslmode"] == "x"  # other options are kept


def test_behind_a_transaction_pooler_there_is_no_pool_and_no_server_side_cursor():
    databases = two_aliases()
    databases["default"]["OPTIONS"] = {"pool": {"max_size": 4}}
    configure_connections(databases, mode="external", conn_max_age=30)
    for database in databases.values():
        assert "pool" not in database["OPTIONS"]
        assert database["DISABLE_SERVER_SIDE_CURSORS"] is True
        assert database["CONN_MAX_AGE"] == 30


def test_without_pooling_connections_persist_and_cursors_stay_on_the_server():
    databases = two_aliases()
    configure_connections(databases, mode="off", conn_max_age=60)
    assert all(
        db["CONN_MAX_AGE"] == 60 and not db["DISABLE_SERVER_SIDE_CURSORS"] for db in databases.values()
    )
    assert all("pool" not in db["OPTIONS"] for db in databases.values())


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"mode": "pgbouncer"}, "DATABASE_POOL"),
        ({"mode": "internal", "pool_min_size": 5, "pool_max_size": 4}, "DATABASE_POOL_MIN_SIZE"),
        # The serial number needs a second connection while the completion holds the first.
        ({"mode": "internal", "pool_min_size": 1, "pool_max_size": 1}, "DATABASE_POOL_MAX_SIZE"),
    ],
)
def test_impossible_pool_settings_stop_the_start(arguments, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        configure_connections(two_aliases(), **arguments)


def test_the_default_search_is_the_database_with_norwegian_full_text_search():
    assert search_backends(backend="database") == {
        "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "norwegian"}
    }


def test_a_search_server_gets_its_addresses_and_index():
    backends = search_backends(
        backend="opensearch", url="https://sok1:9200, https://sok2:9200", index="kurs", timeout=3
    )
    default = backends["default"]
    assert default["BACKEND"] == "wagtail.search.backends.opensearch3"
    assert default["URLS"] == ["https://sok1:9200", "https://sok2:9200"]
    assert (default["INDEX"], default["TIMEOUT"]) == ("kurs", 3)
    assert search_backends(backend="elasticsearch8", url="http://es:9200")["default"]["BACKEND"] == (
        "wagtail.search.backends.elasticsearch8"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [({"backend": "solr"}, "SEARCH_BACKEND"), ({"backend": "elasticsearch"}, "SEARCH_URL")],
)
def test_an_unusable_search_setting_stops_the_start(arguments, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        search_backends(**arguments)


SHOW_SETTINGS = (
    "from django.conf import settings; d = settings.DATABASES['default']; "
    "print(d['OPTIONS'].get('pool'), d['CONN_MAX_AGE'], d['DISABLE_SERVER_SIDE_CURSORS']); "
    "print(settings.SESSION_ENGINE); from django.core.cache import caches; "
    "from django.core.cache.backends.redis import RedisCache; "
    "print(isinstance(caches['default'], RedisCache)); "
    "print(settings.WAGTAILSEARCH_BACKENDS['default'])"
)


def test_production_pools_connections_and_keeps_sessions_and_cache_in_redis_by_default():
    result = manage("shell", "-c", SHOW_SETTINGS, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    pool, sessions, cache, search = result.stdout.strip().splitlines()[-4:]
    assert pool == "{'min_size': 2, 'max_size': 4, 'timeout': 10.0} 0 False"
    # cached_db: read from Redis, written through to the database, so an eviction signs nobody out.
    assert sessions == "django.contrib.sessions.backends.cached_db"
    # redis:// maps to Django's own Redis backend (counted for the metrics), shared by every server.
    assert cache == "True"
    assert search == "{'BACKEND': 'wagtail.search.backends.database', 'SEARCH_CONFIG': 'norwegian'}"


def test_production_behind_pgbouncer_switches_server_side_cursors_off():
    result = manage("shell", "-c", SHOW_SETTINGS, env={**PRODUCTION_ENV, "DATABASE_POOL": "external"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-4] == "None 60 True"


def test_production_refuses_a_cache_kept_in_each_process():
    result = manage("check", env={**PRODUCTION_ENV, "CACHE_URL": "locmemcache://"})
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr


def test_production_refuses_an_unknown_pool_mode():
    result = manage("check", env={**PRODUCTION_ENV, "DATABASE_POOL": "pgbouncer"})
    assert result.returncode != 0
    assert "DATABASE_POOL" in result.stderr


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_pool_serves_real_connections_and_a_serial_number_on_a_second_one():
    """Production settings with the pool against this test database: queries run on pooled
    connections, and a serial number (taken on a connection of its own) comes out of the pool too."""
    name = connection.settings_dict["NAME"]
    code = (
        "from django.db import connection; from certificates.services import _next_serial; "
        "first, second = _next_serial(2099), _next_serial(2099); "
        "print(type(connection.pool).__name__, connection.pool.max_size, first, second)"
    )
    host = connection.settings_dict.get("HOST") or "127.0.0.1"
    port = connection.settings_dict.get("PORT") or 5432
    user = connection.settings_dict.get("USER") or "postgres"
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"postgres://{user}@{host}:{port}/{name}"}
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "ConnectionPool 4 KB-2099-000001 KB-2099-000002"


def open_server_side_cursors() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        return cursor.fetchone()[0]


@pytest.fixture
def transaction_pooler():
    """As behind PgBouncer in transaction mode (DATABASE_POOL=external)."""
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = True
    yield
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = False


@requires_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("behind_a_pooler", [False, True])
def test_iterating_keeps_a_cursor_on_the_server_only_without_a_transaction_pooler(behind_a_pooler):
    from people.models import User
    from tests.factories import UserFactory

    UserFactory.create_batch(3)
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = behind_a_pooler
    try:
        rows = User.objects.order_by("pk").iterator(chunk_size=1)
        next(rows)
        # Outside a transaction Django declares the cursor WITH HOLD: behind a transaction pooler
        # the next fetch could reach a server connection where it does not exist.
        assert open_server_side_cursors() == (0 if behind_a_pooler else 1)
        assert len(list(rows)) == 2
    finally:
        connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = False


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_exports_and_form_choices_work_behind_a_transaction_pooler(transaction_pooler):
    from django import forms

    from audit.models import AuditEntry
    from audit.selectors import export_rows
    from people.models import User
    from tests.factories import UserFactory

    people = UserFactory.create_batch(3)
    entries = AuditEntry.objects.order_by("pk")
    assert entries.exists()

    rows = export_rows(entries)
    next(rows)
    assert open_server_side_cursors() == 0
    assert 1 + len(list(rows)) == entries.count()

    # Form choices are read with .iterator() (ModelChoiceIterator), as the managers' forms do.
    field = forms.ModelChoiceField(queryset=User.objects.order_by("pk"))
    choices = iter(field.choices)
    next(choices)
    assert open_server_side_cursors() == 0
    assert [value for value, _label in choices] == [person.pk for person in people]
    assert field.clean(str(people[1].pk)) == people[1]


REDIS_CACHE_URL = os.environ.get("TEST_REDIS_CACHE_URL", "redis://127.0.0.1:6379/8")


def test_a_session_in_the_shared_cache_survives_the_cache_losing_it(settings, client, user):
    """Production's session engine (cached_db) on Redis: the session is read from Redis, and when
    Redis evicts it or restarts empty, the database still has it and nobody is signed out."""
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.core.cache import caches
    from django.test import Client
    from django.urls import reverse

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_CACHE_URL}
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client.force_login(user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    my_courses = reverse("courses:my_courses")
    try:
        assert caches["default"].get(SessionStore(session_key).cache_key) is not None  # kept in Redis
        another_server = Client()
        another_server.cookies = client.cookies
        assert another_server.get(my_courses).status_code == 200

        caches["default"].clear()  # evicted, or Redis restarted empty
        assert client.get(my_courses).status_code == 200
        assert Client().get(my_courses).status_code == 302  # the page does need a session
    finally:
        caches["default"].clear()
