"""Reads: the configured providers, which one an e-mail domain must use, the roles claims call for."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.socialaccount.adapter import get_adapter

from .configuration import PROVIDER, domain_matches, email_domain
from .models import ClaimMapping


@dataclass(frozen=True)
class RequiredProvider:
    """The provider an e-mail domain must sign in with, and the rule that says so."""

    provider_id: str
    name: str
    domain: str


def configured_apps() -> list:
    """allauth's apps for the OpenID Connect provider (from the settings; none from the database)."""
    return list(get_adapter().list_apps(None, provider=PROVIDER))


def configured_provider_ids() -> list[str]:
    return [app.provider_id for app in configured_apps()]


def app_for(provider_id: str):
    return next((app for app in configured_apps() if app.provider_id == provider_id), None)


def required_provider_for_email(email: str) -> RequiredProvider | None:
    """The provider whose staff addresses may not use a password here, if the address is one."""
    domain = email_domain(email or "")
    if not domain:
        return None
    for app in configured_apps():
        for rule in app.settings.get("required_for_domains", []):
            if domain_matches(domain, rule):
                return RequiredProvider(provider_id=app.provider_id, name=app.name, domain=rule)
    return None


def _claim_values(claims: dict, name: str) -> set[str]:
    value = claims
    for part in name.split("."):  # "realm_access.roles" reaches into a nested claim
        if not isinstance(value, dict) or part not in value:
            return set()
        value = value[part]
    if isinstance(value, list | tuple | set):
        return {str(v) for v in value if not isinstance(v, dict | list)}
    if isinstance(value, bool):
        return {"true" if value else "false"}
    if value is None or isinstance(value, dict):
        return set()
    return {str(value)}


def mappings_matching(*, provider_id: str, claims: dict) -> list[ClaimMapping]:
    """The provider's mappings whose claim holds their value in these claims."""
    return [
        mapping
        for mapping in ClaimMapping.objects.filter(provider_id=provider_id).select_related(
            "group", "manager_of"
        )
        if mapping.value in _claim_values(claims, mapping.claim)
    ]


def claims_from_extra_data(extra_data: dict) -> dict:
    """allauth keeps the ID token's claims and the userinfo response; userinfo wins where both say."""
    id_token = extra_data.get("id_token") if isinstance(extra_data.get("id_token"), dict) else {}
    userinfo = extra_data.get("userinfo") if isinstance(extra_data.get("userinfo"), dict) else {}
    if not id_token and not userinfo:
        return dict(extra_data)
    return {**id_token, **userinfo}
