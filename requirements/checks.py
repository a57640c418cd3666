"""System checks for the requirements app's settings (registered in RequirementsConfig.ready())."""

from __future__ import annotations

from core.checks import number_setting_errors

from . import app_settings


def settings_check(app_configs=None, **kwargs) -> list:
    return number_setting_errors(
        "REQUIRED_LEARNING_REMINDER_DAYS",
        app_settings.REQUIRED_LEARNING_REMINDER_DAYS,
        minimum=0,
        check_id="requirements.E001",
    )
