"""Writes: the roles that administrators' claim mappings give, brought in line at each SSO login."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from people.models import Membership, Role

from .models import ClaimGrant
from .selectors import mappings_matching


@transaction.atomic
def roles_sync_from_claims(*, user, provider_id: str, claims: dict) -> tuple[int, int]:
    """Grant what the mappings call for and revoke what they granted earlier but no longer do.

    A role the person already had by hand is left alone and is not recorded as granted, so
    losing the claim never takes it away. Returns (granted, revoked).
    """
    matching = mappings_matching(provider_id=provider_id, claims=claims)
    wanted_groups = {m.group for m in matching if m.group_id}
    wanted_units = {m.manager_of for m in matching if m.manager_of_id}
    grants = list(ClaimGrant.objects.select_for_update().filter(user=user, provider_id=provider_id))
    granted_groups = {g.group_id: g for g in grants if g.group_id}
    granted_units = {g.manager_of_id: g for g in grants if g.manager_of_id}
    user_group_ids = set(user.groups.values_list("id", flat=True))
    granted = revoked = 0

    for group in wanted_groups:
        if group.pk in granted_groups:
            if group.pk not in user_group_ids:  # taken away by hand: the mapping still says so
                user.groups.add(group)
                granted += 1
        elif group.pk not in user_group_ids:
            user.groups.add(group)
            ClaimGrant.objects.create(user=user, provider_id=provider_id, group=group)
            granted += 1
    wanted_group_ids = {group.pk for group in wanted_groups}
    for group_id, grant in granted_groups.items():
        if group_id in wanted_group_ids:
            continue
        grant.delete()
        still_granted = ClaimGrant.objects.filter(
            user=user, group_id=group_id
        ).exists()  # by another provider
        if not still_granted and group_id in user_group_ids:
            user.groups.remove(group_id)
            revoked += 1

    for unit in wanted_units:
        membership, created = Membership.objects.get_or_create(
            user=user, unit=unit, role=Role.MANAGER, defaults={"joined_at": timezone.localdate()}
        )
        if unit.pk in granted_units:
            granted += int(created)
        elif created:
            ClaimGrant.objects.create(user=user, provider_id=provider_id, manager_of=unit)
            granted += 1
    wanted_unit_ids = {unit.pk for unit in wanted_units}
    for unit_id, grant in granted_units.items():
        if unit_id in wanted_unit_ids:
            continue
        grant.delete()
        if not ClaimGrant.objects.filter(user=user, manager_of_id=unit_id).exists():
            revoked += Membership.objects.filter(user=user, unit_id=unit_id, role=Role.MANAGER).delete()[0]
    return granted, revoked
