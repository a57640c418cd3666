from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Quizzes, reflection tasks, course evaluation and self-assessment."""

    name = "assessments"
    verbose_name = _("Vurdering")
