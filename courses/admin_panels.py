"""The course holder's dashboard in the admin: their courses, drafts and recent completions.

A course holder is anyone who may edit a course page. Other apps add their own panels (assessments:
shared reflections waiting for a reply). Completions are counts per course, never names: the holder
learns how a course is used, not who took it. A fixed number of queries, whatever the number of
courses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .models import CourseCompletion, CoursePage, ModulePage

RECENT_DAYS = 30
DRAFTS_SHOWN = 10


@dataclass(frozen=True)
class HeldCourse:
    page: CoursePage
    completed_recently: int
    completed_total: int
    last_completed_at: datetime | None


@dataclass(frozen=True)
class Draft:
    page: Page
    course_title: str


class CourseHolderPanel(Component):
    name = "course_holder_courses"
    template_name = "courses/admin/dashboard_courses.html"
    order = 90  # above Wagtail's own panels: what a course holder opens the admin for

    def __init__(self, *, courses: list[HeldCourse], drafts: list[Draft]):
        self.courses = courses
        self.drafts = drafts

    @classmethod
    def for_user(cls, user) -> CourseHolderPanel | None:
        """The panel for a course holder, or None for someone who may edit no course."""
        editable = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
        pages = list(CoursePage.objects.filter(pk__in=editable.values("pk")).order_by("title"))
        if not pages:
            return None
        since = timezone.now() - timedelta(days=RECENT_DAYS)
        completions = {
            row["enrolment__course"]: row
            for row in CourseCompletion.objects.filter(enrolment__course__in=[p.pk for p in pages])
            .values("enrolment__course")
            .annotate(
                recent=Count("pk", filter=Q(completed_at__gte=since)),
                total=Count("pk"),
                last=Max("completed_at"),
            )
        }
        courses = [
            HeldCourse(
                page=page,
                completed_recently=completions.get(page.pk, {}).get("recent", 0),
                completed_total=completions.get(page.pk, {}).get("total", 0),
                last_completed_at=completions.get(page.pk, {}).get("last"),
            )
            for page in pages
        ]
        titles = {page.path: page.title for page in pages}
        draft_pages = (
            editable.type(CoursePage, ModulePage)
            .filter(has_unpublished_changes=True)
            .order_by("-latest_revision_created_at", "path")[:DRAFTS_SHOWN]
        )
        drafts = [
            Draft(page=page, course_title=titles.get(page.path, titles.get(page.path[: -Page.steplen], "")))
            for page in draft_pages
        ]
        return cls(courses=courses, drafts=drafts)

    def get_context_data(self, parent_context=None):
        return {"courses": self.courses, "drafts": self.drafts, "recent_days": RECENT_DAYS}
