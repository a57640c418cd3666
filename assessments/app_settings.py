"""The assessments app's settings, each with its default, read when used.

    QUIZ_DEADLINE_GRACE_SECONDS  seconds after a quiz's time limit in which answers and submits
                                 still count (a slow network at the last second); default 30
    EVALUATION_MIN_RESPONSES     course evaluation results (and their CSV) are shown only from this
                                 many responses, so no answer points to a person; default 5
"""

from __future__ import annotations

from django.conf import settings


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, name, default)

    @property
    def QUIZ_DEADLINE_GRACE_SECONDS(self) -> int:
        return self._setting("QUIZ_DEADLINE_GRACE_SECONDS", 30)

    @property
    def EVALUATION_MIN_RESPONSES(self) -> int:
        return self._setting("EVALUATION_MIN_RESPONSES", 5)


_app_settings = AppSettings()


def __getattr__(name: str):
    # PEP 562: `from assessments import app_settings; app_settings.X` reads the live value.
    return getattr(_app_settings, name)
