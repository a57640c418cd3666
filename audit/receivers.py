"""Thin receivers: a person anonymised or deleted loses their name in the audit log too."""

from __future__ import annotations

from auditlog.context import auditlog_value

from .models import users_being_deleted
from .services import audit_anonymise_user, record_bulk_change


def user_anonymising(sender, user, **kwargs) -> None:
    audit_anonymise_user(user_id=user.pk)


def user_deleting(sender, instance, **kwargs) -> None:
    users_being_deleted.set(users_being_deleted.get() | {instance.pk})
    # A person deleting their own account: auditlog would stamp what is deleted with them, a
    # key to a row gone at commit.
    context = auditlog_value.get(None)
    actor = context.get("actor") if context else None
    if actor is not None and getattr(actor, "pk", None) == instance.pk:
        context["actor"] = None
    audit_anonymise_user(user_id=instance.pk)


def user_deleted(sender, instance, **kwargs) -> None:
    users_being_deleted.set(users_being_deleted.get() - {instance.pk})


def memberships_imported(sender, user_ids, by=None, **kwargs) -> None:
    # The staff import writes memberships in bulk, past auditlog's per-row signals.
    record_bulk_change(
        model="people.Membership",
        event="memberships_imported",
        subject_user_ids=user_ids,
        actor=by,
        detail={"people": len(user_ids)},
    )
