"""The course holder's dashboard in the admin: shared reflections that wait for a reply.

Courses adds its own panel (courses, drafts, completions); each app shows what it owns. A fixed
number of queries, whatever the number of courses a holder has.
"""

from __future__ import annotations

from wagtail.admin.ui.components import Component

from . import selectors
from .models import ReflectionAnswer

SHOWN = 10


class SharedReflectionsPanel(Component):
    name = "shared_reflections_waiting"
    template_name = "assessments/admin/dashboard_shared_reflections.html"
    order = 160

    def __init__(self, *, reflections: list[ReflectionAnswer], waiting: int):
        self.reflections = reflections
        self.waiting = waiting

    @classmethod
    def for_user(cls, user) -> SharedReflectionsPanel | None:
        """The panel for a course holder, or None for someone who holds no course."""
        courses = selectors.editable_courses(user=user)
        if not courses.exists():
            return None
        waiting = ReflectionAnswer.objects.filter(
            course__in=courses.values("pk"), shared_at__isnull=False, feedback__isnull=True
        )
        rows = list(waiting.select_related("user", "course", "module").order_by("shared_at")[:SHOWN])
        return cls(reflections=rows, waiting=len(rows) if len(rows) < SHOWN else waiting.count())

    def get_context_data(self, parent_context=None):
        return {"reflections": self.reflections, "waiting": self.waiting, "shown": len(self.reflections)}
