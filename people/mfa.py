"""Two-factor authentication (allauth.mfa) for privileged users: who must have it, and whether they do.

Privileged are those who can change what others learn or see what others did: administrators,
anyone with access to the Wagtail admin (course holders in «Kursholdere», user representatives
who review courses there, staff), and managers and reporters of an organisation unit. They
reach the paths in PRIVILEGED_MFA_PATHS (the admin and the managers' pages) only with a second
factor set up and used in this session; PrivilegedMFAMiddleware (people.middleware) enforces
it in one place. A privilege used outside those paths (an editor reading an unpublished course's
module) asks `privileges_usable`. Learners may turn it on themselves on «Min konto».

allauth.mfa is imported inside the functions, so importing this module needs no allauth.mfa.
"""

from __future__ import annotations

from django.urls import reverse

from . import app_settings
from .selectors import can_view_reports

SET_UP = "set_up"
CONFIRM = "confirm"


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
    """The second factors the user has set up (totp, webauthn); empty if none.

    Recovery codes only back up another factor; on their own they are not one."""
    from allauth.mfa.models import Authenticator

    if not user.is_authenticated:
        return set()
    factors = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
    return set(Authenticator.objects.filter(user=user, type__in=factors).values_list("type", flat=True))


def session_used_second_factor(request) -> bool:
    """Whether this session was signed in, or confirmed since, with a second factor (or a passkey)."""
    from allauth.account.authentication import get_authentication_records

    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def missing_step(request) -> tuple[str, set[str]] | None:
    """What stands between the signed-in user and their privileges: SET_UP (no second factor),
    CONFIRM (one, but not used in this session), or None (nothing, or not privileged)."""
    user = getattr(request, "user", None)
    if user is None or not requires_second_factor(user):
        return None
    types = second_factor_types(user)
    if not types:
        return SET_UP, types
    if not session_used_second_factor(request):
        return CONFIRM, types
    return None


def privileges_usable(request) -> bool:
    return missing_step(request) is None


def protects(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in app_settings.PRIVILEGED_MFA_PATHS)


def step_url(step: str, types: set[str]) -> str:
    """The setup page, or where a user with a second factor proves it again (code, else key)."""
    if step == SET_UP:
        return reverse("people:mfa_required")
    if "totp" in types:
        return reverse("mfa_reauthenticate")
    return reverse("mfa_reauthenticate_webauthn")
