"""requirements' part of «Mine data»: the courses required of the person and assignments to them.

Nothing is erased on anonymisation: the rows hold no text about the person, and per-unit figures
stay right. The anonymised account is inactive, so no reminder is sent to it (reminders.py).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from people.privacy import register_personal_data

from .models import Assignment, RequiredLearning


def collect_required_learning(user) -> list[dict]:
    return [
        {
            "kurs": row.course.title,
            "gjennom_enhet": row.unit.name if row.unit_id else None,
            "frist": row.due_date,
            "fornyes_hver_maned": row.renewal_months,
            "startet": row.started_at,
            "fullfort": row.completed_at,
            "utloper": row.expires_at,
            "kursbevis_tilbakekalt": row.certificate_revoked_at,
            "paminnelse_sendt": row.due_reminder_sent_at,
            "purring_sendt": row.overdue_reminder_sent_at,
        }
        for row in RequiredLearning.objects.filter(user=user)
        .select_related("course", "unit")
        .order_by("due_date")
    ]


def collect_assignments(user) -> list[dict]:
    return [
        {
            "kurs": assignment.course.title,
            "fast_frist": assignment.due_date,
            "frist_dager_etter_start": assignment.due_days,
            "tildelt": assignment.created_at,
        }
        for assignment in Assignment.objects.filter(user=user).select_related("course").order_by("created_at")
    ]


def register() -> None:
    register_personal_data(
        "pakrevd_opplaering", title=_("Påkrevd opplæring"), collect=collect_required_learning, order=60
    )
    register_personal_data(
        "tildelinger", title=_("Kurs tildelt deg personlig"), collect=collect_assignments, order=61
    )
