"""System checks for the audit app (registered in AuditConfig.ready())."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error

from core.checks import number_setting_errors

from . import app_settings

ENTRY_MODEL = "audit.AuditEntry"
MIDDLEWARE = "audit.middleware.AuditMiddleware"
AUTHENTICATION_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"


def retention_check(app_configs=None, **kwargs) -> list[Error]:
    # At least a day: 0 would let the nightly task empty the log.
    return number_setting_errors(
        "AUDIT_RETENTION_DAYS", app_settings.AUDIT_RETENTION_DAYS, minimum=1, check_id="audit.E001"
    )


def entry_model_check(app_configs=None, **kwargs) -> list[Error]:
    """The admin view, the subject person and anonymisation need auditlog to write audit.AuditEntry."""
    value = getattr(settings, "AUDITLOG_LOGENTRY_MODEL", "auditlog.LogEntry")
    if value == ENTRY_MODEL:
        return []
    return [
        Error(
            f"AUDITLOG_LOGENTRY_MODEL is {value!r}; the audit app needs {ENTRY_MODEL!r}.",
            hint=f"Set AUDITLOG_LOGENTRY_MODEL = {ENTRY_MODEL!r} before the first migrate.",
            id="audit.E002",
        )
    ]


def middleware_check(app_configs=None, **kwargs) -> list[Error]:
    """Changes are tied to who made them and from where only through the middleware, after
    authentication; auditlog's own middleware would believe any X-Forwarded-For a client sends."""
    middleware = list(getattr(settings, "MIDDLEWARE", None) or [])
    if MIDDLEWARE in middleware and AUTHENTICATION_MIDDLEWARE in middleware[: middleware.index(MIDDLEWARE)]:
        if "auditlog.middleware.AuditlogMiddleware" in middleware:
            return [
                Error(
                    "auditlog.middleware.AuditlogMiddleware is in MIDDLEWARE beside the audit app's own.",
                    hint=f"Remove it; {MIDDLEWARE} replaces it and honours TRUSTED_PROXY_COUNT.",
                    id="audit.E004",
                )
            ]
        return []
    return [
        Error(
            f"{MIDDLEWARE} must be in MIDDLEWARE, after {AUTHENTICATION_MIDDLEWARE}.",
            hint="Without it, changes in the log have no actor and no address.",
            id="audit.E003",
        )
    ]
