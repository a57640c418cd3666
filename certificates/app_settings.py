"""The certificates app's settings, each with its default, read when used.

    CERTIFICATE_VERIFY_PER_MINUTE  lookups on the public verification page per client address and
                                   minute; default 30
    CERTIFICATE_RETENTION_AFTER_DELETION
                                   what happens to a person's certificates when their account is
                                   anonymised: "keep_anonymous" (default: still verifiable, shown as
                                   «utstedt til en slettet bruker», without the name) or "revoke"
    BASE_DIR                       the project folder, where WeasyPrint resolves relative links in a
                                   certificate document (the default template has none); optional

Also read, through core.app_settings: PLATFORM_BASE_URL (verification links and QR codes),
PRIVATE_MEDIA_ROOT (the PDFs) and TRUSTED_PROXY_COUNT (the client address for the rate limit).
"""

from __future__ import annotations

from django.conf import settings

KEEP_ANONYMOUS = "keep_anonymous"
REVOKE = "revoke"
RETENTION_CHOICES = (KEEP_ANONYMOUS, REVOKE)


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, name, default)

    @property
    def CERTIFICATE_VERIFY_PER_MINUTE(self) -> int:
        return self._setting("CERTIFICATE_VERIFY_PER_MINUTE", 30)

    @property
    def CERTIFICATE_RETENTION_AFTER_DELETION(self) -> str:
        return self._setting("CERTIFICATE_RETENTION_AFTER_DELETION", KEEP_ANONYMOUS)

    @property
    def PDF_BASE_URL(self) -> str | None:
        base_dir = self._setting("BASE_DIR", None)
        return str(base_dir) if base_dir else None


_app_settings = AppSettings()


def __getattr__(name: str):
    # PEP 562: `from certificates import app_settings; app_settings.X` reads the live value.
    return getattr(_app_settings, name)
