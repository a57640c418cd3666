"""Activity statistics for administrators (dokumentasjon av aktivitet).

Participants (new enrolments), completions and certificates issued in a
period, grouped by course, competence area, unit or participant type, and
split into health personnel and user representatives. Three aggregate
queries, one per measure, whatever the size of the data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from courses.models import CompetenceArea, CourseCompletion, CoursePage, Enrolment
from people.models import OrganisationUnit, ParticipantType

GROUPINGS = {
    "course": _("Kurs"),
    "area": _("Kompetanseområde"),
    "unit": _("Enhet"),
    "participant_type": _("Deltakertype"),
}

# For each measure: its model, its timestamp, and the path from it to the course and to the person.
MEASURES = {
    "participants": (Enrolment, "enrolled_at", "course", "user"),
    "completions": (CourseCompletion, "completed_at", "enrolment__course", "enrolment__user"),
    "certificates": (Certificate, "issued_at", "course", "user"),
}
GROUP_FIELD = {
    "course": "{course}__title",
    "area": "{course}__competence_areas__name",
    "unit": "{user}__memberships__unit__name",
    "participant_type": "{user}__participant_type",
}
SPLIT = (ParticipantType.HEALTH_PERSONNEL, ParticipantType.USER_REPRESENTATIVE)


@dataclass(frozen=True)
class StatisticsFilter:
    start: date
    end: date
    group_by: str = "course"
    course: CoursePage | None = None
    area: CompetenceArea | None = None
    unit: OrganisationUnit | None = None
    participant_type: str = ""


@dataclass
class StatisticsRow:
    label: str
    values: dict  # measure → {"total": n, "helsepersonell": n, "brukerrepresentant": n}


def _aware(day: date, end: bool) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def activity_statistics(filters: StatisticsFilter) -> list[StatisticsRow]:
    def empty() -> dict:
        return {m: {"total": 0, **dict.fromkeys(SPLIT, 0)} for m in MEASURES}

    table: dict[str, dict] = defaultdict(empty)
    for measure, (model, stamp, course, user) in MEASURES.items():
        rows = model.objects.filter(
            **{f"{stamp}__gte": _aware(filters.start, False), f"{stamp}__lte": _aware(filters.end, True)}
        )
        if filters.course:
            rows = rows.filter(**{course: filters.course})
        if filters.area:
            rows = rows.filter(**{f"{course}__competence_areas": filters.area})
        if filters.unit:
            rows = rows.filter(
                **{f"{user}__memberships__unit__path__startswith": filters.unit.path}
            ).distinct()
        if filters.participant_type:
            rows = rows.filter(**{f"{user}__participant_type": filters.participant_type})
        group = GROUP_FIELD[filters.group_by].format(course=course, user=user)
        type_field = f"{user}__participant_type"
        counted = rows.values(group).annotate(
            total=Count("pk", distinct=True),
            **{kind: Count("pk", distinct=True, filter=Q(**{type_field: kind})) for kind in SPLIT},
        )
        for row in counted.order_by():
            label = row[group]
            if filters.group_by == "participant_type":
                label = str(ParticipantType(label).label) if label else ""
            label = label or str(_("(ingen)"))
            table[label][measure] = {"total": row["total"], **{kind: row[kind] for kind in SPLIT}}
    return [StatisticsRow(label=label, values=values) for label, values in sorted(table.items())]


def statistics_table(rows: list[StatisticsRow], group_label: str):
    """Header and rows for CSV/XLSX export."""
    header = [group_label]
    for measure_label in (_("Deltakere"), _("Fullføringer"), _("Kursbevis")):
        header += [
            f"{measure_label}",
            f"{measure_label}: {ParticipantType.HEALTH_PERSONNEL.label}",
            f"{measure_label}: {ParticipantType.USER_REPRESENTATIVE.label}",
        ]
    body = [[row.label] + [row.values[m][k] for m in MEASURES for k in ("total", *SPLIT)] for row in rows]
    return [str(h) for h in header], body
