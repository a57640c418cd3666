"""Reading the audit log: labels, the filtered listing and the rows of its export."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry

ACTION_LABELS = {
    AuditEntry.Action.CREATE: _("Opprettet"),
    AuditEntry.Action.UPDATE: _("Endret"),
    AuditEntry.Action.DELETE: _("Slettet"),
    AuditEntry.Action.ACCESS: _("Lest"),
}

# What the views record (services.record_read's `action`); an unknown one is shown as it is.
EVENT_LABELS = {
    "person_record": _("Åpnet en persons opplæringsoversikt"),
    "staff_export": _("Lastet ned eksport av ansatte"),
    "shared_reflection": _("Leste en delt refleksjon"),
    "activity_statistics": _("Så aktivitetsstatistikk"),
    "activity_statistics_export": _("Lastet ned aktivitetsstatistikk"),
    "evaluation_export": _("Lastet ned kursevaluering"),
    "certificate_admin": _("Åpnet et kursbevis i administrasjonen"),
    "audit_export": _("Lastet ned revisjonsloggen"),
    "certificate_revoked": _("Tilbakekalte et kursbevis"),
    "memberships_imported": _("Importerte medlemskap"),
}

DELETED_PERSON = _("(slettet bruker)")


def action_label(entry: AuditEntry) -> str:
    if entry.event:
        return str(EVENT_LABELS.get(entry.event, entry.event))
    return str(ACTION_LABELS.get(entry.action, entry.action))


def person_label(user) -> str:
    """A person as they are now: an anonymised person shows as such; a deleted one as deleted."""
    if user is None:
        return ""
    return user.get_full_name() or user.email


def actor_label(entry: AuditEntry) -> str:
    if entry.actor_id is None:
        return str(_("(systemet)")) if entry.action != AuditEntry.Action.ACCESS else str(DELETED_PERSON)
    return person_label(entry.actor)


def subject_label(entry: AuditEntry) -> str:
    return person_label(entry.subject_user)


def object_type_label(entry: AuditEntry) -> str:
    model = entry.content_type.model_class()
    return str(model._meta.verbose_name).capitalize() if model else entry.content_type.model


def detail_text(entry: AuditEntry) -> str:
    """The changed fields (names only) and a read's facts, e.g. «format: csv, rows: 12»."""
    parts = []
    if entry.changes:
        parts.append(", ".join(sorted(entry.changes)))
    if entry.additional_data:
        parts.append(", ".join(f"{key}: {value}" for key, value in sorted(entry.additional_data.items())))
    return "; ".join(parts)


def entries() -> QuerySet[AuditEntry]:
    return AuditEntry.objects.select_related("actor", "subject_user", "content_type").order_by(
        "-timestamp", "-pk"
    )


def people_matching(text: str) -> QuerySet:
    """People whose name or e-mail address contains `text` (for the actor and person filters)."""
    query = Q()
    for word in text.split():
        query &= Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
    return get_user_model().objects.filter(query).values("pk")


EXPORT_HEADER = [
    _("Tidspunkt"),
    _("Utført av"),
    _("Handling"),
    _("Type"),
    _("Objekt"),
    _("Gjelder person"),
    _("IP-adresse"),
    _("Detaljer"),
]


def export_rows(queryset: QuerySet[AuditEntry]):
    for entry in queryset.iterator(chunk_size=2000):
        yield [
            entry.timestamp,
            actor_label(entry),
            action_label(entry),
            object_type_label(entry),
            entry.object_repr,
            subject_label(entry),
            entry.remote_addr or "",
            detail_text(entry),
        ]
