"""Wagtail wiring for required learning: the assignments admin, and the «Mine kurs» section."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.permissions import NoAddOrChangePermissionPolicy
from courses.hooks import MY_COURSES_SECTIONS, Panel

from .models import Assignment
from .selectors import Status, required_learning_of


class AssignmentViewSet(SnippetViewSet):
    """Administrators see every assignment and can withdraw one (delete: the people it covered
    are re-checked by requirements.receivers). Managers assign at /leder/tildel/, through the
    service."""

    model = Assignment
    url_prefix = "snippets/courses/assignment"  # the address it had before requirements became its own app
    icon = "calendar-check"
    menu_label = _("Tildelinger")
    menu_order = 292
    add_to_admin_menu = True
    list_display = [
        "course",
        "unit",
        "user",
        "due_date",
        "due_days",
        "renewal_months",
        "created_by",
        "created_at",
    ]
    list_filter = ["course"]
    inspect_view_enabled = True


register_permission_policy(Assignment, NoAddOrChangePermissionPolicy(Assignment))
register_snippet(AssignmentViewSet)


@hooks.register(MY_COURSES_SECTIONS)
def required_learning_section(request, *, progress_by_course):
    """«Mine kurs» lists the learner's required courses first, enrolled in or not."""
    rows = required_learning_of(user=request.user)
    if not rows:
        return None
    return Panel(
        template="requirements/my_courses_section.html",
        context={
            "required": [(row, progress_by_course.get(row.course_id)) for row in rows],
            "done_statuses": Status.DONE,
        },
        order=10,
        course_ids=frozenset(row.course_id for row in rows),
    )
