from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """The catalogue, courses and modules, enrolment and progress, and the completion ledger.

    Activity kinds plug in through courses.activities; apps that act on completion
    listen to courses.signals. Courses imports none of them.
    """

    name = "courses"
    verbose_name = _("Kurs")
    default_auto_field = "django.db.models.BigAutoField"
