"""The people app's settings, each with its default, read when used.

    PRIVACY_CONTACT_EMAIL  who is told of a learner's request to be deleted; default "" (then the
                           site's ADMINS are told)
    DATA_EXPORT_EXPIRY_DAYS          days a «Mine data» ZIP can be downloaded before it is deleted;
                                     default 7
    INACTIVE_ACCOUNT_ANONYMISE_DAYS  days without a login after which an account is anonymised;
                                     default 1095 (three years); 0 turns it off
    INACTIVE_ACCOUNT_WARNING_DAYS    days before that the person is warned by e-mail; default 30
    PRIVILEGED_MFA_REQUIRED          whether administrators, admin users, managers and reporters
                                     must use two-factor authentication; default True
    PRIVILEGED_MFA_PATHS             path prefixes only they reach, and only with a second factor;
                                     default ("/admin/", "/leder/")

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

    @property
    def DATA_EXPORT_EXPIRY_DAYS(self) -> int:
        return self._setting("DATA_EXPORT_EXPIRY_DAYS", 7)

    @property
    def INACTIVE_ACCOUNT_ANONYMISE_DAYS(self) -> int:
        return self._setting("INACTIVE_ACCOUNT_ANONYMISE_DAYS", 3 * 365)

    @property
    def INACTIVE_ACCOUNT_WARNING_DAYS(self) -> int:
        return self._setting("INACTIVE_ACCOUNT_WARNING_DAYS", 30)

    @property
    def PRIVILEGED_MFA_REQUIRED(self) -> bool:
        return self._setting("PRIVILEGED_MFA_REQUIRED", True)

    @property
    def PRIVILEGED_MFA_PATHS(self) -> tuple[str, ...]:
        return tuple(self._setting("PRIVILEGED_MFA_PATHS", ("/admin/", "/leder/")))


_app_settings = AppSettings()


def __getattr__(name: str):
    # PEP 562: `from people import app_settings; app_settings.X` reads the live value.
    return getattr(_app_settings, name)
