"""What every benchmark needs before it measures: Django set up and a throw-away test database.

    from benchsetup import throwaway_database
    with throwaway_database(log_level=logging.WARNING, private_media="bench-h5p-"):
        run(...)

The database is SQLite in memory, or PostgreSQL when DATABASE_URL is set (the figures that
matter); it is created before and destroyed after, as pytest-django does.
"""

import logging
import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


@contextmanager
def throwaway_database(*, log_level: int, private_media: str | None = None, want_postgresql: bool = False):
    """Set Django up, quiet logging below `log_level`, and run the body in a fresh test database.

    `private_media`: a prefix for a temporary PRIVATE_MEDIA_ROOT, removed afterwards.
    `want_postgresql`: say on stderr when the figures come from another database.
    """
    import django

    django.setup()
    logging.disable(log_level)
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    if want_postgresql and connection.vendor != "postgresql":
        print("note: DATABASE_URL is not PostgreSQL; figures will not match production", file=sys.stderr)
    if private_media:
        settings.PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix=private_media))
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if private_media:
            shutil.rmtree(settings.PRIVATE_MEDIA_ROOT, ignore_errors=True)
