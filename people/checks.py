"""System checks for the people app (registered in PeopleConfig.ready()).

people reads no settings of its own; these catch the two ways a host site can wire it wrongly.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error

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
