from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    """Quizzes, reflection tasks, course evaluation and self-assessment."""

    name = "assessments"
    verbose_name = _("Vurdering")
    default_auto_field = "django.db.models.BigAutoField"
    # Quiz and reflection blocks in a module's body (courses.activities).
    course_activity_blocks = "assessments.blocks.module_activity_blocks"

    def ready(self):
        from django.core import checks

        from courses import activities

        from . import checks as app_checks
        from .activities import EvaluationStep, QuizActivity, ReflectionActivity

        checks.register(app_checks.settings_check)

        for kind in (QuizActivity(), ReflectionActivity(), EvaluationStep()):
            activities.register(kind)

        # Module pages render quizzes from the shared cache (blocks.QuizChooserBlock): a saved or
        # deleted quiz starts a new content generation, as a published page does.
        from django.db.models.signals import post_delete, post_save

        from content.routing import forget_content

        from .models import Quiz

        for signal in (post_save, post_delete):
            signal.connect(forget_content, sender=Quiz, dispatch_uid="assessments.quiz.forget_content")

        from . import personal_data

        personal_data.register()  # its part of «Mine data», and what it erases on anonymisation
