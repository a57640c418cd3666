import pytest
from django.conf import settings

# Row locks and concurrent transactions need a real server; SQLite serialises
# every writer. CI runs with DATABASE_URL on PostgreSQL and REQUIRE_POSTGRESQL
# (see conftest.py), so these tests always run there.
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

requires_postgresql = pytest.mark.skipif(not ON_POSTGRESQL, reason="trenger PostgreSQL (sett DATABASE_URL)")
