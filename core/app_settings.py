"""Settings that core's helpers read, each with its default, read when used (so tests can change them).

    PLATFORM_BASE_URL    the public address for links that leave a request (e-mails, PDFs, QR codes);
                         default WAGTAILADMIN_BASE_URL, else unset
    PRIVATE_MEDIA_ROOT   folder for private files (certificate PDFs, H5P packages), never served by
                         URL; no default: the apps that store such files require it (see checks.py)
    TRUSTED_PROXY_COUNT  reverse proxies in front of the site, for the client address; default 0

core is a plain package without an AppConfig, so the apps that rely on a setting register its
check from core.checks (certificates, h5p, requirements).
"""

from __future__ import annotations

from django.conf import settings


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, name, default)

    @property
    def PLATFORM_BASE_URL(self) -> str:
        return self._setting("PLATFORM_BASE_URL", getattr(settings, "WAGTAILADMIN_BASE_URL", "")) or ""

    @property
    def PRIVATE_MEDIA_ROOT(self):
        return self._setting("PRIVATE_MEDIA_ROOT", None)

    @property
    def TRUSTED_PROXY_COUNT(self) -> int:
        return self._setting("TRUSTED_PROXY_COUNT", 0)


_app_settings = AppSettings()


def __getattr__(name: str):
    # PEP 562: `from core import app_settings; app_settings.PLATFORM_BASE_URL` reads the live value.
    return getattr(_app_settings, name)
