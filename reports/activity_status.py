"""Which activities of each course a person has done, for their manager's view of the person.

Done or not done only, as the completion ledger of the person's current round says: never a
score, an answer or a text. H5P activities show with their content's title, other kinds with
their label. Four queries however many courses, modules and activities there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Q

from courses import activities as activity_registry
from courses.models import ActivityCompletion, Enrolment, ModulePage
from courses.selectors import module_blocks
from h5p.activities import H5P
from h5p.models import H5PContent


@dataclass(frozen=True)
class ActivityStatus:
    title: str
    kind_label: str
    done: bool


@dataclass
class ModuleStatus:
    title: str
    done: bool
    activities: list[ActivityStatus] = field(default_factory=list)


def activity_status(*, enrolments: list[Enrolment], using: str = "default") -> dict[int, list[ModuleStatus]]:
    """Per enrolment id: the course's published modules in order, each done or not, with its
    activity blocks done or not in the enrolment's current round."""
    if not enrolments:
        return {}
    courses = {enrolment.course_id: enrolment.course for enrolment in enrolments}
    by_course = Q()
    for course in courses.values():
        by_course |= Q(path__startswith=course.path, depth=course.depth + 1)
    modules = list(
        ModulePage.objects.using(using)
        .live()
        .filter(by_course)
        .order_by("path")
        .only("pk", "title", "path", "body")
    )
    ledger: dict[int, set[tuple[int, str]]] = {}
    for enrolment_id, module_id, block_id in (
        ActivityCompletion.objects.using(using)
        .filter(enrolment__in=[e.pk for e in enrolments], round=F("enrolment__round"), module__isnull=False)
        .values_list("enrolment_id", "module_id", "block_id")
    ):
        ledger.setdefault(enrolment_id, set()).add((module_id, block_id))
    kinds = activity_registry.module_kinds()
    content_ids = {
        block["value"].get("content")
        for module in modules
        for block in module_blocks(module, block_type=H5P)
        if isinstance(block.get("value"), dict)
    }
    titles = dict(H5PContent.objects.using(using).filter(pk__in=content_ids).values_list("pk", "title"))
    status: dict[int, list[ModuleStatus]] = {}
    for enrolment in enrolments:
        course = courses[enrolment.course_id]
        done = ledger.get(enrolment.pk, set())
        rows = []
        for module in modules:
            if not module.path.startswith(course.path):
                continue
            row = ModuleStatus(title=module.title, done=(module.pk, "") in done)
            for block in module_blocks(module):
                kind = kinds.get(block["type"])
                if kind is None:
                    continue
                title = ""
                if block["type"] == H5P and isinstance(block.get("value"), dict):
                    title = titles.get(block["value"].get("content"), "")
                row.activities.append(
                    ActivityStatus(
                        title=title or str(kind.label),
                        kind_label=str(kind.label),
                        done=(module.pk, block["id"]) in done,
                    )
                )
            rows.append(row)
        status[enrolment.pk] = rows
    return status
