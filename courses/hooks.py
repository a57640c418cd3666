"""Extension points of the learner's pages, which the apps above courses fill with Wagtail hooks.

Courses renders what they return without knowing what it is:

* COURSE_PAGE_PANELS: ``fn(request, *, course, enrolment, progress) -> Panel | None``, shown in
  the course page's aside for an enrolled learner (the evaluation, the kursbevis, ...).
* MY_COURSES_SECTIONS: ``fn(request, *, progress_by_course) -> Panel | None``, shown at the top
  of «Mine kurs» (required learning); the courses a section lists are left out of the list below.

Register with ``@hooks.register(COURSE_PAGE_PANELS)`` in the app's wagtail_hooks.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from wagtail import hooks

COURSE_PAGE_PANELS = "courses_course_page_panels"
MY_COURSES_SECTIONS = "courses_my_courses_sections"


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
