"""allauth hooks: how a new account gets its profile, how its e-mails read and leave, the client's
address, and the per-account login delay (people.throttling)."""

import logging
from dataclasses import dataclass
from functools import partial

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import ngettext

from core.ratelimit import client_address

from . import tasks, throttling

# allauth's sign-up e-mails: one for a new address, one for a taken address. Both leave through the
# same background task after the transaction, so the answer to a sign-up takes as long whichever
# was sent (no SMTP round trip in the request that only one path would make).
SIGNUP_MAIL_TEMPLATES = {
    "account/email/email_confirmation_signup",
    "account/email/account_already_exists",
}


logger = logging.getLogger(__name__)


def _queue_account_mail(payload: dict) -> None:
    """Queue a sign-up e-mail after the commit; with the broker down, send it now instead.

    No row holds the message (allauth keeps no copy of its confirmation link), so no sweep could
    send it later: losing it would leave the person without the link. Only then does the request
    wait for the mail server, so its timing differs only while the broker is away."""
    try:
        tasks.send_account_mail.delay(payload)
    except Exception:
        logger.exception("The broker is unreachable: sending an account e-mail in the request")
        tasks.account_mail_send(payload)


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
        if template_prefix not in SIGNUP_MAIL_TEMPLATES:
            super().send_mail(template_prefix, email, context)
            return
        message = self.render_mail(template_prefix, email, {"request": request, "email": email, **context})
        payload = {
            "subject": message.subject,
            "body": message.body,
            "from_email": message.from_email,
            "to": list(message.to),
            "headers": dict(message.extra_headers),
            "alternatives": [list(alternative) for alternative in getattr(message, "alternatives", [])],
        }
        transaction.on_commit(partial(_queue_account_mail, payload), robust=True)

    # --- Client address and login throttling (people.throttling) ------------------------------

    def get_client_ip(self, request) -> str:
        # One answer for allauth's limits and the platform's own (core.ratelimit): X-Forwarded-For
        # only with TRUSTED_PROXY_COUNT > 0, then the entry the nearest trusted proxy wrote.
        return client_address(request)

    def pre_authenticate(self, request, **credentials):
        super().pre_authenticate(request, **credentials)  # allauth's per-address limit
        login = throttling.login_key(credentials)
        wait = throttling.attempt_start(request, login)
        if wait:
            raise ValidationError(
                ngettext(
                    "Vent %(seconds)d sekund før du prøver igjen.",
                    "Vent %(seconds)d sekunder før du prøver igjen.",
                    wait,
                )
                % {"seconds": wait},
                code="login_delayed",
            )

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            throttling.attempt_succeeded(throttling.login_key(credentials))
        return user

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        # This browser is now one the owner signs in with: it skips the per-account delay.
        throttling.remember_device(request, response, user.email)
        return response

    def _delete_login_attempts_cached_email(self, request, **credentials):
        # allauth calls this after a successful password reset.
        super()._delete_login_attempts_cached_email(request, **credentials)
        throttling.forget_failures(throttling.login_key(credentials))
