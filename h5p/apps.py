from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class H5PConfig(AppConfig):
    name = "h5p"
    label = "h5p"
    verbose_name = _("H5P")
    default_auto_field = "django.db.models.BigAutoField"
    # The H5P block in a module's body (courses.activities).
    course_activity_blocks = "h5p.blocks.module_activity_blocks"

    def ready(self):
        from django.core import checks

        import core.checks
        from courses import activities

        from . import checks as app_checks
        from .activities import H5PActivity

        activities.register(H5PActivity())

        from . import personal_data

        personal_data.register()  # its part of «Mine data», and what it erases on anonymisation
        checks.register(app_checks.settings_check)
        checks.register(app_checks.player_check)
        checks.register(app_checks.player_origin_check)
        checks.register(core.checks.private_media_root)  # packages are stored there
