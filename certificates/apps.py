from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    """Kursbevis: issued when courses announces a completion; PDF, verification and expiry."""

    name = "certificates"
    verbose_name = _("Kursbevis")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        import core.checks

        from . import checks as app_checks
        from . import receivers

        receivers.connect()

        from . import personal_data

        personal_data.register()  # its part of «Mine data», and what anonymisation does to certificates
        checks.register(app_checks.settings_check)
        checks.register(core.checks.platform_base_url)  # verification links and QR codes
        checks.register(core.checks.private_media_root)  # the PDFs
        checks.register(core.checks.trusted_proxy_count)  # the client address for the rate limit
