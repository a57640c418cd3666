"""The audit app's settings, each with its default, read when used.

    AUDIT_RETENTION_DAYS  days an audit-log entry is kept before the nightly task deletes it;
                          default 730 (two years)

Also read, through core.app_settings: TRUSTED_PROXY_COUNT (which address is the client's).
"""

from __future__ import annotations

from django.conf import settings


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, name, default)

    @property
    def AUDIT_RETENTION_DAYS(self) -> int:
        return self._setting("AUDIT_RETENTION_DAYS", 730)


_app_settings = AppSettings()


def __getattr__(name: str):
    # PEP 562: `from audit import app_settings; app_settings.X` reads the live value.
    return getattr(_app_settings, name)
