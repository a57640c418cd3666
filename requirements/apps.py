from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequirementsConfig(AppConfig):
    """Required learning: assignments, each person's required courses, reminders and digests.

    It listens to people (memberships, units), courses (started, completed) and
    certificates (issued, revoked); nothing below it calls it.
    """

    name = "requirements"
    verbose_name = _("Påkrevd opplæring")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        import core.checks

        from . import checks as app_checks
        from . import receivers

        receivers.connect()

        from . import personal_data

        personal_data.register()  # its part of «Mine data»
        checks.register(app_checks.settings_check)
        checks.register(core.checks.platform_base_url)  # links in reminders and digests
