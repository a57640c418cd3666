"""allauth hooks: how a new account gets its profile and how its e-mails read."""

from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.utils import translation


@dataclass(frozen=True)
class PlatformSite:
    """What allauth's e-mails call the site: the platform's name, the host it was reached on."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The language the visitor was reading in when they signed up becomes
        # their preferred language.
        user.preferred_language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Without django.contrib.sites allauth would greet with the bare host name.
        request = allauth_context.request
        domain = request.get_host() if request is not None else ""
        context = {"current_site": PlatformSite(name=settings.WAGTAIL_SITE_NAME, domain=domain), **context}
        super().send_mail(template_prefix, email, context)
