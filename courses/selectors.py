"""Reads of courses, learner progress and the completion ledger.

Each function runs a fixed number of queries however many courses, modules
or enrolments there are; the catalogue, course and module pages rely on that.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, IntegerField, Q, Value
from django.db.models.functions import Substr
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Page

from content.routing import ROUTE_CACHE_TTL, cached_site, content_cache_key

from . import activities
from .forms import CatalogueFacets
from .models import ActivityCompletion, CompetenceArea, CoursePage, Enrolment, ModulePage, ModuleProgress


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


@dataclass(frozen=True)
class ModuleOutline:
    """What the course and module pages show of a module in a list: never its body."""

    pk: int
    title: str
    url: str
    estimated_duration: int
    summary: str


@dataclass(frozen=True)
class CourseOutline:
    """A course and its published modules in order, as the learner's pages list them."""

    course: CoursePage
    modules: list[ModuleOutline]


def course_outline(*, course_path: str, request=None) -> CourseOutline:
    """The course at `course_path` with its module list, from the shared cache (two queries on a miss).

    Content only, the same for everyone: kept under the content generation (content/routing.py), so
    publishing, unpublishing, moving or deleting any page forgets it. Raises CoursePage.DoesNotExist.
    """
    site = cached_site(request) if request is not None else None
    key = content_cache_key("course-outline", course_path, site.pk if site else "", request=request)
    outline = cache.get(key)
    if outline is None:
        course = CoursePage.objects.get(path=course_path)
        modules = [
            ModuleOutline(
                pk=m.pk,
                title=m.title,
                url=m.get_url(request) or "",
                estimated_duration=m.estimated_duration,
                summary=m.summary,
            )
            for m in _live_modules(course).defer("body")
        ]
        outline = CourseOutline(course=course, modules=modules)
        cache.set(key, outline, ROUTE_CACHE_TTL)
    return outline


def course_of_module(module: Page) -> CoursePage:
    """A module's course (its parent page), in one query."""
    return CoursePage.objects.get(path=module.path[: -Page.steplen])


def course_module_ids(course: Page) -> list[int]:
    return list(_live_modules(course).values_list("pk", flat=True))


def all_modules_completed(*, enrolment: Enrolment, course: Page) -> bool:
    """Whether the ledger of the learner's current round has every published module of the course
    (two queries)."""
    module_ids = course_module_ids(course)
    completed = ActivityCompletion.objects.filter(
        enrolment=enrolment,
        round=enrolment.round,
        kind=activities.MODULE_DONE,
        module_id__in=module_ids,
        block_id="",
    ).count()
    return bool(module_ids) and completed == len(module_ids)


def _parent_path():
    """The tree path of a page's parent, computed in SQL from the page's own path."""
    return Substr("path", 1, (F("depth") - 1) * Value(Page.steplen, output_field=IntegerField()))


def module_counts(courses: Iterable[Page], *, request=None) -> dict[int, int]:
    """Number of published modules per course id: from the shared cache, one query for the rest.

    Content only, kept under the content generation (content/routing.py) like the course outline,
    so a page of courses costs the same whichever courses are on it.
    """
    course_id_by_path = {course.path: course.pk for course in courses}
    if not course_id_by_path:
        return {}
    keys = {path: content_cache_key("module-count", path, request=request) for path in course_id_by_path}
    cached = cache.get_many(list(keys.values()))
    counts = {path: cached[key] for path, key in keys.items() if key in cached}
    missing = [path for path in course_id_by_path if path not in counts]
    if missing:
        rows = (
            ModulePage.objects.live()
            .annotate(parent_path=_parent_path())
            .filter(parent_path__in=missing)
            .values("parent_path")
            .annotate(modules=Count("pk"))
            .order_by()
        )
        found = {row["parent_path"]: row["modules"] for row in rows}
        fresh = {path: found.get(path, 0) for path in missing}
        cache.set_many({keys[path]: count for path, count in fresh.items()}, ROUTE_CACHE_TTL)
        counts |= fresh
    return {course_id_by_path[path]: count for path, count in counts.items()}


def catalogue_facets(*, catalogue: Page, request=None) -> CatalogueFacets:
    """The values the catalogue's live courses have, for its filters (two queries on a cache miss).

    Content only, the same for everyone: kept in the shared cache under the content generation
    (content/routing.py), so publishing a course or changing a competence area forgets it.
    """
    key = content_cache_key("catalogue-facets", catalogue.pk, request=request)
    facets = cache.get(key)
    if facets is None:
        live_courses = CoursePage.objects.child_of(catalogue).live().order_by()
        facets = CatalogueFacets(
            combinations=frozenset(
                live_courses.values_list("audience", "course_language", "format").distinct()
            ),
            areas=tuple(
                CompetenceArea.objects.filter(pk__in=live_courses.values("competence_areas")).values_list(
                    "slug", "name", "name_en"
                )
            ),
        )
        cache.set(key, facets, ROUTE_CACHE_TTL)
    return facets


def learner_progress(*, user, courses: Iterable[Page]) -> dict[int, CourseProgress]:
    """The user's progress in each of `courses` they are enrolled in, keyed by course id.

    One query (the enrolments with their completed live modules), and the module counts from the
    shared cache (one more query for the courses it does not hold).
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


def enrolment_with_progress(
    *, user, course: Page, module: Page | None = None
) -> tuple[Enrolment | None, dict[int, ModuleProgress]]:
    """The learner's enrolment in the course and their progress by module id, in one query.

    With `module`, the same query also brings the ids of the module's activity blocks in the ledger
    of the current round; completed_activities() then answers without a query. The module page
    asks this on every view, so it is one hand-written statement: the ORM's version (a join, a
    correlated subquery and an aggregate) cost three times as much here, most of it building SQL.
    """
    if not user.is_authenticated:
        return None, {}
    with connection.cursor() as cursor:
        cursor.execute(_learner_course_state_sql(), [module.pk if module else None, user.pk, course.pk])
        rows = cursor.fetchall()
    if not rows:
        return None, {}
    enrolment_columns = len(_ENROLMENT_FIELDS)
    enrolment = _from_row(Enrolment, _ENROLMENT_FIELDS, rows[0][:enrolment_columns])
    enrolment.course = course  # the caller's instance; saves a query later
    if module is not None:
        enrolment.done_block_ids = (module.pk, set(filter(None, (rows[0][-1] or "").split(","))))
    progress = {}
    for row in rows:
        values = row[enrolment_columns:-1]
        if values[0] is None:  # the LEFT JOIN's row for an enrolment without progress
            continue
        record = _from_row(ModuleProgress, _PROGRESS_FIELDS, values)
        record.enrolment = enrolment
        progress[record.module_id] = record
    return enrolment, progress


_ENROLMENT_FIELDS = ["id", "user_id", "course_id", "enrolled_at", "round", "last_activity_at", "completed_at"]
_PROGRESS_FIELDS = ["id", "enrolment_id", "module_id", "started_at", "completed_at"]


def _from_row(model, fields: list[str], values) -> object:
    """A model instance from a raw row, its date-time columns as the ORM gives them: aware, as the
    settings ask (SQLite hands them over naive, or as text)."""
    converted = []
    for name, value in zip(fields, values, strict=True):
        if name.endswith("_at") and value is not None:
            if isinstance(value, str):
                value = parse_datetime(value)
            if settings.USE_TZ and timezone.is_naive(value):
                value = timezone.make_aware(value, connection.timezone)
        converted.append(value)
    return model.from_db(model.objects.db, fields, converted)


@functools.cache
def _learner_course_state_sql() -> str:
    """enrolment_with_progress' statement, from the models' own tables and columns."""
    quote = connection.ops.quote_name

    def columns(model, alias: str, names: list[str]) -> str:
        return ", ".join(f"{alias}.{quote(model._meta.get_field(name).column)}" for name in names)

    def column(model, name: str) -> str:
        return quote(model._meta.get_field(name).column)

    block_id = f"a.{column(ActivityCompletion, 'block_id')}"
    joined = (
        f"STRING_AGG({block_id}, ',')" if connection.vendor == "postgresql" else f"GROUP_CONCAT({block_id})"
    )
    enrolment, progress, ledger = Enrolment, ModuleProgress, ActivityCompletion
    # Table and column names come from the models' metadata; every value is a query parameter.
    return (
        f"SELECT {columns(enrolment, 'e', [f.removesuffix('_id') for f in _ENROLMENT_FIELDS])},"  # noqa: S608
        f" {columns(progress, 'p', [f.removesuffix('_id') for f in _PROGRESS_FIELDS])},"
        f" (SELECT {joined} FROM {quote(ledger._meta.db_table)} a"
        f"  WHERE a.{column(ledger, 'enrolment')} = e.{column(enrolment, 'id')}"
        f"  AND a.{column(ledger, 'round')} = e.{column(enrolment, 'round')}"
        f"  AND a.{column(ledger, 'module')} = %s AND {block_id} <> '')"
        f" FROM {quote(enrolment._meta.db_table)} e"
        f" LEFT JOIN {quote(progress._meta.db_table)} p"
        f"  ON p.{column(progress, 'enrolment')} = e.{column(enrolment, 'id')}"
        f" WHERE e.{column(enrolment, 'user')} = %s AND e.{column(enrolment, 'course')} = %s"
    )


def enrolment_for(*, user, course: Page) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    enrolment = Enrolment.objects.filter(user=user, course=course).first()
    if enrolment is not None:
        enrolment.course = course  # the caller's instance; saves a query later
    return enrolment


def module_blocks(module: ModulePage, *, block_type: str | None = None) -> list[dict]:
    """The blocks of a module's body as stored (type, id, value), read without loading chosen objects.

    The one place that scans a module's StreamField; `block_type` keeps one type only.
    """
    return [block for block in module.body.raw_data if block_type is None or block["type"] == block_type]


def module_block(module: ModulePage, *, block_id: str, block_type: str) -> dict | None:
    """One block of the module's body as stored, if it exists and is of `block_type`."""
    return next(
        (b for b in module_blocks(module, block_type=block_type) if b["id"] == block_id),
        None,
    )


def module_activity_blocks(module: ModulePage) -> list[dict]:
    """The module's activity blocks (of every registered kind), as stored."""
    kinds = activities.module_kinds()
    return [block for block in module_blocks(module) if block["type"] in kinds]


def module_required_activities(module: ModulePage) -> list[str]:
    """Ids of the blocks in a module that must be done before it completes."""
    return [block["id"] for block in module_activity_blocks(module)]


def completed_activities(*, enrolment: Enrolment | None, module: ModulePage) -> set[str]:
    """Ids of the module's activity blocks the learner has done in the current round (the ledger).

    An enrolment read by enrolment_with_progress(module=…) already holds them: no query then.
    """
    if enrolment is None:
        return set()
    known = getattr(enrolment, "done_block_ids", None)
    if known is not None and known[0] == module.pk:
        return set(known[1])
    return set(
        ActivityCompletion.objects.filter(enrolment=enrolment, round=enrolment.round, module=module)
        .exclude(block_id="")
        .values_list("block_id", flat=True)
    )


def course_step_done(*, enrolment: Enrolment | None, kind: str) -> bool:
    """Whether a course-level step (the evaluation) is in the ledger of the learner's current round."""
    return (
        enrolment is not None
        and ActivityCompletion.objects.filter(
            enrolment=enrolment, round=enrolment.round, module__isnull=True, kind=kind
        ).exists()
    )


def ledger_of(*, enrolment: Enrolment) -> list[ActivityCompletion]:
    """Everything the learner finished in the course, every round, oldest first (for audits)."""
    return list(
        ActivityCompletion.objects.filter(enrolment=enrolment)
        .select_related("module")
        .order_by("round", "completed_at", "pk")
    )


def live_module_for_learner(
    *, user, module_id: int, allow_editors: bool = False
) -> tuple[ModulePage, CoursePage, Enrolment | None]:
    """A live module of a live course that `user` is enrolled in, else Http404.

    With allow_editors, someone who may edit the module gets it too (to preview an activity),
    with enrolment None. The one check every activity view makes before it shows or accepts
    anything. Returns the module, its course and the enrolment.
    """
    module = ModulePage.objects.live().filter(pk=module_id).first()
    if module is None:
        raise Http404
    course = course_of_module(module)
    enrolment = enrolment_for(user=user, course=course)
    if enrolment is not None and course.live:
        return module, course, enrolment
    if allow_editors and module.permissions_for_user(user).can_edit():
        return module, course, None
    raise Http404


def live_course_for_learner(*, user, course_id: int) -> tuple[CoursePage, Enrolment]:
    """A live course `user` is enrolled in, else Http404."""
    course = CoursePage.objects.live().filter(pk=course_id).first()
    enrolment = enrolment_for(user=user, course=course) if course is not None else None
    if enrolment is None:
        raise Http404
    return course, enrolment
