"""Test settings: SQLite in memory unless DATABASE_URL points at PostgreSQL."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105 - test settings only
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
ALLOWED_HOSTS = ["*"]
# Media on the filesystem whatever the environment says (tests/s3server.py points them at a local S3
# server where a test asks for it).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "core.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files straight from the finders; no collectstatic needed outside production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Most tests sign privileged users in with force_login (no second factor); the MFA tests turn the
# requirement on with the `mfa_required` fixture (tests/people/conftest.py). The base default is on.
PRIVILEGED_MFA_REQUIRED = False

# /metrics from no address at all: the authorization matrix asks from 127.0.0.1 and finds it closed
# to every role; tests/core/test_metrics.py opens it by network and by token.
METRICS_ALLOWED_NETWORKS = []

# A per-process cache as big as the tests need: at Django's default of 300 entries, a test that
# builds many pages culls a random third of the cache (sessions, routes, fragments) midway, and
# the query-count tests would count the refills.
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):  # noqa: F405
    CACHES["default"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 100_000  # noqa: F405
