"""courses' part of «Mine data»: enrolments and rounds, module progress and the completion ledger.

On anonymisation courses keeps all of it: the rows point to the anonymised user, who no longer
has a name, so completion statistics stay as they were.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from people.privacy import register_personal_data

from .models import ActivityCompletion, Enrolment, ModuleProgress


def collect_enrolments(user) -> list[dict]:
    return [
        {
            "kurs": enrolment.course.title,
            "pameldt": enrolment.enrolled_at,
            "runde": enrolment.round,
            "sist_aktiv": enrolment.last_activity_at,
            "fullfort": enrolment.completed_at,
            "fullforinger": [
                {"runde": completion.round, "fullfort": completion.completed_at}
                for completion in enrolment.completions.order_by("round")
            ],
        }
        for enrolment in Enrolment.objects.filter(user=user)
        .select_related("course")
        .prefetch_related("completions")
        .order_by("enrolled_at")
    ]


def collect_module_progress(user) -> list[dict]:
    return [
        {
            "kurs": progress.enrolment.course.title,
            "modul": progress.module.title,
            "startet": progress.started_at,
            "fullfort": progress.completed_at,
        }
        for progress in ModuleProgress.objects.filter(enrolment__user=user)
        .select_related("enrolment__course", "module")
        .order_by("started_at")
    ]


def collect_ledger(user) -> list[dict]:
    return [
        {
            "kurs": row.enrolment.course.title,
            "runde": row.round,
            "modul": row.module.title if row.module_id else None,
            "type": row.kind,
            "blokk": row.block_id,
            "fullfort": row.completed_at,
        }
        for row in ActivityCompletion.objects.filter(enrolment__user=user)
        .select_related("enrolment__course", "module")
        .order_by("completed_at")
    ]


def register() -> None:
    register_personal_data(
        "pameldinger", title=_("Påmeldinger og runder"), collect=collect_enrolments, order=20
    )
    register_personal_data(
        "modulfremdrift", title=_("Fremdrift i modulene"), collect=collect_module_progress, order=21
    )
    register_personal_data("fullforinger", title=_("Fullførte aktiviteter"), collect=collect_ledger, order=22)
