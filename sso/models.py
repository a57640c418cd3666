"""Roles from an identity provider's claims: only what an administrator has mapped, nothing by default."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from people.models import OrganisationUnit


class ClaimMapping(models.Model):
    """«A person whose <claim> from <provider> holds <value> gets <group> / becomes manager of <unit>».

    Applied at each single sign-on with that provider: granted while the claim holds the value,
    taken away again when it no longer does. Roles given by hand are never touched.
    """

    provider_id = models.CharField(
        _("innloggingstjeneste"),
        max_length=50,
        help_text=_("«id» til tjenesten slik den står i OIDC_PROVIDERS, for eksempel helseid."),
    )
    claim = models.CharField(
        _("claim"),
        max_length=100,
        help_text=_("Navnet på opplysningen fra tjenesten, for eksempel groups eller roles."),
    )
    value = models.CharField(
        _("verdi"),
        max_length=255,
        help_text=_("Verdien som gir rollen. Er opplysningen en liste, holder det at verdien står i den."),
    )
    group = models.ForeignKey(
        Group,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("gruppe"),
        help_text=_("For eksempel Kursholdere."),
    )
    manager_of = models.ForeignKey(
        OrganisationUnit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("leder for enhet"),
    )

    class Meta:
        verbose_name = _("rolle fra innloggingstjeneste")
        verbose_name_plural = _("roller fra innloggingstjenester")
        ordering = ["provider_id", "claim", "value"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(manager_of__isnull=True))
                | (Q(group__isnull=True) & Q(manager_of__isnull=False)),
                name="sso_claimmapping_one_role",
            ),
        ]

    def __str__(self) -> str:
        role = self.group.name if self.group_id else _("leder for %(unit)s") % {"unit": self.manager_of}
        return f"{self.provider_id}: {self.claim} = {self.value} → {role}"

    def clean(self) -> None:
        super().clean()
        if bool(self.group_id) == bool(self.manager_of_id):
            raise ValidationError(
                _("Velg enten en gruppe eller en enhet personen blir leder for (ikke begge).")
            )
        from .selectors import configured_provider_ids

        known = configured_provider_ids()
        if self.provider_id and self.provider_id not in known:
            raise ValidationError(
                {
                    "provider_id": _("Ingen innloggingstjeneste har id «%(id)s». Kjente: %(known)s.")
                    % {"id": self.provider_id, "known": ", ".join(known) or "–"}
                }
            )


class ClaimGrant(models.Model):
    """A role that a mapping gave a person. Only roles recorded here are taken away again,
    so a group or a manager role that an administrator gave by hand stays."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    provider_id = models.CharField(max_length=50)
    group = models.ForeignKey(Group, null=True, on_delete=models.CASCADE, related_name="+")
    manager_of = models.ForeignKey(OrganisationUnit, null=True, on_delete=models.CASCADE, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "provider_id", "group"],
                condition=Q(group__isnull=False),
                name="sso_claimgrant_group_once",
            ),
            models.UniqueConstraint(
                fields=["user", "provider_id", "manager_of"],
                condition=Q(manager_of__isnull=False),
                name="sso_claimgrant_unit_once",
            ),
            models.CheckConstraint(
                condition=(Q(group__isnull=False) & Q(manager_of__isnull=True))
                | (Q(group__isnull=True) & Q(manager_of__isnull=False)),
                name="sso_claimgrant_one_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ← {self.provider_id}: {self.group_id or self.manager_of_id}"
