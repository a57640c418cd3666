"""System checks for the people app (registered in PeopleConfig.ready())."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.checks import number_setting_errors

from . import app_settings

USER_MODEL = "people.User"
LANGUAGE_MIDDLEWARE = "people.middleware.LanguageMiddleware"
AUTHENTICATION_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"


def user_model_check(app_configs=None, **kwargs) -> list:
    """The apps read people.User's fields (full_name, participant_type, preferred_language) and
    people.User is not swappable: beside another user model it would be a second one."""
    if settings.AUTH_USER_MODEL == USER_MODEL:
        return []
    return [
        Error(
            f"AUTH_USER_MODEL is {settings.AUTH_USER_MODEL!r}; the people app needs {USER_MODEL!r}.",
            hint=f"Set AUTH_USER_MODEL = {USER_MODEL!r} before the first migrate.",
            id="people.E001",
        )
    ]


def middleware_check(app_configs=None, **kwargs) -> list:
    """LanguageMiddleware reads the signed-in user's language, so it must come after authentication."""
    middleware = list(getattr(settings, "MIDDLEWARE", None) or [])
    if LANGUAGE_MIDDLEWARE not in middleware:
        return []
    position = middleware.index(LANGUAGE_MIDDLEWARE)
    if AUTHENTICATION_MIDDLEWARE in middleware[:position]:
        return []
    return [
        Error(
            f"{LANGUAGE_MIDDLEWARE} must come after {AUTHENTICATION_MIDDLEWARE} in MIDDLEWARE.",
            hint="It chooses the signed-in user's saved language, so it needs request.user.",
            id="people.E002",
        )
    ]


def privacy_contact_check(app_configs=None, **kwargs) -> list:
    """Someone must hear of a learner's request to be deleted: PRIVACY_CONTACT_EMAIL, else ADMINS."""
    contact = app_settings.PRIVACY_CONTACT_EMAIL
    if contact:
        try:
            validate_email(contact)
        except (ValidationError, TypeError):
            return [
                Error(
                    f"PRIVACY_CONTACT_EMAIL must be an e-mail address; it is {contact!r}.",
                    id="people.E003",
                )
            ]
        return []
    if getattr(settings, "ADMINS", None):
        return []
    return [
        Warning(
            "Neither PRIVACY_CONTACT_EMAIL nor ADMINS is set: requests to be deleted are recorded, "
            "but nobody is told.",
            hint="Set PRIVACY_CONTACT_EMAIL to the address that handles them.",
            id="people.W001",
        )
    ]


def privacy_settings_check(app_configs=None, **kwargs) -> list:
    """Export expiry and the inactive-account periods: whole numbers, and the warning inside the period."""
    errors = number_setting_errors(
        "DATA_EXPORT_EXPIRY_DAYS", app_settings.DATA_EXPORT_EXPIRY_DAYS, minimum=1, check_id="people.E004"
    )
    days, warning = app_settings.INACTIVE_ACCOUNT_ANONYMISE_DAYS, app_settings.INACTIVE_ACCOUNT_WARNING_DAYS
    errors += number_setting_errors(
        "INACTIVE_ACCOUNT_ANONYMISE_DAYS", days, minimum=0, check_id="people.E005"
    )
    errors += number_setting_errors(
        "INACTIVE_ACCOUNT_WARNING_DAYS", warning, minimum=1, check_id="people.E006"
    )
    if not errors and days and warning >= days:
        errors.append(
            Error(
                f"INACTIVE_ACCOUNT_WARNING_DAYS ({warning}) must be less than "
                f"INACTIVE_ACCOUNT_ANONYMISE_DAYS ({days}).",
                id="people.E007",
            )
        )
    return errors


MFA_MIDDLEWARE = "people.middleware.PrivilegedMFAMiddleware"


def privileged_mfa_check(app_configs=None, **kwargs) -> list:
    """PRIVILEGED_MFA_REQUIRED needs allauth.mfa and PrivilegedMFAMiddleware after authentication,
    and PRIVILEGED_MFA_PATHS must be path prefixes; otherwise the requirement would silently not hold."""
    if not app_settings.PRIVILEGED_MFA_REQUIRED:
        return []
    errors = []
    if "allauth.mfa" not in settings.INSTALLED_APPS:
        errors.append(
            Error(
                "PRIVILEGED_MFA_REQUIRED is on, but allauth.mfa is not in INSTALLED_APPS.",
                hint='Add "allauth.mfa" (extra "django-allauth[mfa]") or turn PRIVILEGED_MFA_REQUIRED off.',
                id="people.E011",
            )
        )
    middleware = list(getattr(settings, "MIDDLEWARE", None) or [])
    if MFA_MIDDLEWARE not in middleware or AUTHENTICATION_MIDDLEWARE not in middleware[
        : middleware.index(MFA_MIDDLEWARE)
    ]:
        errors.append(
            Error(
                f"PRIVILEGED_MFA_REQUIRED is on, but {MFA_MIDDLEWARE} is not in MIDDLEWARE "
                f"after {AUTHENTICATION_MIDDLEWARE}.",
                hint="It is what keeps privileged users without a second factor out of the admin.",
                id="people.E012",
            )
        )
    paths = app_settings.PRIVILEGED_MFA_PATHS
    if not paths or not all(isinstance(p, str) and p.startswith("/") and p.endswith("/") for p in paths):
        errors.append(
            Error(
                f"PRIVILEGED_MFA_PATHS must be path prefixes such as '/admin/'; it is {paths!r}.",
                id="people.E013",
            )
        )
    return errors
