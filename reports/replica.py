"""Where reports read: the "reports" database alias (a read replica, REPORTS_DATABASE_URL) when it is
configured, the default database otherwise.

Reports only read, so every dashboard and export query is sent there with `.using()`; nothing in
reports writes through it. A replica may lag the primary by a moment, which a report can bear.
"""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPORTS_ALIAS = "reports"


def reports_database() -> str:
    return REPORTS_ALIAS if REPORTS_ALIAS in settings.DATABASES else DEFAULT_DB_ALIAS
