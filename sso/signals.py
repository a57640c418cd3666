"""At each SSO login: roles from the mapped claims, and where logging out should also go."""

from allauth.account.signals import user_logged_in
from django.dispatch import receiver

from .logout import remember_provider_for_logout
from .selectors import app_for, claims_from_extra_data
from .services import roles_sync_from_claims


@receiver(user_logged_in, dispatch_uid="sso_roles_from_claims")
def apply_claim_mappings(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is None:
        return
    provider_id = sociallogin.account.provider
    if app_for(provider_id) is None:  # not one of our OpenID Connect providers
        return
    roles_sync_from_claims(
        user=user,
        provider_id=provider_id,
        claims=claims_from_extra_data(sociallogin.account.extra_data or {}),
    )
    remember_provider_for_logout(request, provider_id)
