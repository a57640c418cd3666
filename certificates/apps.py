from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """Kursbevis: issuance, PDF, verification and expiry (built in a later issue)."""

    name = "certificates"
    verbose_name = _("Kursbevis")
