"""The requirements app's settings, each with its default, read when used.

    REQUIRED_LEARNING_REMINDER_DAYS  days before a required course's due date that the learner is
                                     reminded (0: on the day); default 7

Also read, through core.app_settings: PLATFORM_BASE_URL (links in reminders and digests).
"""

from __future__ import annotations

from django.conf import settings


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, name, default)

    @property
    def REQUIRED_LEARNING_REMINDER_DAYS(self) -> int:
        return self._setting("REQUIRED_LEARNING_REMINDER_DAYS", 7)


_app_settings = AppSettings()


def __getattr__(name: str):
    # PEP 562: `from requirements import app_settings; app_settings.X` reads the live value.
    return getattr(_app_settings, name)
