"""Settings for the app servers and Celery workers that tests/topology/test_two_servers.py and
bench/load.py start.

The production settings, configured by the environment like a real deployment (PostgreSQL, Redis,
object storage), with two differences that only the local, plain-HTTP test set-up needs.
"""

from config.settings.production import *  # noqa: F403

# The test's client reaches nginx over plain HTTP: cookies marked Secure would never come back.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Static files from the finders instead of a collectstatic run, which would take most of the test's time;
# the walk fetches pages, not their static files.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
