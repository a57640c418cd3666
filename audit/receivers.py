"""Thin receivers: a person anonymised or deleted loses their name in the audit log too."""

from __future__ import annotations

from .services import audit_anonymise_user


def user_anonymising(sender, user, **kwargs) -> None:
    audit_anonymise_user(user_id=user.pk)


def user_deleting(sender, instance, **kwargs) -> None:
    audit_anonymise_user(user_id=instance.pk)
