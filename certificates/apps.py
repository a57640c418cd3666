from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """Kursbevis: issued when courses announces a completion; PDF, verification and expiry."""

    name = "certificates"
    verbose_name = _("Kursbevis")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers

        receivers.connect()
