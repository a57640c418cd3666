from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Managers' dashboard of required learning, activity statistics, and exports."""

    name = "reports"
    verbose_name = _("Rapporter")
