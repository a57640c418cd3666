"""Re-checking many people's required learning at once, and the jobs that do it after a change commits.

`requirements_sync_users` gives every person exactly the rows `services.requirements_sync_user`
would give them, but in a fixed number of queries per batch of people (memberships, assignments,
existing rows and course progress read in bulk; rows written with bulk_create, bulk_update and
one DELETE) instead of a dozen queries per person.

Changes that touch many people (a unit moved or deleted, an assignment withdrawn, a staff import)
do not re-check them inside the request: `sync_job_start` records a SyncJob and queues one Celery
task when the change commits (tasks.sync_required_learning), which runs `sync_job_run`. The job
row is the progress the person who started it follows in the admin.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextvars import ContextVar, Token
from datetime import date, timedelta
from operator import attrgetter
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrolment, ModuleProgress
from people.models import Membership, Role

from .models import Assignment, RequiredLearning, SyncJob
from .services import _ancestor_ids, _due_date, _expiry

logger = logging.getLogger(__name__)

# People per transaction: each batch costs the same ten or so queries, whatever its size; the job's
# progress moves on after each batch, and no transaction holds its locks for long.
BATCH_SIZE = 1000
WRITE_BATCH_SIZE = 2000
SYNCED_FIELDS = ["assignment", "unit", "due_date", "renewal_months"]
_ROW_COLUMNS = [field.attname for field in RequiredLearning._meta.concrete_fields]


class _Cover(NamedTuple):
    """services._Cover, as a tuple: one is made for every person and course."""

    assignment: Assignment
    unit_id: int | None
    due_date: date


def requirements_sync_users(
    *, user_ids: Iterable[int], progress: Callable[[int], None] | None = None
) -> None:
    """Recompute the required courses of many people, one transaction per batch.

    `progress`, if given, is called after each batch with the number of people done so far.
    """
    ids = sorted(set(user_ids))
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        with transaction.atomic():
            _sync_batch(batch)
        if progress is not None:
            progress(start + len(batch))


def _sync_batch(user_ids: list[int]) -> None:
    # The same people may be re-checked at the same moment elsewhere (a membership saved in the
    # admin, another job): lock their user rows, in id order, so each re-check reads what the other
    # wrote. NO KEY UPDATE leaves inserts that refer to them (new memberships) unblocked.
    list(
        get_user_model()
        .objects.select_for_update(no_key=True)
        .filter(pk__in=user_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    memberships: dict[int, list[tuple[int, list[int], date]]] = defaultdict(list)
    unit_ids: set[int] = set()
    # The same order as requirements_sync_user: earliest joined first (pk breaks ties).
    for user_id, unit_id, path, joined_at in (
        Membership.objects.filter(user_id__in=user_ids, role=Role.MEMBER)
        .order_by("user_id", "joined_at", "pk")
        .values_list("user_id", "unit_id", "unit__path", "joined_at")
    ):
        ancestors = _ancestor_ids(path)
        memberships[user_id].append((unit_id, ancestors, joined_at))
        unit_ids.add(unit_id)
        unit_ids.update(ancestors)

    by_unit: dict[int, list[Assignment]] = defaultdict(list)
    if unit_ids:
        for assignment in Assignment.objects.filter(unit_id__in=unit_ids).order_by("pk"):
            by_unit[assignment.unit_id].append(assignment)
    personal: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in Assignment.objects.filter(user_id__in=user_ids).order_by("pk"):
        personal[assignment.user_id].append(assignment)

    covering_cache: dict[int, list[Assignment]] = {}

    def covering(unit_id: int, ancestors: list[int]) -> list[Assignment]:
        """The unit's own assignments and those of the units above that include sub-units."""
        if unit_id not in covering_cache:
            found = list(by_unit.get(unit_id, ()))
            for above in ancestors[:-1]:
                found.extend(a for a in by_unit.get(above, ()) if a.include_subunits)
            covering_cache[unit_id] = sorted(found, key=attrgetter("pk"))
        return covering_cache[unit_id]

    existing: dict[int, dict[int, RequiredLearning]] = defaultdict(dict)
    for row in RequiredLearning.objects.filter(user_id__in=user_ids).only(
        "pk", "user_id", "course_id", "assignment_id", "unit_id", "due_date", "renewal_months"
    ):
        existing[row.user_id][row.course_id] = row

    to_delete: list[int] = []
    to_update: list[RequiredLearning] = []
    to_create: list[tuple[int, int, _Cover]] = []
    for user_id in user_ids:
        covers = _covers(memberships.get(user_id, []), personal.get(user_id, []), covering)
        rows = existing.get(user_id, {})
        to_delete.extend(row.pk for course_id, row in rows.items() if course_id not in covers)
        for course_id, cover in covers.items():
            row = rows.get(course_id)
            if row is None:
                to_create.append((user_id, course_id, cover))
            elif (row.assignment_id, row.unit_id, row.due_date) != (
                cover.assignment.pk,
                cover.unit_id,
                cover.due_date,
            ):
                row.assignment, row.unit_id, row.due_date = cover.assignment, cover.unit_id, cover.due_date
                row.renewal_months = cover.assignment.renewal_months
                to_update.append(row)

    for start in range(0, len(to_delete), WRITE_BATCH_SIZE):
        RequiredLearning.objects.filter(pk__in=to_delete[start : start + WRITE_BATCH_SIZE]).delete()
    RequiredLearning.objects.bulk_update(to_update, SYNCED_FIELDS, batch_size=WRITE_BATCH_SIZE // 2)
    if to_create:
        state = _completion_states({(user_id, course_id) for user_id, course_id, _cover in to_create})
        new_rows = []
        for user_id, course_id, cover in to_create:
            started_at, completed_at, certificate_expiry = state.get((user_id, course_id), (None, None, None))
            values = {
                "user_id": user_id,
                "course_id": course_id,
                "assignment_id": cover.assignment.pk,
                "unit_id": cover.unit_id,
                "due_date": cover.due_date,
                "renewal_months": cover.assignment.renewal_months,
                "started_at": started_at,
                "completed_at": completed_at,
                "expires_at": _expiry(completed_at, certificate_expiry, cover.assignment.renewal_months),
            }
            # Positional arguments take Model.__init__'s fast path (tens of thousands of rows).
            new_rows.append(RequiredLearning(*(values.get(name) for name in _ROW_COLUMNS)))
        # ignore_conflicts: as in services._apply_covers, a re-check that got there first wins.
        RequiredLearning.objects.bulk_create(new_rows, batch_size=WRITE_BATCH_SIZE, ignore_conflicts=True)


def _covers(
    memberships: list[tuple[int, list[int], date]],
    personal: list[Assignment],
    covering: Callable[[int, list[int]], list[Assignment]],
) -> dict[int, _Cover]:
    """Per course id, the assignment (and unit) giving one person the earliest due date.

    The rule of services._covers_for_memberships: memberships in order of joining, each unit's
    assignments in id order, the first of equal dates wins; personal assignments count from the
    day they were made and are attributed to the unit joined first.
    """
    best: dict[int, _Cover] = {}
    for unit_id, ancestors, joined_at in memberships:
        for assignment in covering(unit_id, ancestors):
            due = (
                assignment.due_date
                if assignment.due_date is not None
                else joined_at + timedelta(days=assignment.due_days)
            )
            current = best.get(assignment.course_id)
            if current is None or due < current.due_date:
                best[assignment.course_id] = _Cover(assignment, unit_id, due)
    first_unit = memberships[0][0] if memberships else None
    for assignment in personal:
        due = _due_date(assignment, joined=None)
        current = best.get(assignment.course_id)
        if current is None or due < current.due_date:
            best[assignment.course_id] = _Cover(assignment, first_unit, due)
    return best


def _completion_states(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], tuple]:
    """(started_at, completed_at, certificate expiry) per (user, course) begun, as in
    services._completion_state, for many people and courses in three queries."""
    user_ids = sorted({user_id for user_id, _course in pairs})
    course_ids = sorted({course_id for _user, course_id in pairs})
    started = {
        (user_id, course_id): first
        for user_id, course_id, first in ModuleProgress.objects.filter(
            enrolment__user_id__in=user_ids, enrolment__course_id__in=course_ids
        )
        .values("enrolment__user_id", "enrolment__course_id")
        .annotate(first=Min("started_at"))
        .values_list("enrolment__user_id", "enrolment__course_id", "first")
        if (user_id, course_id) in pairs
    }
    completed = {
        (user_id, course_id): completed_at
        for user_id, course_id, completed_at in Enrolment.objects.filter(
            user_id__in=user_ids, course_id__in=course_ids, completed_at__isnull=False
        ).values_list("user_id", "course_id", "completed_at")
        if (user_id, course_id) in pairs
    }
    expiry = {}
    if completed:
        for user_id, course_id, expires_at in (
            Certificate.objects.filter(
                user_id__in=sorted({user_id for user_id, _course in completed}),
                course_id__in=course_ids,
                revoked_at__isnull=True,
            )
            .order_by("user_id", "course_id", "issued_at")
            .values_list("user_id", "course_id", "expires_at")
        ):
            if (user_id, course_id) in completed:
                expiry[(user_id, course_id)] = expires_at  # the newest certificate wins
    return {pair: (started.get(pair), completed.get(pair), expiry.get(pair)) for pair in started | completed}


# --- Jobs -------------------------------------------------------------------------------------

# The jobs started while an admin view handles a request (see wagtail_hooks), so the view can tell
# whoever made the change where to follow it. None outside such a view.
_jobs_started: ContextVar[list[SyncJob] | None] = ContextVar("requirements_jobs_started", default=None)


def jobs_started_collect() -> Token:
    """Start remembering the jobs started from here on (until jobs_started_take)."""
    return _jobs_started.set([])


def jobs_started_take(token: Token) -> list[SyncJob]:
    jobs = _jobs_started.get() or []
    try:
        _jobs_started.reset(token)
    except ValueError:  # a token from another context: forget, rather than leak into the next request
        _jobs_started.set(None)
    return jobs


def sync_job_start(*, kind: str, user_ids: Iterable[int], by=None, subject: str = "") -> SyncJob | None:
    """Record a job re-checking these people and queue its task when the current transaction commits.

    Nothing is queued if the transaction rolls back (the job row goes with it). Returns None when
    there is nobody to re-check.
    """
    ids = sorted(set(user_ids))
    if not ids:
        return None
    job = SyncJob.objects.create(
        kind=kind,
        subject=str(subject)[:255],
        started_by=by if getattr(by, "is_authenticated", False) else None,
        user_ids=ids,
        total=len(ids),
    )
    transaction.on_commit(lambda: _queue(job.pk), robust=True)
    collected = _jobs_started.get()
    if collected is not None:
        collected.append(job)
    return job


def _queue(job_id: int) -> None:
    from .tasks import sync_required_learning

    sync_required_learning.delay(job_id)


def sync_job_run(*, job_id: int) -> None:
    """Run a job: re-check its people batch by batch, recording progress. Safe to run twice."""
    job = SyncJob.objects.filter(pk=job_id).first()
    if job is None or job.status == SyncJob.Status.DONE:
        return
    SyncJob.objects.filter(pk=job_id).update(status=SyncJob.Status.RUNNING, done=0, error="")

    def progress(done: int) -> None:
        SyncJob.objects.filter(pk=job_id).update(done=min(done, job.total))

    requirements_sync_users(user_ids=job.user_ids, progress=progress)
    SyncJob.objects.filter(pk=job_id).update(
        status=SyncJob.Status.DONE, done=job.total, finished_at=timezone.now()
    )


def sync_job_failed(*, job_id: int, error: str) -> None:
    """The task gave up: show the job as failed (an administrator can start it again)."""
    logger.error("Required-learning job %s failed: %s", job_id, error)
    SyncJob.objects.filter(pk=job_id).update(
        status=SyncJob.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def sync_job_restart(*, job_id: int) -> None:
    """Queue a failed or stalled job again (it re-reads everything, so nothing is done twice)."""
    with transaction.atomic():
        updated = (
            SyncJob.objects.filter(pk=job_id)
            .exclude(status=SyncJob.Status.DONE)
            .update(status=SyncJob.Status.QUEUED, error="", finished_at=None)
        )
        if updated:
            transaction.on_commit(lambda: _queue(job_id), robust=True)


# A run ends within CELERY_TASK_TIME_LIMIT (12 minutes): a job still «Pågår» this long after it was
# made lost its worker and its message too (a broker restarted without its data, say).
RUNNING_STALLED_AFTER = timedelta(hours=1)


def sync_jobs_stalled(*, older_than: timedelta = timedelta(minutes=15)) -> list[int]:
    """Jobs still queued long after they were made (their task was lost: the broker was down), and
    jobs still running long after any run could have ended. Running one again is harmless."""
    now = timezone.now()
    return list(
        SyncJob.objects.filter(
            Q(status=SyncJob.Status.QUEUED, created_at__lt=now - older_than)
            | Q(status=SyncJob.Status.RUNNING, created_at__lt=now - RUNNING_STALLED_AFTER)
        ).values_list("pk", flat=True)
    )
