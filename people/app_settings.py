"""The people app's settings, each with its default, read when used.

    PRIVACY_CONTACT_EMAIL  who is told of a learner's request to be deleted; default "" (then the
                           site's ADMINS are told)

Also read, through core.app_settings: PLATFORM_BASE_URL (the link in that e-mail).
"""

from __future__ import annotations

from django.conf import settings


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, name, default)

    @property
    def PRIVACY_CONTACT_EMAIL(self) -> str:
        return self._setting("PRIVACY_CONTACT_EMAIL", "")


_app_settings = AppSettings()


def __getattr__(name: str):
    # PEP 562: `from people import app_settings; app_settings.X` reads the live value.
    return getattr(_app_settings, name)
