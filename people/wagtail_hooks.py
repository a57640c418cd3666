"""Admin wiring for organisations: units (a tree), memberships, and the staff import."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from core.permissions import NoAddOrDeletePermissionPolicy

from . import admin_views
from .models import DeletionRequest, Membership, OrganisationUnit
from .viewsets import AnonymisingDeleteBulkAction


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


class DeletionRequestIndexView(IndexView):
    """The list of requests, with «Anonymiser nå» and «Avvis med begrunnelse» on each open one."""

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status != DeletionRequest.Status.OPEN:
            return buttons
        user = self.request.user
        if admin_views.can_anonymise(user):
            buttons.append(
                MenuItem(
                    _("Anonymiser nå"),
                    url=reverse("people_deletion_anonymise", args=[instance.pk]),
                    icon_name="bin",
                    priority=5,
                )
            )
        if admin_views.can_reject(user):
            buttons.append(
                MenuItem(
                    _("Avvis med begrunnelse"),
                    url=reverse("people_deletion_reject", args=[instance.pk]),
                    icon_name="cross",
                    priority=6,
                )
            )
        return buttons


class DeletionRequestViewSet(SnippetViewSet):
    """Learners' «Be om sletting»: administrators anonymise the account or reject the request with
    a reason (the person is told either way by e-mail). Requests come only from learners (no
    adding here) and stay as a record, without the person's name once anonymised (no deleting)."""

    index_view_class = DeletionRequestIndexView

    model = DeletionRequest
    icon = "bin"
    menu_label = _("Sletteforespørsler")
    menu_order = 293
    add_to_admin_menu = True
    list_display = ["name", "email", "requested_at", "status", "handled_at"]
    inspect_view_fields = ["name", "email", "requested_at", "status", "handled_at", "reason", "note"]
    list_filter = ["status"]
    search_fields = ["name", "email"]
    inspect_view_enabled = True
    panels = [FieldPanel("status"), FieldPanel("note")]


register_permission_policy(DeletionRequest, NoAddOrDeletePermissionPolicy(DeletionRequest))
register_snippet(DeletionRequestViewSet)


@hooks.register("register_admin_urls")
def register_import_url():
    return [
        path("organisasjon/import/", admin_views.staff_import, name="people_staff_import"),
        path(
            "personvern/sletting/<int:pk>/anonymiser/",
            admin_views.deletion_request_anonymise,
            name="people_deletion_anonymise",
        ),
        path(
            "personvern/sletting/<int:pk>/avvis/",
            admin_views.deletion_request_reject,
            name="people_deletion_reject",
        ),
    ]


# After wagtail.users' own «Slett» (order 0), so this one replaces it: it anonymises instead.
hooks.register("register_bulk_action", AnonymisingDeleteBulkAction, order=10)


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return AdminOnlyMenuItem(
        _("Importer ansatte (CSV eller Excel)"), reverse("people_staff_import"), icon_name="upload", order=291
    )
