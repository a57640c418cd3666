"""Required learning: assigning courses and keeping each person's RequiredLearning rows in step.

Who must take what is derived from two sources: assignments to a unit (which
cover its members, and those of its sub-units unless switched off, including
people who join later) and assignments to a person. Each (person, course) has
one RequiredLearning row, carrying the earliest due date of the assignments
that cover it. These functions are the only writers of those rows:

* assignment_create: a manager or administrator assigns a course;
* requirements_sync_user: a person joined or left a unit, or an assignment was withdrawn
  (receivers.py, whichever way the change was made);
* requirement_start_record / requirement_completion_record / requirement_expiry_record /
  requirement_revocation_record: courses and certificates announced a course begun or
  completed, or a certificate issued or revoked (receivers.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from certificates.models import Certificate
from core.dates import add_months
from courses.models import CoursePage, Enrolment, ModuleProgress
from people.models import PATH_SEPARATOR, Membership, OrganisationUnit, Role

from .models import Assignment, RequiredLearning


@dataclass(frozen=True)
class _Cover:
    assignment: Assignment
    unit_id: int | None
    due_date: date


def _due_date(assignment: Assignment, *, joined: date | None) -> date:
    if assignment.due_date is not None:
        return assignment.due_date
    start = joined or timezone.localdate(assignment.created_at)
    return start + timedelta(days=assignment.due_days)


def _ancestor_ids(unit_path: str) -> list[int]:
    return [int(part) for part in unit_path.strip(PATH_SEPARATOR).split(PATH_SEPARATOR) if part]


def _covers_for_memberships(memberships: list[Membership], personal: list[Assignment]) -> dict[int, _Cover]:
    """Per course id, the assignment (and unit) giving the earliest due date for one person."""
    best: dict[int, _Cover] = {}

    def offer(cover: _Cover):
        current = best.get(cover.assignment.course_id)
        if current is None or cover.due_date < current.due_date:
            best[cover.assignment.course_id] = cover

    if memberships:
        condition = Q()
        for membership in memberships:
            ids = _ancestor_ids(membership.unit.path)
            condition |= Q(unit_id=membership.unit_id) | Q(unit_id__in=ids[:-1], include_subunits=True)
        # In id order, so a tie between two assignments' due dates is decided the same way everywhere.
        unit_assignments = list(Assignment.objects.filter(condition).order_by("pk"))
        for membership in memberships:
            ids = _ancestor_ids(membership.unit.path)
            for assignment in unit_assignments:
                if assignment.unit_id == membership.unit_id or (
                    assignment.include_subunits and assignment.unit_id in ids
                ):
                    offer(
                        _Cover(
                            assignment, membership.unit_id, _due_date(assignment, joined=membership.joined_at)
                        )
                    )
    first_unit = memberships[0].unit_id if memberships else None
    for assignment in personal:
        offer(_Cover(assignment, first_unit, _due_date(assignment, joined=None)))
    return best


def _completion_state(*, user_ids, course_id: int) -> dict[int, tuple]:
    """(started_at, completed_at, certificate expiry) of each user who has begun the course."""
    started = dict(
        ModuleProgress.objects.filter(enrolment__user_id__in=user_ids, enrolment__course_id=course_id)
        .values("enrolment__user_id")
        .annotate(first=Min("started_at"))
        .values_list("enrolment__user_id", "first")
    )
    completed = dict(
        Enrolment.objects.filter(
            user_id__in=user_ids, course_id=course_id, completed_at__isnull=False
        ).values_list("user_id", "completed_at")
    )
    expiry = {}
    for user_id, expires_at in (
        Certificate.objects.filter(user_id__in=list(completed), course_id=course_id, revoked_at__isnull=True)
        .order_by("user_id", "issued_at")
        .values_list("user_id", "expires_at")
    ):
        expiry[user_id] = expires_at  # the newest certificate wins
    return {
        user_id: (started.get(user_id), completed.get(user_id), expiry.get(user_id))
        for user_id in set(started) | set(completed)
    }


def _expiry(completed_at, certificate_expires_at, renewal_months: int | None) -> date | None:
    """When a completion stops counting: the certificate's own validity first, else the renewal period."""
    if certificate_expires_at is not None:
        return timezone.localdate(certificate_expires_at)
    if renewal_months and completed_at is not None:
        return add_months(timezone.localtime(completed_at), renewal_months).date()
    return None


def assignment_create(
    *,
    by,
    course: CoursePage,
    unit: OrganisationUnit | None = None,
    user=None,
    include_subunits: bool = True,
    due_date: date | None = None,
    due_days: int | None = None,
    renewal_months: int | None = None,
) -> Assignment:
    """Assign a course and give every person it covers a RequiredLearning row (in bulk)."""
    with transaction.atomic():
        assignment = Assignment.objects.create(
            course=course,
            unit=unit,
            user=user,
            include_subunits=include_subunits,
            due_date=due_date,
            due_days=due_days,
            renewal_months=renewal_months,
            created_by=by,
        )
        if unit is not None:
            units = Q(unit=unit) | (Q(unit__path__startswith=unit.path) if include_subunits else Q())
            memberships = list(
                Membership.objects.filter(units, role=Role.MEMBER).order_by("user_id", "joined_at")
            )
            covers: dict[int, _Cover] = {}
            for membership in memberships:
                cover = _Cover(
                    assignment, membership.unit_id, _due_date(assignment, joined=membership.joined_at)
                )
                if membership.user_id not in covers or cover.due_date < covers[membership.user_id].due_date:
                    covers[membership.user_id] = cover
        else:
            # A person's own assignment counts from the day it was made (the same rule as in
            # _covers_for_memberships), attributed to their first unit.
            first = Membership.objects.filter(user=user, role=Role.MEMBER).order_by("joined_at").first()
            covers = {
                user.pk: _Cover(
                    assignment, first.unit_id if first else None, _due_date(assignment, joined=None)
                )
            }
        _apply_covers(course_id=course.pk, covers=covers)
    return assignment


def _apply_covers(*, course_id: int, covers: dict[int, _Cover]) -> None:
    """Create or tighten the RequiredLearning rows of one course for many people."""
    existing = {
        r.user_id: r for r in RequiredLearning.objects.filter(course_id=course_id, user_id__in=list(covers))
    }
    state = _completion_state(user_ids=list(covers), course_id=course_id)
    new_rows, changed = [], []
    for user_id, cover in covers.items():
        row = existing.get(user_id)
        if row is None:
            started_at, completed_at, certificate_expiry = state.get(user_id, (None, None, None))
            new_rows.append(
                RequiredLearning(
                    user_id=user_id,
                    course_id=course_id,
                    assignment=cover.assignment,
                    unit_id=cover.unit_id,
                    due_date=cover.due_date,
                    renewal_months=cover.assignment.renewal_months,
                    started_at=started_at,
                    completed_at=completed_at,
                    expires_at=_expiry(completed_at, certificate_expiry, cover.assignment.renewal_months),
                )
            )
        elif cover.due_date < row.due_date:
            row.assignment, row.unit_id, row.due_date = cover.assignment, cover.unit_id, cover.due_date
            row.renewal_months = cover.assignment.renewal_months
            changed.append(row)
    # ignore_conflicts: a sync for the same person running at the same moment may have just made the row.
    RequiredLearning.objects.bulk_create(new_rows, batch_size=1000, ignore_conflicts=True)
    RequiredLearning.objects.bulk_update(
        changed, ["assignment", "unit", "due_date", "renewal_months"], batch_size=1000
    )


def requirements_sync_user(*, user) -> None:
    """Recompute one person's required courses after they joined or left a unit."""
    with transaction.atomic():
        memberships = list(
            Membership.objects.filter(user=user, role=Role.MEMBER)
            .select_related("unit")
            .order_by("joined_at")
        )
        personal = list(Assignment.objects.filter(user=user).order_by("pk"))
        covers = _covers_for_memberships(memberships, personal)
        RequiredLearning.objects.filter(user=user).exclude(course_id__in=list(covers)).delete()
        existing = {r.course_id: r for r in RequiredLearning.objects.filter(user=user)}
        for course_id, cover in covers.items():
            row = existing.get(course_id)
            if row is None:
                _apply_covers(course_id=course_id, covers={user.pk: cover})
            elif (row.assignment_id, row.unit_id, row.due_date) != (
                cover.assignment.pk,
                cover.unit_id,
                cover.due_date,
            ):
                row.assignment, row.unit_id, row.due_date = cover.assignment, cover.unit_id, cover.due_date
                row.renewal_months = cover.assignment.renewal_months
                row.save(update_fields=["assignment", "unit", "due_date", "renewal_months"])


def requirement_start_record(*, user_id: int, course_id: int, started_at) -> None:
    """A learner began a course: a required course is now begun."""
    RequiredLearning.objects.filter(user_id=user_id, course_id=course_id, started_at__isnull=True).update(
        started_at=started_at
    )


def requirement_completion_record(*, user_id: int, course_id: int, completed_at) -> None:
    """A learner completed the course (again): the requirement is met, until it expires."""
    rows = list(RequiredLearning.objects.filter(user_id=user_id, course_id=course_id))
    certificate_expiry = _newest_certificate_expiry(user_id=user_id, course_id=course_id)
    for row in rows:
        row.completed_at = completed_at
        row.expires_at = _expiry(completed_at, certificate_expiry, row.renewal_months)
        row.certificate_revoked_at = None
        # A renewed requirement can be reminded about again next time.
        row.due_reminder_sent_at = row.overdue_reminder_sent_at = None
    RequiredLearning.objects.bulk_update(
        rows,
        [
            "completed_at",
            "expires_at",
            "certificate_revoked_at",
            "due_reminder_sent_at",
            "overdue_reminder_sent_at",
        ],
    )


def requirement_expiry_record(*, user_id: int, course_id: int) -> None:
    """A certificate was issued: its own validity, where it has one, decides when the completion expires."""
    certificate_expiry = _newest_certificate_expiry(user_id=user_id, course_id=course_id)
    rows = list(
        RequiredLearning.objects.filter(user_id=user_id, course_id=course_id, completed_at__isnull=False)
    )
    for row in rows:
        row.expires_at = _expiry(row.completed_at, certificate_expiry, row.renewal_months)
    RequiredLearning.objects.bulk_update(rows, ["expires_at"])


def requirement_revocation_record(*, certificate: Certificate) -> None:
    """A certificate was revoked: if it was the one for the person's latest completion, the
    requirement is no longer met and shows as revoked until the course is completed again."""
    newest = (
        Certificate.objects.filter(user_id=certificate.user_id, course_id=certificate.course_id)
        .order_by("-issued_at")
        .values_list("pk", flat=True)
        .first()
    )
    if newest != certificate.pk:
        return  # an older certificate: the newer completion still counts
    RequiredLearning.objects.filter(
        user_id=certificate.user_id, course_id=certificate.course_id, certificate_revoked_at__isnull=True
    ).update(certificate_revoked_at=certificate.revoked_at)


def _newest_certificate_expiry(*, user_id: int, course_id: int):
    return (
        Certificate.objects.filter(user_id=user_id, course_id=course_id, revoked_at__isnull=True)
        .order_by("-issued_at")
        .values_list("expires_at", flat=True)
        .first()
    )
