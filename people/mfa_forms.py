"""allauth's second-factor code forms, with a growing delay per account between wrong codes.

allauth limits code guesses per user through its `login_failed` rate limit's per-key part, which
the platform leaves out (ACCOUNT_RATE_LIMITS) so that nobody can lock another person's account
with wrong passwords. Someone at the code step already knows the password, so here each wrong
authenticator-app or recovery code makes the next attempt for that account wait longer (the same
progressive delay as sign-in, core.ratelimit), whichever addresses the guesses come from; a right
code clears it. Per-address limits stay as allauth has them.
"""

from allauth.mfa.base import forms as allauth_forms
from django import forms
from django.utils.translation import ngettext

from core import ratelimit

SCOPE = "mfa-code"


class CodeDelayMixin:
    def clean_code(self) -> str:
        key = str(self.user.pk)
        wait = ratelimit.delay_attempt_start(scope=SCOPE, key=key)
        if wait:
            raise forms.ValidationError(
                ngettext(
                    "Vent %(seconds)d sekund før du prøver en ny kode.",
                    "Vent %(seconds)d sekunder før du prøver en ny kode.",
                    wait,
                )
                % {"seconds": wait}
            )
        code = super().clean_code()  # raises on a wrong code: the attempt stays counted
        ratelimit.delay_attempt_succeeded(scope=SCOPE, key=key)
        return code


class AuthenticateForm(CodeDelayMixin, allauth_forms.AuthenticateForm):
    pass


class ReauthenticateForm(CodeDelayMixin, allauth_forms.ReauthenticateForm):
    pass
