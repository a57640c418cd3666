from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem

from assessments.hooks import COURSE_REPORT_SECTIONS
from courses.hooks import Panel

from .admin_views import activity_statistics_view
from .h5p_admin_views import course_h5p_results, course_h5p_results_csv


@hooks.register("register_admin_urls")
def register_statistics_url():
    return [
        path("statistikk/", activity_statistics_view, name="reports_statistics"),
        path("kursrapporter/<int:course_id>/h5p/", course_h5p_results, name="reports_h5p_results"),
        path("kursrapporter/<int:course_id>/h5p.csv", course_h5p_results_csv, name="reports_h5p_results_csv"),
    ]


@hooks.register(COURSE_REPORT_SECTIONS)
def h5p_results_section(request, *, course):
    """The course report links to the course's H5P results, next to the quiz item analysis."""
    return Panel(template="reports/admin/h5p_results_link.html", context={"course": course}, order=10)


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item():
    return AdminOnlyMenuItem(
        _("Aktivitetsstatistikk"), reverse("reports_statistics"), icon_name="table", order=320
    )
