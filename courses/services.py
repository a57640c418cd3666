"""Writes to the learner's course state. Every change happens in a transaction.

The one door to completion: every activity kind reports "done" here, through
`activity_complete` (a block in a module: a passed quiz, a submitted reflection,
an H5P rule met, and later attendance, SCORM, LTI) or `course_step_complete` (a
step of the whole course: the evaluation); a module without activities is
marked done with `module_complete`. Each writes a row in the completion ledger
(ActivityCompletion) for the learner's current round, then completes the module
once all its activity blocks are in that round's ledger, and the course once
all its modules (and the steps the course requires) are.

A completed course sends `course_completed` (courses.signals) inside the same
transaction: certificates and required learning listen, courses calls neither.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page

from . import activities, app_settings, selectors
from .models import ActivityCompletion, CourseCompletion, CoursePage, Enrolment, ModulePage, ModuleProgress
from .signals import course_completed, course_started

logger = logging.getLogger(__name__)


class NotEnrolledError(Exception):
    """The learner tried to work in a course they are not enrolled in."""


class CourseNotAvailableError(Exception):
    """The course is not published, so nobody can enrol in it."""


@dataclass(frozen=True)
class CompletionOutcome:
    """What a report through the one door changed."""

    enrolment: Enrolment | None
    module_completed: bool = False
    course_completed: bool = False


def enrolment_create(*, user, course: CoursePage) -> tuple[Enrolment, bool]:
    """Enrol `user` in `course`; a second call returns the existing enrolment.

    The unique constraint on (user, course) decides a race between two
    requests: the loser's insert fails and it returns the winner's row.
    """
    if not course.live:
        raise CourseNotAvailableError
    try:
        with transaction.atomic():
            return Enrolment.objects.get_or_create(user=user, course=course)
    except IntegrityError:
        return Enrolment.objects.get(user=user, course=course), False


def enrolment_for_module(*, user, module: ModulePage) -> Enrolment:
    """The learner's enrolment in the module's course; NotEnrolledError if there is none."""
    return _enrolment_for_module(user=user, module=module, lock=False)


def _enrolment_for_module(*, user, module: ModulePage, lock: bool) -> Enrolment:
    # A module's parent is its course; matching on the tree path saves a query.
    course_path = module.path[: -Page.steplen]
    queryset = Enrolment.objects.filter(user=user, course__path=course_path).select_related("course")
    return _first_or_not_enrolled(queryset, lock=lock)


def enrolment_lock(*, user, course: CoursePage) -> Enrolment:
    """The learner's enrolment in `course`, locked until the transaction ends; NotEnrolledError if none.

    Everything that changes a learner's state in a course takes this lock first, so two
    requests for the same learner and course run one after the other.
    """
    enrolment = _first_or_not_enrolled(Enrolment.objects.filter(user=user, course=course), lock=True)
    enrolment.course = course
    return enrolment


def _first_or_not_enrolled(queryset, *, lock: bool) -> Enrolment:
    if lock:
        # The enrolment row only: the query joins the course's page, and locking that row too would
        # make every learner's completion in the course wait for every other's to commit.
        queryset = queryset.select_for_update(of=("self",))
    enrolment = queryset.first()
    if enrolment is None:
        raise NotEnrolledError
    return enrolment


_UNKNOWN = object()


def module_start(*, enrolment: Enrolment, module: ModulePage, progress=_UNKNOWN) -> ModuleProgress:
    """Record that the learner opened a module of the course they are enrolled in (idempotent).

    Writes only what changed, so that reading a module is not a database write: the progress row
    the first time, and the enrolment's last activity when the module is new to the learner or the
    stored time is LAST_ACTIVITY_WRITE_INTERVAL seconds old. `progress` is the learner's row for
    this module if the caller has read it already (None: there is none yet).
    """
    if not module.path.startswith(enrolment.course.path):
        raise NotEnrolledError
    created = False
    if progress is _UNKNOWN:
        progress = ModuleProgress.objects.filter(enrolment=enrolment, module=module).first()
    if progress is None:
        progress, created = ModuleProgress.objects.get_or_create(enrolment=enrolment, module=module)
    now = timezone.now()
    stale = now - enrolment.last_activity_at >= timedelta(seconds=app_settings.LAST_ACTIVITY_WRITE_INTERVAL)
    if created or stale:
        Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=now)
        enrolment.last_activity_at = now
    if created:
        _announce_start_if_first(enrolment=enrolment, progress=progress)
    return progress


def _announce_start_if_first(*, enrolment: Enrolment, progress: ModuleProgress) -> None:
    """The first module a learner opens in a course begins the course."""
    if not ModuleProgress.objects.filter(enrolment=enrolment).exclude(pk=progress.pk).exists():
        course_started.send(sender=Enrolment, enrolment=enrolment, started_at=progress.started_at)


def activity_complete(*, user, module: ModulePage, block_id: str, kind: str) -> CompletionOutcome:
    """An activity block in a module reports that the learner is done with it (idempotent per round).

    `kind` must be a registered activity kind. A block no longer in the module (edited away
    while the learner worked) completes nothing. The module completes when every activity
    block in it is in the current round's ledger.
    """
    if activities.kind(kind) is None:
        raise ValueError(f"{kind!r} is not a registered activity kind")
    if selectors.module_block(module, block_id=block_id, block_type=kind) is None:
        logger.warning("Module %s has no %s block %s any more; nothing completed", module.pk, kind, block_id)
        return CompletionOutcome(enrolment=None)
    now = timezone.now()
    with transaction.atomic():
        enrolment = _enrolment_for_module(user=user, module=module, lock=True)
        _ledger_record(enrolment=enrolment, module=module, block_id=block_id, kind=kind, now=now)
        _touch(enrolment=enrolment, module=module, now=now)
        required = set(selectors.module_required_activities(module))
        module_done = required <= selectors.completed_activities(enrolment=enrolment, module=module)
        module_completed = module_done and _module_record_complete(
            enrolment=enrolment, module=module, now=now
        )
        course_completed_now = _course_complete_if_done(enrolment=enrolment, now=now)
    return CompletionOutcome(enrolment, module_completed, course_completed_now)


def module_complete(*, user, module: ModulePage) -> CompletionOutcome:
    """The learner marks a module without activities as done, and the course completes if it was the last.

    The enrolment row is locked for the duration, so two requests finishing the
    last two modules at once cannot both miss (or both record) course completion.
    """
    now = timezone.now()
    with transaction.atomic():
        enrolment = _enrolment_for_module(user=user, module=module, lock=True)
        _touch(enrolment=enrolment, module=module, now=now)
        module_completed = _module_record_complete(enrolment=enrolment, module=module, now=now)
        course_completed_now = _course_complete_if_done(enrolment=enrolment, now=now)
    return CompletionOutcome(enrolment, module_completed, course_completed_now)


def course_step_complete(*, enrolment: Enrolment, kind: str) -> CompletionOutcome:
    """A step of the whole course (the evaluation) reports done; the course completes if nothing is left.

    The caller holds the enrolment's lock (enrolment_lock) in its own transaction.
    """
    registered = activities.kind(kind)
    if registered is None or registered.scope != activities.COURSE:
        raise ValueError(f"{kind!r} is not a registered course step")
    now = timezone.now()
    with transaction.atomic():
        _ledger_record(enrolment=enrolment, module=None, block_id="", kind=kind, now=now)
        course_completed_now = _course_complete_if_done(enrolment=enrolment, now=now)
    return CompletionOutcome(enrolment, course_completed=course_completed_now)


def _ledger_record(*, enrolment: Enrolment, module: ModulePage | None, block_id: str, kind: str, now) -> None:
    """Add a row to the ledger of the current round, unless it is there already.

    One INSERT ... ON CONFLICT DO NOTHING: the partial unique constraints decide, so two
    reports of the same activity at once leave one row.
    """
    ActivityCompletion.objects.bulk_create(
        [
            ActivityCompletion(
                enrolment=enrolment,
                round=enrolment.round,
                module=module,
                block_id=block_id,
                kind=kind,
                completed_at=now,
            )
        ],
        ignore_conflicts=True,
    )


def _touch(*, enrolment: Enrolment, module: ModulePage, now) -> ModuleProgress:
    progress, created = ModuleProgress.objects.get_or_create(enrolment=enrolment, module=module)
    if created:
        _announce_start_if_first(enrolment=enrolment, progress=progress)
    enrolment.last_activity_at = now
    enrolment.save(update_fields=["last_activity_at"])
    return progress


def _module_record_complete(*, enrolment: Enrolment, module: ModulePage, now) -> bool:
    """The module is done in this round: a ledger row, and the progress bar's cache. True if new."""
    _ledger_record(enrolment=enrolment, module=module, block_id="", kind=activities.MODULE_DONE, now=now)
    updated = ModuleProgress.objects.filter(
        enrolment=enrolment, module=module, completed_at__isnull=True
    ).update(completed_at=now)
    return bool(updated)


def _course_complete_if_done(*, enrolment: Enrolment, now) -> bool:
    """Record course completion once per round, when the current round's ledger has every published
    module and every course step the course requires (the evaluation, where it is required).

    A completion already recorded is kept: adding or editing modules later does not take it away.
    """
    if enrolment.completed_at is not None:
        return False
    course = enrolment.course
    if not selectors.all_modules_completed(enrolment=enrolment, course=course):
        return False
    for step in activities.course_kinds().values():
        if step.required_for_course(course) and not selectors.course_step_done(
            enrolment=enrolment, kind=step.name
        ):
            return False
    updated = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(completed_at=now)
    if not updated:
        return False
    enrolment.completed_at = now
    completion = CourseCompletion.objects.create(enrolment=enrolment, round=enrolment.round, completed_at=now)
    # Certificates issue the kursbevis and required learning records the completion, in this transaction.
    course_completed.send(sender=CourseCompletion, completion=completion, enrolment=enrolment)
    return True


def enrolment_restart(*, user, course: CoursePage) -> Enrolment:
    """Take a completed course again, for example to renew an expired certificate.

    A new round begins: its ledger is empty, so every activity is done again. Earlier
    rounds, their completions and certificates stay.
    """
    with transaction.atomic():
        enrolment = enrolment_lock(user=user, course=course)
        if enrolment.completed_at is None:
            return enrolment
        ModuleProgress.objects.filter(enrolment=enrolment).update(completed_at=None)
        enrolment.completed_at = None
        enrolment.round += 1
        enrolment.last_activity_at = timezone.now()
        enrolment.save(update_fields=["completed_at", "round", "last_activity_at"])
    return enrolment
