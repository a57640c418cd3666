from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem

from .admin_views import activity_statistics_view


@hooks.register("register_admin_urls")
def register_statistics_url():
    return [path("statistikk/", activity_statistics_view, name="reports_statistics")]


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item():
    return AdminOnlyMenuItem(
        _("Aktivitetsstatistikk"), reverse("reports_statistics"), icon_name="table", order=320
    )
