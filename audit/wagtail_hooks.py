"""The audit log in the Wagtail admin, for administrators only: «Innstillinger → Revisjonslogg».

A listing with filters (who, what, kind of record, dates, the person it is about) and CSV/XLSX
export through core.exports. Nobody may add, change or delete an entry here; course holders,
managers and other admin users do not see the menu item and are refused the pages.
"""

from __future__ import annotations

import django_filters
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import ContentTypeFilter, DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from core.exports import csv_response, xlsx_response

from . import selectors
from .models import AuditEntry
from .services import record_export


class AdministratorsOnlyReadPolicy(ModelPermissionPolicy):
    """Administrators (superusers) may view; nobody may add, change or delete an entry."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(is_active=True, is_superuser=True)
        return users if "view" in actions else users.none()


def _content_types(request):
    used = AuditEntry.objects.values("content_type").distinct()
    return ContentType.objects.filter(pk__in=used).order_by("app_label", "model")


class AuditEntryFilterSet(WagtailFilterSet):
    actor_text = django_filters.CharFilter(label=_("Utført av"), method="filter_actor")
    subject_text = django_filters.CharFilter(label=_("Gjelder person"), method="filter_subject")
    action = django_filters.ChoiceFilter(
        label=_("Handling"),
        choices=list(selectors.ACTION_LABELS.items()),
        empty_label=_("Alle"),
    )
    event = django_filters.ChoiceFilter(
        label=_("Hendelse"), choices=list(selectors.EVENT_LABELS.items()), empty_label=_("Alle")
    )
    content_type = ContentTypeFilter(label=_("Type"), queryset=_content_types, empty_label=_("Alle"))
    timestamp = django_filters.DateFromToRangeFilter(label=_("Dato"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEntry
        fields = []

    def filter_actor(self, queryset, name, value):
        return queryset.filter(actor__in=selectors.people_matching(value)) if value.strip() else queryset

    def filter_subject(self, queryset, name, value):
        return (
            queryset.filter(subject_user__in=selectors.people_matching(value)) if value.strip() else queryset
        )


class AuditIndexView(IndexView):
    default_ordering = "-timestamp"

    def get_base_queryset(self):
        return selectors.entries()

    def as_spreadsheet(self, queryset, spreadsheet_format):
        """Through core.exports (streaming, formula-safe cells); the export is itself logged."""
        # Which filters were used; typed search text stays out (it may be a person's name).
        filters = {
            key: "…" if key.endswith("_text") else value
            for key, value in self.request.GET.items()
            if key != "export" and value
        }
        rows = record_export(
            self.request,
            action="audit_export",
            file_format=spreadsheet_format,
            rows=selectors.export_rows(queryset),
            model=AuditEntry,
            detail={"filters": filters},
        )
        header = [str(title) for title in selectors.EXPORT_HEADER]
        filename = f"revisjonslogg-{timezone.localdate():%Y-%m-%d}"
        make = xlsx_response if spreadsheet_format == "xlsx" else csv_response
        return make(filename=filename, header=header, rows=rows)


class AuditInspectView(InspectView):
    def get_object(self, queryset=None):
        # Joined, so a deleted person shows as empty instead of failing the page.
        return get_object_or_404(selectors.entries(), pk=self.pk)


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Revisjonslogg")
    menu_name = "revisjonslogg"
    add_to_settings_menu = True
    menu_order = 900
    url_prefix = "revisjonslogg"
    index_view_class = AuditIndexView
    inspect_view_class = AuditInspectView
    filterset_class = AuditEntryFilterSet
    inspect_view_enabled = True
    list_per_page = 50
    form_fields = []  # entries are never added or edited (the policy refuses it); the viewset wants a form
    list_display = [
        DateColumn("timestamp", label=_("Tidspunkt")),
        Column("actor", label=_("Utført av"), accessor=selectors.actor_label),
        Column("event", label=_("Handling"), accessor=selectors.action_label),
        Column("content_type", label=_("Type"), accessor=selectors.object_type_label),
        Column("object_repr", label=_("Objekt")),
        Column("subject_user", label=_("Gjelder person"), accessor=selectors.subject_label),
        Column("remote_addr", label=_("IP-adresse")),
        Column("details", label=_("Detaljer"), accessor=selectors.detail_text),
    ]
    list_export = ["timestamp"]  # shows the export buttons; the rows come from selectors.export_rows
    inspect_view_fields = [
        "timestamp",
        "actor",
        "action",
        "event",
        "content_type",
        "object_pk",
        "object_repr",
        "subject_user",
        "remote_addr",
        "changes",
        "additional_data",
    ]

    def get_permissions_to_register(self):
        return Permission.objects.none()  # not a permission to hand out: administrators only


register_permission_policy(AuditEntry, AdministratorsOnlyReadPolicy(AuditEntry))


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEntryViewSet("revisjonslogg")
