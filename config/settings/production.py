"""Production: PostgreSQL, Redis cache, a real Celery broker and SMTP.

Every secret comes from the environment and the process refuses to start
without it; `python manage.py check --deploy` passes with these settings.
"""

from django.core.exceptions import ImproperlyConfigured

from config.data_layer import configure_connections, require_shared_cache

from .base import *  # noqa: F403
from .base import H5P_PLAYER_ORIGIN, env, with_player_host

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")  # required: no default
# The H5P player's host name (H5P_PLAYER_ORIGIN) is added to them (base.py).
ALLOWED_HOSTS = with_player_host(env.list("DJANGO_ALLOWED_HOSTS"), H5P_PLAYER_ORIGIN)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {"default": env.db("DATABASE_URL")}
# Connection pooling for every alias: see «Data layer» at the end of this file.
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL må peke på PostgreSQL i produksjon.")
# Reports read from a replica when REPORTS_DATABASE_URL is set (as in base.py; reports/replica.py).
if env("REPORTS_DATABASE_URL", default=""):
    DATABASES["reports"] = env.db("REPORTS_DATABASE_URL")

CACHES = {"default": env.cache("CACHE_URL")}
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Media storages as in base.py (filesystem, or object storage with PRIVATE_MEDIA_BUCKET); static files
# compressed and with hashed names for WhiteNoise.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Health probes from a load balancer or orchestrator often reach an app server over plain HTTP,
# past the TLS proxy; they carry no personal data, so they are answered instead of redirected.
SECURE_REDIRECT_EXEMPT = [r"^helse/"]
# Prometheus scrapes each app server directly over the internal network, like the probes; the
# endpoint answers only METRICS_ALLOWED_NETWORKS or METRICS_TOKEN (core/metrics.py).
SECURE_REDIRECT_EXEMPT += [r"^metrics$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# Required: how many reverse proxies append to X-Forwarded-For (0 if none).
# Rate limits per client are meaningless if every request seems to come from the proxy.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT")
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

SILENCED_SYSTEM_CHECKS = [
    # Wagtail's live preview shows the page in a same-origin frame, so the
    # platform needs X-Frame-Options SAMEORIGIN rather than DENY.
    "security.W019",
    # Preloading HSTS is a commitment for the whole domain; the operator opts
    # in with DJANGO_SECURE_HSTS_PRELOAD=true.
    "security.W021",
]

# Required in production: links in e-mails and the QR code on certificates point here.
PLATFORM_BASE_URL = env("PLATFORM_BASE_URL")
WAGTAILADMIN_BASE_URL = PLATFORM_BASE_URL

# --- Metrics of the database and the cache (django-prometheus) -----------------------------------
# The same backends, counting connections, queries, their time and errors (django_db_*), and cache
# gets, hits and misses (django_cache_*); served at /metrics with the rest (core/metrics.py).
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _database["ENGINE"] = "django_prometheus.db.backends.postgresql"
for _cache in CACHES.values():
    if _cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        _cache["BACKEND"] = "core.metrics.RedisCacheWithMetrics"

# --- Data layer: connection pooling and sessions (config/data_layer.py) ---------------------
# Last in this file, so every database alias defined above (a reports replica too) is covered.
# DATABASE_POOL: internal (Django's psycopg pool per process, the default), external (a
# transaction-pooling proxy such as PgBouncer: no server-side cursors) or off (persistent connections).
configure_connections(
    DATABASES,
    mode=env("DATABASE_POOL", default="internal"),
    pool_min_size=env.int("DATABASE_POOL_MIN_SIZE", default=2),
    pool_max_size=env.int("DATABASE_POOL_MAX_SIZE", default=4),
    pool_timeout=env.float("DATABASE_POOL_TIMEOUT", default=10.0),
    conn_max_age=env.int("DATABASE_CONN_MAX_AGE", default=60),
)
# Sessions are read from the shared cache (Redis) and written through to the database: any app
# server finds them, and neither an eviction under memory pressure nor a Redis restart signs
# anyone out (a cache-only session would be lost with its key, second factor and all).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
require_shared_cache(CACHES)
