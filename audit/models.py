"""The audit log's one table: django-auditlog's log entry, with the person it is about.

auditlog writes here for every change to a registered model (AUDITLOG_LOGENTRY_MODEL points
at AuditEntry); `services.record_read` writes here for privileged reads (action ACCESS).

No names or e-mail addresses are copied into an entry. The person an entry is about is the
`subject_user` key and the actor is the `actor` key: the admin shows their names as they are
now, so once a person is anonymised or deleted, the entries keep the action and lose the name.
"""

from __future__ import annotations

from contextvars import ContextVar

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.utils.encoding import smart_str
from django.utils.translation import gettext_lazy as _

# The people whose rows are being deleted in this context (set by audit.receivers).
users_being_deleted: ContextVar[frozenset] = ContextVar("users_being_deleted", default=frozenset())


def subject_user_id_of(instance) -> int | None:
    """The person a record is about: the user itself, or the record's `user`, if it has one."""
    if isinstance(instance, get_user_model()):
        return instance.pk
    value = getattr(instance, "user_id", None)
    return value if isinstance(value, int) else None


def neutral_repr(instance) -> str:
    """What an entry calls a record about a person: its kind and number, never the person's name."""
    return f"{smart_str(instance._meta.verbose_name)} #{instance.pk}"


class AuditEntryManager(LogEntryManager):
    """auditlog's manager, filling in the subject person and a name-free description."""

    def _about(self, instance, kwargs: dict) -> None:
        subject = subject_user_id_of(instance)
        if subject is not None:
            kwargs.setdefault("subject_user_id", subject)
            kwargs.setdefault("object_repr", neutral_repr(instance))

    def log_create(self, instance, force_log: bool = False, **kwargs):
        self._about(instance, kwargs)
        return super().log_create(instance, force_log=force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        self._about(instance, kwargs)
        user_model = get_user_model()
        if changed_queryset and changed_queryset.model is user_model:
            # A group's members changed (group.user_set.add(...)): one entry per person, about
            # that person, so no name is stored and each person's entries are complete.
            entries = []
            for person in changed_queryset:
                entries.append(
                    super().log_m2m_changes(
                        [instance],
                        person,
                        operation,
                        "groups",
                        subject_user_id=person.pk,
                        object_repr=neutral_repr(person),
                    )
                )
            return entries[-1] if entries else None
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


class AuditEntry(AbstractLogEntry):
    # No database constraint and nothing done on delete: the number of a deleted person stays (a
    # number names no one), and entries written while a person is being deleted (their
    # memberships going with them) would otherwise point at a row that is gone at commit.
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        db_index=True,
        verbose_name=_("gjelder person"),
    )
    # What was read or done, for reads ("person_record", "staff_export", …); blank for changes.
    event = models.CharField(_("hendelse"), max_length=60, blank=True, db_index=True)

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("revisjonsloggpost")
        verbose_name_plural = _("revisjonslogg")

    def save(self, *args, **kwargs):
        # auditlog copies the actor's e-mail address; the actor key is enough, and an address
        # would outlive the person's anonymisation.
        self.actor_email = None
        if self.actor_id is not None and self.actor_id in users_being_deleted.get():
            self.actor = None  # a person deleting their own account: the key would point at nothing
        super().save(*args, **kwargs)
