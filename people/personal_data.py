"""people's part of «Mine data», and what happens on its side when someone logs in."""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from .models import DeletionRequest, Membership
from .privacy import register_personal_data


def collect_profile(user) -> list[dict]:
    return [
        {
            "e-post": user.email,
            "fornavn": user.first_name,
            "etternavn": user.last_name,
            "deltakertype": user.get_participant_type_display(),
            "yrke": user.profession,
            "foretrukket_sprak": user.get_preferred_language_display(),
            "registrert": user.date_joined,
            "sist_innlogget": user.last_login,
            "aktiv": user.is_active,
            "administrator": user.is_staff,
        }
    ]


def collect_memberships(user) -> list[dict]:
    return [
        {"enhet": m.unit.name, "rolle": m.get_role_display(), "startdato": m.joined_at}
        for m in Membership.objects.filter(user=user).select_related("unit").order_by("unit__path")
    ]


def collect_deletion_requests(user) -> list[dict]:
    return [
        {
            "mottatt": r.requested_at,
            "status": r.get_status_display(),
            "behandlet": r.handled_at,
            "begrunnelse": r.reason,
        }
        for r in DeletionRequest.objects.filter(user=user).order_by("requested_at")
    ]


def collect_sign_in(user) -> list[dict]:
    """E-mail addresses, linked accounts and second factors: what they are, never their secrets."""
    from allauth.account.models import EmailAddress

    records: list[dict] = [
        {
            "type": "e-postadresse",
            "adresse": address.email,
            "bekreftet": address.verified,
            "primar": address.primary,
        }
        for address in EmailAddress.objects.filter(user=user).order_by("email")
    ]
    records.append({"type": "passord", "har_passord": user.has_usable_password()})
    if apps.is_installed("allauth.socialaccount"):
        SocialAccount = apps.get_model("socialaccount", "SocialAccount")
        records += [
            {
                "type": "koblet konto",
                "leverandor": account.provider,
                "id_hos_leverandor": account.uid,
                "koblet": account.date_joined,
                "sist_brukt": account.last_login,
                # What the provider told about the person at sign-in (claims), never its tokens.
                "opplysninger_fra_leverandor": account.extra_data,
            }
            for account in SocialAccount.objects.filter(user=user)
        ]
    if apps.is_installed("allauth.mfa"):
        Authenticator = apps.get_model("mfa", "Authenticator")
        records += [
            {
                "type": "totrinnsinnlogging",
                "metode": authenticator.get_type_display(),
                "opprettet": getattr(authenticator, "created_at", None),
                "sist_brukt": getattr(authenticator, "last_used_at", None),
            }
            for authenticator in Authenticator.objects.filter(user=user)
        ]
    return records


def register() -> None:
    register_personal_data("profil", title=_("Profil"), collect=collect_profile, order=10)
    register_personal_data(
        "innlogging", title=_("Innlogging og sikkerhet"), collect=collect_sign_in, order=11
    )
    register_personal_data("medlemskap", title=_("Enheter og roller"), collect=collect_memberships, order=12)
    register_personal_data(
        "sletteforesporsler", title=_("Forespørsler om sletting"), collect=collect_deletion_requests, order=90
    )


def on_login(sender, request, user, **kwargs) -> None:
    """Logging in cancels a pending anonymisation of an inactive account."""
    from .services import inactivity_warning_clear

    inactivity_warning_clear(user=user)
