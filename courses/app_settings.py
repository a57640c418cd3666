"""The courses app's settings, each with its default, read when used.

LAST_ACTIVITY_WRITE_INTERVAL  seconds: a module view writes the enrolment's «sist aktiv» only when
                              the stored time is at least this old (or the module is opened for
                              the first time), so plain page views do not become database writes;
                              default 300
CATALOGUE_PAGE_SIZE           courses per page of the catalogue (?side=N); default 20
"""

from __future__ import annotations

from django.conf import settings


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, name, default)

    @property
    def LAST_ACTIVITY_WRITE_INTERVAL(self) -> int:
        return self._setting("LAST_ACTIVITY_WRITE_INTERVAL", 300)

    @property
    def CATALOGUE_PAGE_SIZE(self) -> int:
        return self._setting("CATALOGUE_PAGE_SIZE", 20)


_app_settings = AppSettings()


def __getattr__(name: str):
    # PEP 562: `from courses import app_settings; app_settings.X` reads the live value.
    return getattr(_app_settings, name)
