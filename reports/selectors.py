"""Reads for the managers' dashboard, the person drill-down and exports.

Everything starts from `requirements.selectors.requirements(viewer=…)`, which
applies the viewer's scope (people.selectors.in_scope) before anything else,
and annotates each RequiredLearning row with its status in SQL (the one status
rule). The dashboard runs a fixed number of queries however many staff and
courses the scope holds: one grouped aggregate (with two small lookups for the
unit and course names), one count of the people and two for the page of the
matrix shown.

Every read here goes to reports_database(): a read replica when one is configured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from operator import attrgetter

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, Enrolment
from people.models import OrganisationUnit, ParticipantType
from people.selectors import in_scope
from requirements.selectors import Filters, Status, requirements

from .replica import reports_database

PAGE_SIZE = 50


@dataclass
class Share:
    label: str
    total: int
    done: int
    key: int | None = None

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class DashboardData:
    status_counts: list[tuple[str, str, int]]
    by_unit: list[Share]
    by_course: list[Share]
    people: list[dict]
    courses: list[CoursePage]
    page: int
    pages: int
    people_total: int
    extra: dict = field(default_factory=dict)


def _figures(rows: QuerySet, *, viewer, using: str) -> tuple[dict[str, int], list[Share], list[Share]]:
    """Status totals, and completion per unit and per course, from ONE grouped query.

    Grouped by the row's own unit and course, with one filtered count per status: at most units ×
    courses rows however many people there are, aggregated in a hash table in memory. (Grouping by
    the status as well made PostgreSQL sort every row, on disk at 25,000 staff × 30 courses: it
    cannot estimate how few statuses there are.) The names come from two small lookups after.
    """
    per_status = {f"n_{key}": Count("pk", filter=Q(status=key)) for key in Status.ORDER}
    grouped = list(rows.values("unit_id", "course_id").annotate(**per_status).order_by())
    unit_ids = {row["unit_id"] for row in grouped if row["unit_id"] is not None}
    course_ids = {row["course_id"] for row in grouped}
    # A row's unit is named only when that unit is in the viewer's scope (see requirements()).
    unit_names = {}
    if unit_ids:
        unit_names = dict(
            OrganisationUnit.objects.using(using)
            .filter(in_scope(viewer, path_field="path"), pk__in=unit_ids)
            .values_list("pk", "name")
        )
    course_titles = dict(CoursePage.objects.using(using).filter(pk__in=course_ids).values_list("pk", "title"))
    counts: dict[str, int] = {}
    units: dict[str, Share] = {}
    courses: dict[int, Share] = {}
    for row in grouped:
        unit_label = unit_names.get(row["unit_id"], "")
        unit = units.setdefault(unit_label, Share(label=unit_label, total=0, done=0, key=unit_label))
        course = courses.setdefault(
            row["course_id"],
            Share(label=course_titles.get(row["course_id"], ""), total=0, done=0, key=row["course_id"]),
        )
        for key in Status.ORDER:
            n = row[f"n_{key}"]
            counts[key] = counts.get(key, 0) + n
            for share in (unit, course):
                share.total += n
                share.done += n if key in Status.DONE else 0
    return (
        counts,
        sorted((share for share in units.values() if share.total), key=attrgetter("label")),
        sorted((share for share in courses.values() if share.total), key=attrgetter("label")),
    )


def dashboard(*, viewer, filters: Filters, page: int = 1, today: date | None = None) -> DashboardData:
    using = reports_database()
    rows = requirements(viewer=viewer, filters=filters, today=today).using(using)
    counts, by_unit, by_course = _figures(rows, viewer=viewer, using=using)
    status_counts = [(key, str(Status.LABELS[key]), counts.get(key, 0)) for key in Status.ORDER]

    # The matrix: one page of people (sorted by name) with their rows for the courses in view. The
    # people are those with a row the filters keep; the page is cut in SQL (LIMIT), never in Python.
    # In name order (the index people_user_name_order), each checked for a row by the index on the
    # row's person: the first pages stop after PAGE_SIZE people instead of sorting all of them, and
    # counting probes each person once instead of reading every row again.
    people_qs = (
        get_user_model()
        .objects.using(using)
        .filter(Exists(rows.filter(user_id=OuterRef("pk"))))
        .order_by("first_name", "last_name", "pk")
    )
    people_total = people_qs.count()
    pages = max(1, -(-people_total // PAGE_SIZE))
    page = min(max(1, page), pages)
    page_people = list(
        people_qs.values("pk", "first_name", "last_name", "email", "participant_type")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE
        ]
    )
    cells: dict[int, dict[int, dict]] = {p["pk"]: {} for p in page_people}
    labels = {key: str(label) for key, label in Status.LABELS.items()}  # translated once, not per cell
    due_word = str(_("frist"))
    for row in rows.filter(user_id__in=list(cells)).values(
        "user_id", "course_id", "status", "due_date", "completed_at"
    ):
        # Text made here rather than in the template: a page holds up to PAGE_SIZE × courses cells.
        if row["completed_at"]:
            note = date_format(timezone.localtime(row["completed_at"]), "SHORT_DATE_FORMAT")
        else:
            note = f"{due_word} {date_format(row['due_date'], 'SHORT_DATE_FORMAT')}"
        cells[row["user_id"]][row["course_id"]] = {
            "status": row["status"],
            "label": labels[row["status"]],
            "note": note,
        }
    courses = [CoursePage(pk=share.key, title=share.label) for share in by_course]
    people = [
        {
            **person,
            "name": f"{person['first_name']} {person['last_name']}".strip() or person["email"],
            "cells": [cells[person["pk"]].get(course.pk) for course in courses],
        }
        for person in page_people
    ]
    return DashboardData(
        status_counts=status_counts,
        by_unit=by_unit,
        by_course=by_course,
        people=people,
        courses=courses,
        page=page,
        pages=pages,
        people_total=people_total,
    )


EXPORT_FIELDS = [
    ("user__first_name", _("Fornavn")),
    ("user__last_name", _("Etternavn")),
    ("user__email", _("E-post")),
    ("user__participant_type", _("Deltakertype")),
    ("unit_label", _("Enhet")),
    ("course__title", _("Kurs")),
    ("status", _("Status")),
    ("due_date", _("Frist")),
    ("completed_at", _("Fullført")),
    ("expires_at", _("Utløper")),
]


def export_rows(*, viewer, filters: Filters) -> QuerySet:
    """The export's rows as tuples of EXPORT_FIELDS, read from the reports database."""
    return (
        requirements(viewer=viewer, filters=filters)
        .using(reports_database())
        .order_by("user__last_name", "user__first_name", "user_id", "course__title")
        .values_list(*[name for name, _label in EXPORT_FIELDS])
    )


def export_table(*, viewer, filters: Filters, chunk_size: int = 2000):
    """(header, rows) of what the dashboard's filter shows, one row per person and course.

    The rows are a generator over a chunked database cursor: never all in memory at once.
    """
    names = [name for name, _label in EXPORT_FIELDS]
    type_column, status_column = names.index("user__participant_type"), names.index("status")
    # Translated once here, not once per row.
    participant_labels = {key: str(label) for key, label in ParticipantType.choices}
    status_labels = {key: str(label) for key, label in Status.LABELS.items()}
    rows = export_rows(viewer=viewer, filters=filters)

    def labelled():
        for row in rows.iterator(chunk_size=chunk_size):
            row = list(row)
            row[type_column] = participant_labels.get(row[type_column], row[type_column])
            row[status_column] = status_labels[row[status_column]]
            yield row

    return [str(label) for _name, label in EXPORT_FIELDS], labelled()


def export_size(*, viewer, filters: Filters) -> int:
    """How many rows export_table would give: decides whether an XLSX export is built by a task."""
    return requirements(viewer=viewer, filters=filters).using(reports_database()).count()


def person_record(*, viewer, person) -> dict:
    """A person's learning record for their manager: courses, status and dates. Never answers or texts."""
    using = reports_database()
    required = list(
        requirements(viewer=viewer)
        .using(using)
        .filter(user=person)
        .select_related("course")
        .order_by("due_date")
    )
    enrolments = list(
        Enrolment.objects.using(using)
        .filter(user=person)
        .select_related("course")
        .order_by(F("completed_at").desc(nulls_first=True))
    )
    return {"required": required, "enrolments": enrolments}
