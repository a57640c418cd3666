from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    """Single sign-on over OpenID Connect: allauth's provider, the platform's rules around it."""

    name = "sso"
    verbose_name = _("Innlogging med OpenID Connect")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401
