"""System checks for the assessments app's settings (registered in AssessmentsConfig.ready())."""

from __future__ import annotations

from core.checks import number_setting_errors

from . import app_settings


def settings_check(app_configs=None, **kwargs) -> list:
    return [
        *number_setting_errors(
            "QUIZ_DEADLINE_GRACE_SECONDS",
            app_settings.QUIZ_DEADLINE_GRACE_SECONDS,
            minimum=0,
            check_id="assessments.E001",
        ),
        *number_setting_errors(
            "EVALUATION_MIN_RESPONSES",
            app_settings.EVALUATION_MIN_RESPONSES,
            minimum=1,
            check_id="assessments.E002",
        ),
    ]
