"""Writes to the learner's course state. Every change happens in a transaction.

`module_complete` is the one door through which anything that finishes a
module reports it: the learner's "mark as done" today, quiz passes, submitted
reflections and H5P results later. It records module completion, then course
completion, each once, and hands a course completion to certificates.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page

from certificates.services import certificate_issue

from .assignments import requirement_completion_record, requirement_start_record
from .models import CourseCompletion, CoursePage, Enrolment, ModulePage, ModuleProgress
from .selectors import (
    all_modules_completed,
    completed_activities,
    evaluation_submitted,
    module_required_activities,
)


class NotEnrolledError(Exception):
    """The learner tried to work in a course they are not enrolled in."""


class CourseNotAvailableError(Exception):
    """The course is not published, so nobody can enrol in it."""


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
    queryset = Enrolment.objects.filter(user=user, course__path=course_path)
    if lock:
        queryset = queryset.select_for_update()
    enrolment = queryset.first()
    if enrolment is None:
        raise NotEnrolledError
    return enrolment


def module_start(*, enrolment: Enrolment, module: ModulePage) -> ModuleProgress:
    """Record that the learner opened a module of the course they are enrolled in (idempotent)."""
    if not module.path.startswith(enrolment.course.path):
        raise NotEnrolledError
    progress, created = ModuleProgress.objects.get_or_create(enrolment=enrolment, module=module)
    now = timezone.now()
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=now)
    if created:
        requirement_start_record(enrolment=enrolment, started_at=now)
    return progress


def module_complete(*, user, module: ModulePage) -> ModuleProgress:
    """Mark a module completed for the learner and complete the course if it was the last.

    The enrolment row is locked for the duration, so two requests finishing the
    last two modules at once cannot both miss (or both record) course completion.
    """
    now = timezone.now()
    with transaction.atomic():
        enrolment = _enrolment_for_module(user=user, module=module, lock=True)
        progress, created = ModuleProgress.objects.get_or_create(enrolment=enrolment, module=module)
        if created:
            requirement_start_record(enrolment=enrolment, started_at=now)
        if progress.completed_at is None:
            progress.completed_at = now
            progress.save(update_fields=["completed_at"])
        enrolment.last_activity_at = now
        enrolment.save(update_fields=["last_activity_at"])
        _course_complete_if_done(enrolment=enrolment, now=now)
    return progress


def activity_completed(*, user, module: ModulePage) -> ModuleProgress | None:
    """An activity in the module (an H5P block, a passed quiz, a submitted reflection) reports done.

    The module completes, through module_complete, once every activity it
    requires is done; until then nothing changes.
    """
    required = set(module_required_activities(module))
    if required and required <= completed_activities(user=user, module=module):
        return module_complete(user=user, module=module)
    return None


def course_complete_if_done(*, user, course: CoursePage) -> bool:
    """A course-level step (the course evaluation) reports done; completes the course if nothing is left."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
        if enrolment is None:
            raise NotEnrolledError
        enrolment.course = course
        return _course_complete_if_done(enrolment=enrolment, now=timezone.now())


def _course_complete_if_done(*, enrolment: Enrolment, now) -> bool:
    """Record course completion once, when every published module is completed
    (and the course evaluation answered, where the course requires it).

    A completion already recorded is kept: adding or editing modules later
    does not take it away.
    """
    if enrolment.completed_at is not None:
        return False
    if not all_modules_completed(enrolment=enrolment, course=enrolment.course):
        return False
    if enrolment.course.evaluation_required and not evaluation_submitted(enrolment=enrolment):
        return False
    updated = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(completed_at=now)
    if not updated:
        return False
    enrolment.completed_at = now
    completion = CourseCompletion.objects.create(enrolment=enrolment, completed_at=now)
    # The one hand-off to certificates: issued in this transaction, rendered after commit.
    certificate = certificate_issue(completion=completion)
    # Required learning (managers' dashboards, reminders) sees the completion and the new expiry.
    requirement_completion_record(enrolment=enrolment, completed_at=now, certificate=certificate)
    return True


def enrolment_restart(*, user, course: CoursePage) -> Enrolment:
    """Take a completed course again, for example to renew an expired certificate.

    Module progress is reset; earlier completions and their certificates stay.
    """
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().filter(user=user, course=course).first()
        if enrolment is None:
            raise NotEnrolledError
        if enrolment.completed_at is None:
            return enrolment
        ModuleProgress.objects.filter(enrolment=enrolment).update(completed_at=None)
        enrolment.completed_at = None
        enrolment.last_activity_at = timezone.now()
        enrolment.save(update_fields=["completed_at", "last_activity_at"])
    return enrolment
