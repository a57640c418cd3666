"""Extension points of the learner's pages, which the apps above courses fill with Wagtail hooks.

Courses renders what they return without knowing what it is:

* COURSE_PAGE_PANELS: ``fn(request, *, course, enrolment, progress) -> Panel | None``, shown in
  the course page's aside for an enrolled learner (the evaluation, the kursbevis, ...).
* MY_COURSES_SECTIONS: ``fn(request, *, progress_by_course, links_by_course) -> Panel | None``,
  shown at the top of «Mine kurs» (required learning); the courses a section lists are left out
  of the list below. `links_by_course` holds the MY_COURSES_COURSE_LINKS links, to show with them.
* MY_COURSES_COURSE_LINKS: ``fn(request, *, enrolments) -> dict[course id, list[CourseLink]]``,
  extra links under each course in «Mine kurs» (the kursbevis). Called once with all the
  learner's enrolments, so an app answers with one query, never one per course.

Register with ``@hooks.register(COURSE_PAGE_PANELS)`` in the app's wagtail_hooks.py.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

COURSE_PAGE_PANELS = "courses_course_page_panels"
MY_COURSES_SECTIONS = "courses_my_courses_sections"
MY_COURSES_COURSE_LINKS = "courses_my_courses_course_links"


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    #: For MY_COURSES_SECTIONS: the ids of the courses the section shows.
    course_ids: frozenset[int] = frozenset()


@dataclass
class RenderedPanels:
    html: SafeString
    course_ids: frozenset[int]


def render_panels(hook_name: str, request, **kwargs) -> RenderedPanels:
    """Ask every function registered for `hook_name` and render what they return, in `order`."""
    panels = [panel for fn in hooks.get_hooks(hook_name) if (panel := fn(request, **kwargs)) is not None]
    panels.sort(key=lambda panel: panel.order)
    html = "".join(render_to_string(p.template, p.context, request=request) for p in panels)
    course_ids = frozenset().union(*(p.course_ids for p in panels))
    return RenderedPanels(mark_safe(html), course_ids)  # noqa: S308 - rendered templates


@dataclass(frozen=True)
class CourseLink:
    """A link under a course in «Mine kurs»; `note` is shown after it, in brackets (a status)."""

    label: str
    url: str
    note: str = ""


def course_links(request, *, enrolments) -> dict[int, list[CourseLink]]:
    """Every registered MY_COURSES_COURSE_LINKS function's links, merged per course id."""
    links: dict[int, list[CourseLink]] = defaultdict(list)
    if not enrolments:
        return {}
    for fn in hooks.get_hooks(MY_COURSES_COURSE_LINKS):
        for course_id, course_links_ in (fn(request, enrolments=enrolments) or {}).items():
            links[course_id].extend(course_links_)
    return dict(links)
