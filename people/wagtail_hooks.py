"""Admin wiring for organisations: units (a tree), memberships, and the staff import."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core.permissions import NoAddOrDeletePermissionPolicy

from . import admin_views
from .models import DeletionRequest, Membership, OrganisationUnit


class IndentedNameColumn(Column):
    """Unit names indented by their depth, so the list reads as a tree (it is ordered by path)."""

    def get_value(self, instance):
        return "\u2003" * max(0, instance.depth - 1) + instance.name


class OrganisationUnitViewSet(SnippetViewSet):
    model = OrganisationUnit
    icon = "group"
    menu_label = _("Enheter")
    list_display = [IndentedNameColumn("name", label=_("Navn")), "unit_type", "code"]
    list_filter = ["unit_type"]
    search_fields = ["name", "code"]
    ordering = ["path"]


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Medlemskap og roller")
    list_display = ["user", "unit", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "unit__name"]


class OrganisationGroup(SnippetViewSetGroup):
    items = (OrganisationUnitViewSet, MembershipViewSet)
    menu_icon = "group"
    menu_label = _("Organisasjon")
    menu_name = "organisasjon"
    menu_order = 290


register_snippet(OrganisationGroup)


class DeletionRequestViewSet(SnippetViewSet):
    """Learners' «Be om sletting»: administrators handle each by hand and mark it handled.
    Requests come only from learners (no adding here) and stay as a record (no deleting)."""

    model = DeletionRequest
    icon = "bin"
    menu_label = _("Sletteforespørsler")
    menu_order = 293
    add_to_admin_menu = True
    list_display = ["name", "email", "requested_at", "status", "handled_at"]
    list_filter = ["status"]
    search_fields = ["name", "email"]
    inspect_view_enabled = True
    panels = [FieldPanel("status"), FieldPanel("note")]


register_permission_policy(DeletionRequest, NoAddOrDeletePermissionPolicy(DeletionRequest))
register_snippet(DeletionRequestViewSet)


@hooks.register("register_admin_urls")
def register_import_url():
    return [path("organisasjon/import/", admin_views.staff_import, name="people_staff_import")]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return AdminOnlyMenuItem(
        _("Importer ansatte (CSV eller Excel)"), reverse("people_staff_import"), icon_name="upload", order=291
    )
