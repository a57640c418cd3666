"""Production's data layer from the environment: database connections (pooled or not) and the search backend.

Kept out of the settings modules so the tests can build each variant from a plain dict of
variables, as production.py does from the real environment.

Connections. Every app server process holds its own connections, so what PostgreSQL sees is

    servers × processes per server × connections per process  ≤  max_connections − reserve

(the reserve: Celery workers and beat, migrations, backups, psql). DATABASE_POOL chooses:

- ``internal`` (default): Django's own psycopg pool in each process (DATABASES OPTIONS "pool"),
  DATABASE_POOL_MIN_SIZE to DATABASE_POOL_MAX_SIZE connections per process. CONN_MAX_AGE must be
  0 then (the pool keeps the connections, not Django). A process may hold two at once: a
  certificate's serial number is taken on a connection of its own (certificates.services), so
  the maximum is at least 2 per thread.
- ``external``: a transaction-pooling proxy (PgBouncer, pgcat, a cloud provider's pooler) between
  the app and PostgreSQL. A server connection is then only ours for one transaction, so a cursor
  kept open across transactions would be read from another session: server-side cursors are
  switched off (DISABLE_SERVER_SIDE_CURSORS), and `.iterator()` and form choices fetch their rows
  in one go instead. Django already sends no named prepared statements.
- ``off``: one persistent connection per process (CONN_MAX_AGE seconds), as before.

Every alias in DATABASES gets the same treatment (the optional "reports" replica included).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

POOL_MODES = ("internal", "external", "off")

SEARCH_BACKENDS = {
    # On PostgreSQL, Wagtail's database backend is PostgreSQL full-text search (tsvector, GIN index).
    "database": "wagtail.search.backends.database",
    "postgres": "wagtail.search.backends.database",
    "elasticsearch7": "wagtail.search.backends.elasticsearch7",
    "elasticsearch8": "wagtail.search.backends.elasticsearch8",
    "elasticsearch9": "wagtail.search.backends.elasticsearch9",
    "elasticsearch": "wagtail.search.backends.elasticsearch9",
    "opensearch2": "wagtail.search.backends.opensearch2",
    "opensearch3": "wagtail.search.backends.opensearch3",
    "opensearch": "wagtail.search.backends.opensearch3",
}
SEARCH_SERVER_BACKENDS = {name for name in SEARCH_BACKENDS if name.startswith(("elastic", "opensearch"))}


def configure_connections(
    databases: dict[str, dict[str, Any]],
    *,
    mode: str,
    pool_min_size: int = 2,
    pool_max_size: int = 4,
    pool_timeout: float = 10.0,
    conn_max_age: int = 60,
) -> None:
    """Set up every alias in `databases` (in place) for the chosen pooling `mode`."""
    if mode not in POOL_MODES:
        raise ImproperlyConfigured(f"DATABASE_POOL må være en av {', '.join(POOL_MODES)}, ikke «{mode}».")
    if mode == "internal" and not 1 <= pool_min_size <= pool_max_size:
        raise ImproperlyConfigured(
            "DATABASE_POOL_MIN_SIZE må være minst 1 og ikke større enn DATABASE_POOL_MAX_SIZE."
        )
    if mode == "internal" and pool_max_size < 2:
        # A serial number is taken on a second connection while the completion holds the first.
        raise ImproperlyConfigured("DATABASE_POOL_MAX_SIZE må være minst 2.")
    for database in databases.values():
        options = database.setdefault("OPTIONS", {})
        database["CONN_HEALTH_CHECKS"] = True
        if mode == "internal":
            options["pool"] = {"min_size": pool_min_size, "max_size": pool_max_size, "timeout": pool_timeout}
            database["CONN_MAX_AGE"] = 0
            database["DISABLE_SERVER_SIDE_CURSORS"] = False
        else:
            options.pop("pool", None)
            database["CONN_MAX_AGE"] = conn_max_age
            database["DISABLE_SERVER_SIDE_CURSORS"] = mode == "external"


def require_shared_cache(caches: dict[str, dict[str, Any]]) -> None:
    """Refuse a per-process cache in production.

    Sessions (cached_db), allauth's rate limits and its record of used one-time codes, the
    platform's own throttling and the page caches live in the default cache; a per-process one
    would let a second server, or a second worker on the same server, keep a signed-out session
    or accept a one-time code again.
    """
    backend = caches.get("default", {}).get("BACKEND", "")
    if "redis" not in backend.lower() and ".memcached." not in backend:
        raise ImproperlyConfigured(
            "CACHE_URL må peke på en delt buffer (redis://…) i produksjon, ikke en i hver prosess."
        )


def search_backends(
    *,
    backend: str,
    url: str = "",
    search_config: str = "norwegian",
    index: str = "helsepedagogikk",
    timeout: int = 5,
) -> dict[str, dict[str, Any]]:
    """WAGTAILSEARCH_BACKENDS for SEARCH_BACKEND (see SEARCH_BACKENDS) and, for a search server, SEARCH_URL.

    On PostgreSQL the database backend indexes and queries with the text search configuration
    `search_config` ("norwegian": Norwegian stemming and stop words). Parts of compound words are
    found by the catalogue's own infix match beside it (courses/search.py), on every backend.
    """
    if backend not in SEARCH_BACKENDS:
        raise ImproperlyConfigured(
            f"SEARCH_BACKEND må være en av {', '.join(sorted(SEARCH_BACKENDS))}, ikke «{backend}»."
        )
    if backend in SEARCH_SERVER_BACKENDS:
        if not url:
            raise ImproperlyConfigured(
                f"SEARCH_BACKEND={backend} trenger SEARCH_URL (for eksempel https://søk:9200)."
            )
        return {
            "default": {
                "BACKEND": SEARCH_BACKENDS[backend],
                "URLS": [part.strip() for part in url.split(",") if part.strip()],
                "INDEX": index,
                "TIMEOUT": timeout,
                # Norwegian stemming for the indexed text, as PostgreSQL's "norwegian" configuration.
                "INDEX_SETTINGS": {
                    "settings": {"analysis": {"analyzer": {"default": {"type": "norwegian"}}}}
                },
            }
        }
    return {"default": {"BACKEND": SEARCH_BACKENDS[backend], "SEARCH_CONFIG": search_config}}
