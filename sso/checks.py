"""The SSO rules live in sso's adapters: a site that configures providers without them would
silently let required-SSO staff use passwords and let claims through unchecked."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


def _is_subclass(setting: str, dotted: str) -> bool:
    try:
        return issubclass(import_string(getattr(settings, setting, "")), import_string(dotted))
    except ImportError:
        return False


@register()
def check_adapters(app_configs, **kwargs):
    errors = []
    if not _is_subclass("ACCOUNT_ADAPTER", "sso.adapters.AccountAdapter"):
        errors.append(
            Error(
                "ACCOUNT_ADAPTER må være sso.adapters.AccountAdapter (eller arve fra den), "
                "ellers kan ansatte med påkrevd SSO bruke passord.",
                id="sso.E001",
            )
        )
    if not _is_subclass("SOCIALACCOUNT_ADAPTER", "sso.adapters.SocialAccountAdapter"):
        errors.append(
            Error(
                "SOCIALACCOUNT_ADAPTER må være sso.adapters.SocialAccountAdapter (eller arve fra den).",
                id="sso.E002",
            )
        )
    return errors
