"""Two-factor authentication (allauth.mfa) for privileged users: who must have it, and whether they do.

Privileged are those who can change what others learn or see what others did: administrators,
anyone with access to the Wagtail admin (course holders in «Kursholdere», user representatives
who review courses there, staff), and managers and reporters of an organisation unit. They
reach the paths in PRIVILEGED_MFA_PATHS (the admin and the managers' pages) only with a second
factor set up and used in this session; PrivilegedMFAMiddleware (people.middleware) enforces
it in one place. Learners may turn it on themselves on «Min konto».
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.urls import reverse

from . import app_settings
from .selectors import can_view_reports

# Recovery codes only back up another factor; on their own they are not one.
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def is_privileged(user) -> bool:
    """Administrators, Wagtail admin users (course holders, reviewers) and managers or reporters."""
    if not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or user.is_staff
        or user.has_perm("wagtailadmin.access_admin")
        or can_view_reports(user)
    )


def requires_second_factor(user) -> bool:
    return app_settings.PRIVILEGED_MFA_REQUIRED and is_privileged(user)


def second_factor_types(user) -> set[str]:
    """The second factors the user has set up (totp, webauthn); empty if none."""
    if not user.is_authenticated:
        return set()
    return set(
        Authenticator.objects.filter(user=user, type__in=SECOND_FACTORS).values_list("type", flat=True)
    )


def session_used_second_factor(request) -> bool:
    """Whether this session was signed in, or confirmed since, with a second factor (or a passkey)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def protects(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in app_settings.PRIVILEGED_MFA_PATHS)


def confirm_url(types: set[str]) -> str:
    """Where a user with a second factor proves it again: the code form, else the security key."""
    if Authenticator.Type.TOTP in types:
        return reverse("mfa_reauthenticate")
    return reverse("mfa_reauthenticate_webauthn")
