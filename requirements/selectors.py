"""Reads of required learning, and the one rule for a requirement's status.

The status is computed in SQL from the RequiredLearning row's own columns
(status_expression), so the manager dashboard, its exports, the reminders and
«Mine kurs» all say the same thing about the same row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, CharField, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, Enrolment
from people.models import Membership, OrganisationUnit, Role
from people.selectors import in_scope

from .models import RequiredLearning

EXPIRING_SOON_DAYS = 30


class Status:
    NOT_STARTED = "ikke_startet"
    STARTED = "pabegynt"
    COMPLETED = "fullfort"
    OVERDUE = "forfalt"
    EXPIRING = "utloper_snart"
    EXPIRED = "utlopt"
    REVOKED = "tilbakekalt"

    LABELS = {
        NOT_STARTED: _("Ikke startet"),
        STARTED: _("Påbegynt"),
        COMPLETED: _("Fullført"),
        OVERDUE: _("Forfalt"),
        EXPIRING: _("Utløper snart"),
        EXPIRED: _("Utløpt"),
        REVOKED: _("Kursbevis tilbakekalt"),
    }
    ORDER = [OVERDUE, EXPIRED, REVOKED, EXPIRING, NOT_STARTED, STARTED, COMPLETED]
    # What counts towards the completion percentage: done and still valid.
    DONE = (COMPLETED, EXPIRING)


def status_expression(today: date) -> Case:
    """A requirement's status as SQL, from the row's own columns: filters and counts stay in the database."""
    soon = today + timedelta(days=EXPIRING_SOON_DAYS)
    return Case(
        When(completed_at__isnull=False, certificate_revoked_at__isnull=False, then=Value(Status.REVOKED)),
        When(completed_at__isnull=False, expires_at__lt=today, then=Value(Status.EXPIRED)),
        When(completed_at__isnull=False, expires_at__lt=soon, then=Value(Status.EXPIRING)),
        When(completed_at__isnull=False, then=Value(Status.COMPLETED)),
        When(due_date__lt=today, then=Value(Status.OVERDUE)),
        When(started_at__isnull=False, then=Value(Status.STARTED)),
        default=Value(Status.NOT_STARTED),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class Filters:
    unit: OrganisationUnit | None = None
    course: CoursePage | None = None
    status: str = ""
    participant_type: str = ""


def _staff_of(units: Q) -> Exists:
    """The row's person is a member of one of `units` (a filter on Membership)."""
    return Exists(Membership.objects.filter(units, role=Role.MEMBER, user_id=OuterRef("user_id")))


def requirements(*, viewer, filters: Filters = Filters(), today: date | None = None) -> QuerySet:
    """RequiredLearning rows of the people in the viewer's scope, with `status` and `unit_label`.

    Scope follows the person (a member of a unit in scope), not the unit a row is attributed
    to, so a manager also sees a course someone else assigned to their staff. `unit_label`
    names the row's unit only when that unit is in the viewer's scope.
    """
    today = today or timezone.localdate()
    rows = RequiredLearning.objects.all()
    if viewer.is_superuser:
        unit_label = F("unit__name")
    else:
        scope = in_scope(viewer, path_field="unit__path")
        rows = rows.filter(_staff_of(scope))
        unit_label = Case(When(scope, then=F("unit__name")), default=Value(""), output_field=CharField())
    rows = rows.annotate(status=status_expression(today), unit_label=unit_label)
    if filters.unit is not None:
        rows = rows.filter(_staff_of(Q(unit__path__startswith=filters.unit.path)))
    if filters.course is not None:
        rows = rows.filter(course=filters.course)
    if filters.participant_type:
        rows = rows.filter(user__participant_type=filters.participant_type)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return rows


def required_learning_of(*, user, today: date | None = None) -> list[RequiredLearning]:
    """The learner's own required courses (live ones), earliest due date first, each with `status`
    and `status_label` by the same rule the manager dashboard uses."""
    if not user.is_authenticated:
        return []
    rows = list(
        RequiredLearning.objects.filter(user=user, course__live=True)
        .annotate(status=status_expression(today or timezone.localdate()))
        .select_related("course")
        .order_by("due_date")
    )
    for row in rows:
        row.status_label = Status.LABELS[row.status]
    return rows


@dataclass(frozen=True)
class AssignmentPreview:
    """What an assignment would do, computed before it is saved."""

    people: int  # people it covers
    already_required: int  # of them, people who have the course as required already
    already_completed: int  # of them, people who have completed the course
    overdue_at_once: int  # of them, people who would be overdue the moment it is saved


def assignment_preview(
    *,
    course: CoursePage,
    unit: OrganisationUnit | None = None,
    user=None,
    include_subunits: bool = True,
    due_date: date | None = None,
    due_days: int | None = None,
    today: date | None = None,
) -> AssignmentPreview:
    """The counts the assign page shows before saving, by the rules requirements.services applies
    (who is covered, each person's due date, an existing requirement's earlier date wins) and the
    status rule above (not completed and the due date passed: overdue). Writes nothing; three
    queries however many people the unit has.
    """
    today = today or timezone.localdate()

    def due(joined: date | None) -> date:
        if due_date is not None:
            return due_date
        return (joined or today) + timedelta(days=due_days or 0)

    if unit is not None:
        units = Q(unit=unit) | (Q(unit__path__startswith=unit.path) if include_subunits else Q())
        members = Membership.objects.filter(units, role=Role.MEMBER)
        new_due: dict[int, date] = {}
        for user_id, joined in members.values_list("user_id", "joined_at"):  # query 1
            candidate = due(joined)
            if user_id not in new_due or candidate < new_due[user_id]:
                new_due[user_id] = candidate
        user_ids = members.values("user_id")
    else:
        new_due = {user.pk: due(None)}  # a person's own assignment counts from the day it is made
        user_ids = [user.pk]
    existing = dict(
        RequiredLearning.objects.filter(course=course, user_id__in=user_ids).values_list(
            "user_id", "due_date"
        )
    )  # query 2
    completed = set(
        Enrolment.objects.filter(course=course, user_id__in=user_ids, completed_at__isnull=False)
        .values_list("user_id", flat=True)
        .distinct()
    )  # query 3
    overdue = 0
    for user_id, new in new_due.items():
        if user_id in completed:
            continue
        current = existing.get(user_id)
        was_overdue = current is not None and current < today
        effective = new if current is None else min(new, current)
        if effective < today and not was_overdue:
            overdue += 1
    return AssignmentPreview(
        people=len(new_due),
        already_required=sum(1 for user_id in new_due if user_id in existing),
        already_completed=sum(1 for user_id in new_due if user_id in completed),
        overdue_at_once=overdue,
    )
