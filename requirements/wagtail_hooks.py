"""Wagtail wiring for required learning: the assignments admin, following re-check jobs, and the
«Mine kurs» section."""

from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.permissions import NoAddOrChangePermissionPolicy
from courses.hooks import MY_COURSES_SECTIONS, Panel

from . import admin_views, sync
from .models import Assignment, SyncJob
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


@hooks.register("register_admin_urls")
def register_sync_job_urls():
    return [
        path("paakrevd/oppdateringer/<int:pk>/", admin_views.sync_job, name="requirements_sync_job"),
        path(
            "paakrevd/oppdateringer/<int:pk>/status/",
            admin_views.sync_job_status,
            name="requirements_sync_job_status",
        ),
        path(
            "paakrevd/oppdateringer/<int:pk>/start/",
            admin_views.sync_job_restart,
            name="requirements_sync_job_restart",
        ),
    ]


# A unit moved or deleted, or an assignment withdrawn, in the snippet admin starts a job in a receiver,
# which knows neither the request nor who made the change: remember the jobs started while the view
# runs, then name the administrator as their starter and tell them where to follow them.
@hooks.register("before_edit_snippet")
@hooks.register("before_delete_snippet")
def collect_sync_jobs(request, instance_or_instances):
    request._requirements_sync_jobs = sync.jobs_started_collect()


@hooks.register("after_edit_snippet")
@hooks.register("after_delete_snippet")
def announce_sync_jobs(request, instance_or_instances):
    token = getattr(request, "_requirements_sync_jobs", None)
    if token is None:
        return
    del request._requirements_sync_jobs
    for job in sync.jobs_started_take(token):
        SyncJob.objects.filter(pk=job.pk, started_by__isnull=True).update(started_by=request.user)
        job.refresh_from_db(fields=["status"])
        if job.status == SyncJob.Status.DONE:
            text = ngettext(
                "Påkrevd opplæring er oppdatert for %(count)s person.",
                "Påkrevd opplæring er oppdatert for %(count)s personer.",
                job.total,
            )
        else:
            text = ngettext(
                "Påkrevd opplæring oppdateres nå for %(count)s person. Det skjer i bakgrunnen.",
                "Påkrevd opplæring oppdateres nå for %(count)s personer. Det skjer i bakgrunnen.",
                job.total,
            )
        messages.info(
            request,
            text % {"count": job.total},
            buttons=[messages.button(reverse("requirements_sync_job", args=[job.pk]), gettext("Følg med"))],
        )


@hooks.register(MY_COURSES_SECTIONS)
def required_learning_section(request, *, progress_by_course, links_by_course):
    """«Mine kurs» lists the learner's required courses first, enrolled in or not."""
    rows = required_learning_of(user=request.user)
    if not rows:
        return None
    return Panel(
        template="requirements/my_courses_section.html",
        context={
            "required": [
                (row, progress_by_course.get(row.course_id), links_by_course.get(row.course_id, []))
                for row in rows
            ],
            "done_statuses": Status.DONE,
        },
        order=10,
        course_ids=frozenset(row.course_id for row in rows),
    )
