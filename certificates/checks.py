"""System checks for the certificates app's settings (registered in CertificatesConfig.ready())."""

from __future__ import annotations

from django.core.checks import Error

from core.checks import number_setting_errors

from . import app_settings


def settings_check(app_configs=None, **kwargs) -> list:
    # 0 would refuse every lookup: the public verification page would never answer.
    errors = number_setting_errors(
        "CERTIFICATE_VERIFY_PER_MINUTE",
        app_settings.CERTIFICATE_VERIFY_PER_MINUTE,
        minimum=1,
        check_id="certificates.E001",
    )
    retention = app_settings.CERTIFICATE_RETENTION_AFTER_DELETION
    if retention not in app_settings.RETENTION_CHOICES:
        errors.append(
            Error(
                f"CERTIFICATE_RETENTION_AFTER_DELETION must be one of {app_settings.RETENTION_CHOICES}; "
                f"it is {retention!r}.",
                id="certificates.E002",
            )
        )
    return errors
