"""allauth hooks for single sign-on: new SSO users become learners; staff of an organisation
that requires SSO cannot use a password here."""

from __future__ import annotations

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from people.adapters import AccountAdapter as PeopleAccountAdapter
from people.models import ParticipantType

from .logout import logout_url_at_provider
from .selectors import required_provider_for_email

# allauth's views whose e-mail field leads to a password: sign-up and password reset.
PASSWORD_EMAIL_VIEWS = {"account_signup", "account_reset_password"}


def _password_refused(required, *, action: str) -> ValidationError:
    # Names the domain's rule, never whether an account exists (no enumeration).
    messages = {
        "login": _(
            "Adresser under %(domain)s logger inn med %(name)s, ikke med passord. "
            "Bruk knappen «Logg inn med %(name)s»."
        ),
        "signup": _(
            "Adresser under %(domain)s logger inn med %(name)s og får konto ved første innlogging. "
            "Bruk knappen «Logg inn med %(name)s» på innloggingssiden."
        ),
        "reset": _(
            "Adresser under %(domain)s har ikke passord her: de logger inn med %(name)s. "
            "Bruk knappen «Logg inn med %(name)s» på innloggingssiden."
        ),
    }
    return ValidationError(
        messages[action] % {"domain": required.domain, "name": required.name}, code="sso_required"
    )


class AccountAdapter(PeopleAccountAdapter):
    """People's adapter, plus the rule that some e-mail domains sign in only through their SSO."""

    def pre_authenticate(self, request, **credentials) -> None:
        required = required_provider_for_email(credentials.get("email") or "")
        if required is not None:
            raise _password_refused(required, action="login")
        super().pre_authenticate(request, **credentials)

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        request = self.request
        match = getattr(request, "resolver_match", None) if request is not None else None
        if match is not None and match.url_name in PASSWORD_EMAIL_VIEWS:
            required = required_provider_for_email(email)
            if required is not None:
                action = "signup" if match.url_name == "account_signup" else "reset"
                raise _password_refused(required, action=action)
        return email

    def get_logout_redirect_url(self, request) -> str:
        # Asked before the session is flushed: after an SSO login, log out at the provider too.
        return logout_url_at_provider(request) or super().get_logout_redirect_url(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """A person's first single sign-on creates a learner: no group, no unit, no admin access.
    Roles come only from the administrators' claim mappings (see services.roles_sync_from_claims)."""

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.participant_type = ParticipantType.OTHER
        user.is_staff = False
        user.is_superuser = False
        user.preferred_language = translation.get_language() or settings.LANGUAGE_CODE
        return user
