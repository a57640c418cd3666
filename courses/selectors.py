"""Reads of courses and learner progress.

Each function runs a fixed number of queries however many courses, modules
or enrolments there are; the catalogue, course and module pages rely on that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Q, Value
from django.db.models.functions import Substr
from wagtail.models import Page

from .models import CoursePage, Enrolment, ModulePage, ModuleProgress, RequiredLearning


@dataclass(frozen=True)
class CourseProgress:
    """A learner's progress through one course."""

    enrolment: Enrolment
    completed_modules: int
    total_modules: int

    @property
    def percent(self) -> int:
        if self.enrolment.completed_at is not None:
            return 100
        if not self.total_modules:
            return 0
        return min(100, round(100 * self.completed_modules / self.total_modules))

    @property
    def is_completed(self) -> bool:
        return self.enrolment.completed_at is not None

    @property
    def is_started(self) -> bool:
        return self.completed_modules > 0 or self.is_completed


def _live_modules(course: Page):
    """The published modules of a course, in the order editors arranged them."""
    return ModulePage.objects.child_of(course).live().order_by("path")


def course_modules(course: Page) -> list[ModulePage]:
    return list(_live_modules(course))


def course_of_module(module: Page) -> CoursePage:
    """A module's course (its parent page), in one query."""
    return CoursePage.objects.get(path=module.path[: -Page.steplen])


def course_module_ids(course: Page) -> list[int]:
    return list(_live_modules(course).values_list("pk", flat=True))


def all_modules_completed(*, enrolment: Enrolment, course: Page) -> bool:
    """Whether the learner has completed every published module of the course (two queries)."""
    module_ids = course_module_ids(course)
    completed = ModuleProgress.objects.filter(
        enrolment=enrolment, module_id__in=module_ids, completed_at__isnull=False
    ).count()
    return bool(module_ids) and completed == len(module_ids)


def _parent_path():
    """The tree path of a page's parent, computed in SQL from the page's own path."""
    return Substr("path", 1, (F("depth") - 1) * Value(Page.steplen, output_field=IntegerField()))


def module_counts(courses: Iterable[Page]) -> dict[int, int]:
    """Number of published modules per course id, in one query."""
    course_id_by_path = {course.path: course.pk for course in courses}
    if not course_id_by_path:
        return {}
    rows = (
        ModulePage.objects.live()
        .annotate(parent_path=_parent_path())
        .filter(parent_path__in=list(course_id_by_path))
        .values("parent_path")
        .annotate(modules=Count("pk"))
        .order_by()
    )
    return {course_id_by_path[row["parent_path"]]: row["modules"] for row in rows}


def learner_progress(*, user, courses: Iterable[Page]) -> dict[int, CourseProgress]:
    """The user's progress in each of `courses` they are enrolled in, keyed by course id.

    Three queries: enrolments, completed live modules per enrolment, module counts.
    """
    courses = list(courses)
    if not user.is_authenticated or not courses:
        return {}
    enrolments = list(
        Enrolment.objects.filter(user=user, course__in=[c.pk for c in courses]).annotate(
            completed_modules=Count(
                "module_progress",
                filter=_completed_live_progress(),
            )
        )
    )
    if not enrolments:
        return {}
    totals = module_counts(courses)
    return {
        e.course_id: CourseProgress(
            enrolment=e, completed_modules=e.completed_modules, total_modules=totals.get(e.course_id, 0)
        )
        for e in enrolments
    }


def _completed_live_progress() -> Q:
    return Q(module_progress__completed_at__isnull=False, module_progress__module__live=True)


def enrolments_with_progress(*, user) -> list[tuple[CoursePage, CourseProgress]]:
    """Mine kurs: every course the user is enrolled in, unfinished first, most recent activity first."""
    if not user.is_authenticated:
        return []
    enrolments = list(
        Enrolment.objects.filter(user=user, course__live=True)
        .select_related("course")
        .annotate(completed_modules=Count("module_progress", filter=_completed_live_progress()))
        .order_by(F("completed_at").desc(nulls_first=True), "-last_activity_at")
    )
    courses = [e.course for e in enrolments]
    totals = module_counts(courses)
    return [
        (
            e.course,
            CourseProgress(
                enrolment=e, completed_modules=e.completed_modules, total_modules=totals.get(e.course_id, 0)
            ),
        )
        for e in enrolments
    ]


def module_progress_by_module(*, enrolment: Enrolment | None) -> dict[int, ModuleProgress]:
    if enrolment is None:
        return {}
    return {p.module_id: p for p in ModuleProgress.objects.filter(enrolment=enrolment)}


def first_unfinished_module(
    modules: list[ModulePage], progress: dict[int, ModuleProgress]
) -> ModulePage | None:
    """Where "Fortsett der du slapp" takes the learner: the first module not yet completed."""
    for module in modules:
        record = progress.get(module.pk)
        if record is None or record.completed_at is None:
            return module
    return None


def next_module(*, enrolment: Enrolment, course: Page) -> ModulePage | None:
    """Where "Fortsett der du slapp" leads: the course's first module the learner has not finished."""
    return first_unfinished_module(course_modules(course), module_progress_by_module(enrolment=enrolment))


def enrolment_for(*, user, course: Page) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    if enrolment is not None:
        enrolment.course = course  # the caller's instance; saves a query later
    return enrolment


def _activity_blocks(module: ModulePage) -> list[dict]:
    """The module's activity blocks as stored (type, id, value), read without loading chosen objects."""
    from content.blocks import ACTIVITY_BLOCK_TYPES

    return [block for block in module.body.raw_data if block["type"] in ACTIVITY_BLOCK_TYPES]


def module_required_activities(module: ModulePage) -> list[str]:
    """Ids of the blocks in a module that must be done before it completes."""
    return [block["id"] for block in _activity_blocks(module)]


def completed_activities(*, user, module: ModulePage) -> set[str]:
    """Ids of the module's activity blocks the learner has done: an H5P result that met its rule,
    a passed quiz, a submitted reflection."""
    from assessments.models import QuizAttempt, ReflectionAnswer, ReflectionStatus
    from content.h5p.models import H5PResult

    done = set(
        H5PResult.objects.filter(user=user, module=module, completed_at__isnull=False).values_list(
            "block_id", flat=True
        )
    )
    done |= set(
        ReflectionAnswer.objects.filter(
            user=user, module=module, status=ReflectionStatus.SUBMITTED
        ).values_list("block_id", flat=True)
    )
    quiz_blocks = [block for block in _activity_blocks(module) if block["type"] == "quiz"]
    if quiz_blocks:
        passed = set(
            QuizAttempt.objects.filter(
                user=user, quiz_id__in=[block["value"]["quiz"] for block in quiz_blocks], passed=True
            ).values_list("quiz_id", flat=True)
        )
        done |= {block["id"] for block in quiz_blocks if block["value"]["quiz"] in passed}
    return done


def evaluation_submitted(*, enrolment: Enrolment | None) -> bool:
    """Whether the learner has answered the course evaluation (never what they answered)."""
    from assessments.models import EvaluationSubmission

    return enrolment is not None and EvaluationSubmission.objects.filter(enrolment=enrolment).exists()


def latest_certificate(*, enrolment: Enrolment | None):
    """The learner's newest certificate for the enrolment's course, if any."""
    if enrolment is None:
        return None
    from certificates.models import Certificate

    return Certificate.objects.filter(completion__enrolment=enrolment).order_by("-issued_at").first()


def required_learning_of(*, user) -> list[RequiredLearning]:
    """The learner's required courses (from their units or assigned to them), earliest due date first."""
    if not user.is_authenticated:
        return []
    return list(
        RequiredLearning.objects.filter(user=user, course__live=True)
        .select_related("course")
        .order_by("due_date")
    )
