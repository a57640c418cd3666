from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CoursesConfig(AppConfig):
    """The catalogue, courses and modules, enrolment and progress, and the completion ledger.

    Activity kinds plug in through courses.activities; apps that act on completion
    listen to courses.signals. Courses imports none of them.
    """

    name = "courses"
    verbose_name = pgettext_lazy("list of courses", "Kurs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from . import checks as app_checks

        checks.register(app_checks.activity_scripts_check)

        from . import personal_data

        personal_data.register()  # its part of a learner's «Mine data»

        # Competence areas are shown in cached course fragments and catalogue filters
        # (content/routing.py's generation): renaming or removing one forgets them.
        from django.db.models.signals import post_delete, post_save

        from content.routing import forget_content

        from .models import CompetenceArea

        for signal in (post_save, post_delete):
            signal.connect(forget_content, sender=CompetenceArea, dispatch_uid="courses.forget_content")
