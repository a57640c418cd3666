"""Writing to the audit log: privileged reads, anonymisation and the retention purge.

Changes to registered models are logged by django-auditlog itself (see registry.py); the
functions here are for what auditlog cannot see: a person's record opened, an export
downloaded, a shared reflection read.

    from audit.services import record_read
    record_read(request, action="person_record", obj=person)
    record_read(request, action="staff_export", model="requirements.RequiredLearning",
                detail={"format": "csv", "rows": 120})

`detail` holds plain facts (formats, counts, filters as ids): never free text people wrote,
never names. Keys that could carry such text are refused (AuditDetailError).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from core.ratelimit import client_address

from . import app_settings
from .models import AuditEntry, neutral_repr, subject_user_id_of

# Keys a read's detail may never have: they would carry what people wrote or who they are.
FORBIDDEN_DETAIL_KEYS = frozenset(
    {"text", "answer", "answers", "reflection", "response", "responses", "name", "email", "password", "token"}
)
ANONYMISED = "[anonymisert]"
PURGE_BATCH = 5000


class AuditDetailError(ValueError):
    pass


def request_address(request) -> str | None:
    """The client's address by core's trusted-proxy rule, or None if it is not an IP address."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def _content_type(obj, model) -> ContentType:
    if obj is not None:
        return ContentType.objects.get_for_model(obj)
    if isinstance(model, str):
        model = apps.get_model(model)
    return ContentType.objects.get_for_model(model or get_user_model())


def _check_detail(detail: dict) -> dict:
    for key in detail:
        if key.lower() in FORBIDDEN_DETAIL_KEYS:
            raise AuditDetailError(f"An audit entry's detail may not have {key!r}: no free text, no names.")
    return detail


def record_read(
    request,
    *,
    action: str,
    obj: models.Model | None = None,
    model: type[models.Model] | str | None = None,
    subject_user=None,
    detail: dict | None = None,
) -> AuditEntry:
    """Log that request.user read something privileged: `obj` (a record), or several records of
    `model` (e.g. an export). The person it is about is `subject_user`, else the record's own
    user (a certificate's, a reflection's, a user's)."""
    actor = request.user if getattr(request.user, "is_authenticated", False) else None
    subject_id = getattr(subject_user, "pk", subject_user)
    if subject_id is None and obj is not None:
        subject_id = subject_user_id_of(obj)
    if obj is not None:
        repr_ = neutral_repr(obj) if subject_user_id_of(obj) is not None else str(obj)
    else:
        model_class = apps.get_model(model) if isinstance(model, str) else (model or get_user_model())
        repr_ = str(model_class._meta.verbose_name_plural)
    return AuditEntry.objects.create(
        content_type=_content_type(obj, model),
        object_pk=str(obj.pk) if obj is not None else "",
        object_id=obj.pk if obj is not None and isinstance(obj.pk, int) else None,
        object_repr=repr_,
        action=AuditEntry.Action.ACCESS,
        event=action,
        actor=actor,
        subject_user_id=subject_id,
        remote_addr=request_address(request),
        additional_data=_check_detail(dict(detail or {})),
    )


def record_change(*, obj: models.Model, event: str, changes: dict, detail: dict | None = None) -> AuditEntry:
    """Log a change auditlog cannot see (made with a queryset update, e.g. a revocation).

    `changes` maps field names to [old, new] as text. Inside a request the actor and address
    come from AuditMiddleware, as for every other change."""
    return AuditEntry.objects.log_create(
        obj,
        force_log=True,
        action=AuditEntry.Action.UPDATE,
        event=event,
        changes={
            field: [str(old) if old is not None else "None", str(new)]
            for field, (old, new) in changes.items()
        },
        additional_data=_check_detail(dict(detail or {})) or None,
    )


def record_bulk_change(*, model: str, event: str, subject_user_ids, actor=None, detail=None) -> int:
    """Log a change written in bulk (which sends no signal per row): one entry per person it
    touched, written in one INSERT. The actor and address come from AuditMiddleware's context
    inside a request; `actor` overrides the actor. Returns the count."""
    from auditlog.context import auditlog_value

    context = auditlog_value.get(None) or {}
    actor = actor if actor is not None else context.get("actor")
    model_class = apps.get_model(model)
    content_type = ContentType.objects.get_for_model(model_class)
    entries = [
        AuditEntry(
            content_type=content_type,
            object_pk="",
            object_repr=str(model_class._meta.verbose_name_plural),
            action=AuditEntry.Action.CREATE,
            event=event,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            subject_user_id=user_id,
            remote_addr=context.get("remote_addr"),
            additional_data=_check_detail(dict(detail or {})) or None,
        )
        for user_id in subject_user_ids
    ]
    return len(AuditEntry.objects.bulk_create(entries, batch_size=1000))


def counted_rows(rows: Iterable, *, on_done) -> Iterator:
    """Pass rows through, then call on_done(count, complete) once: after the last row, or with
    complete=False when the download stopped early (a streamed response closed mid-way)."""
    count = 0
    complete = False
    try:
        for row in rows:
            count += 1
            yield row
        complete = True
    finally:
        on_done(count, complete)


def record_export(request, *, action: str, file_format: str, rows: Iterable, model=None, detail=None):
    """Rows for an export, counted: the read is logged with format and row count when the last
    row has gone out (streamed CSV) or been written (XLSX)."""

    def done(count: int, complete: bool) -> None:
        record_read(
            request,
            action=action,
            model=model,
            detail={**(detail or {}), "format": file_format, "rows": count, "complete": complete},
        )

    return counted_rows(rows, on_done=done)


@transaction.atomic
def audit_anonymise_user(*, user_id: int) -> int:
    """Remove what could name a person from the entries about them or by them; keep the actions.

    Entries keep the actor and subject keys (the person's row is anonymised, or the keys become
    empty when it is deleted); descriptions and changed values of records about the person are
    blanked, since a record's text (a certificate's holder name) could name them.
    Called from people's anonymisation signal and before a user is deleted. Returns the count."""
    # Updates, not save(): inside a request auditlog's middleware would stamp a saved entry with
    # the current actor and address.
    about = AuditEntry.objects.filter(subject_user_id=user_id).exclude(object_repr=ANONYMISED)
    changed = 0
    for pk, changes in about.values_list("pk", "changes").iterator():
        blanked = {field: [ANONYMISED, ANONYMISED] for field in (changes or {})}
        changed += AuditEntry.objects.filter(pk=pk).update(
            object_repr=ANONYMISED, changes=blanked, changes_text="", serialized_data=None
        )
    changed += AuditEntry.objects.filter(actor_id=user_id).exclude(actor_email=None).update(actor_email=None)
    return changed


def audit_purge_expired(*, now=None, batch_size: int = PURGE_BATCH) -> int:
    """Delete entries older than AUDIT_RETENTION_DAYS, in batches (bulk DELETEs). Returns the count."""
    cutoff = (now or timezone.now()) - timedelta(days=app_settings.AUDIT_RETENTION_DAYS)
    deleted = 0
    while True:
        ids = list(AuditEntry.objects.filter(timestamp__lt=cutoff).values_list("pk", flat=True)[:batch_size])
        if not ids:
            return deleted
        count, _by_model = AuditEntry.objects.filter(pk__in=ids).delete()
        deleted += count
