"""Admin wiring for H5P: content items (upload, status, warnings) and the library store."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList, Panel
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    InspectView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from core.permissions import NoAddOrDeletePermissionPolicy

from . import failures
from .forms import H5PContentForm, H5PUploadPanel
from .models import H5PContent, H5PLibrary
from .services import H5PPackageRejected


class _RejectedAtTheUploadField:
    """Corruption that shows only while the package is inflated (a bad CRC, a truncated member,
    a broken deflate stream) is reported at the upload field, like every other problem; the
    transaction is rolled back and extraction has removed what it wrote."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except H5PPackageRejected as rejected:
            form.add_error("upload", rejected.errors)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class H5PContentCreateView(_RejectedAtTheUploadField, CreateView):
    pass


class H5PContentEditView(_RejectedAtTheUploadField, EditView):
    """A new package replaces the item's own (h5p.replacement); the message after saving says
    what happened to learners' results and saved state."""

    def get_success_message(self):
        message = super().get_success_message()
        replacement = getattr(self.form, "replacement", None)
        if replacement is None:
            return message
        notice = replacement.plan.outcome()
        if replacement.in_background:
            notice += " " + str(
                _(
                    "Den nye pakken pakkes ut i bakgrunnen; deltakerne har den forrige versjonen til den "
                    "er klar. Går utpakkingen galt, beholdes den forrige versjonen, og årsaken vises her."
                )
            )
        return f"{message} {notice}" if message else notice


class PlayerFailuresPanel(Panel):
    """The failures the player reported for this content (h5p.failures), newest first."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "h5p/admin/player_failures.html"

        def is_shown(self):
            return bool(self.instance and self.instance.pk)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["failures"] = failures.recent_failures(self.instance)
            return context


class H5PContentInspectView(InspectView):
    def get_player_failures_display_value(self):
        return render_to_string(
            "h5p/admin/player_failures.html", {"failures": failures.recent_failures(self.object)}
        )


class H5PContentViewSet(SnippetViewSet):
    model = H5PContent
    add_view_class = H5PContentCreateView
    edit_view_class = H5PContentEditView
    url_prefix = "snippets/content/h5pcontent"  # the address it had before H5P became its own app
    icon = "media"
    menu_label = _("Innhold")
    list_display = [
        "title",
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("progress", label=_("Fremdrift (%)"), accessor="progress"),
        Column("main_library", label=_("Type"), accessor="main_library"),
        "created_at",
    ]
    list_filter = ["status"]
    inspect_view_enabled = True
    inspect_view_class = H5PContentInspectView
    inspect_view_fields = [
        "title",
        "description",
        "licence",
        "source",
        "status",
        "progress",
        "error",
        "replacement_error",
        "warnings",
        "main_library",
        "player_failures",
    ]
    edit_handler = ObjectList(
        [
            H5PUploadPanel("upload"),
            FieldPanel("confirm_type_change"),  # only on existing content (forms.H5PContentForm)
            FieldPanel("title"),
            FieldPanel("description"),
            FieldPanel("licence"),
            FieldPanel("source"),
            PlayerFailuresPanel(heading=_("Feil i avspilleren")),
        ],
        base_form_class=H5PContentForm,
    )


class H5PLibraryViewSet(SnippetViewSet):
    """Read the store; libraries come in with packages uploaded by administrators."""

    model = H5PLibrary
    url_prefix = "snippets/content/h5plibrary"
    icon = "folder-open-inverse"
    menu_label = _("Biblioteker")
    list_display = ["machine_name", "major_version", "minor_version", "patch_version", "installed_at"]
    inspect_view_enabled = True


class H5PGroup(SnippetViewSetGroup):
    items = (H5PContentViewSet, H5PLibraryViewSet)
    menu_icon = "media"
    menu_label = _("H5P")
    menu_name = "h5p"
    menu_order = 320


register_permission_policy(H5PLibrary, NoAddOrDeletePermissionPolicy(H5PLibrary))
register_snippet(H5PGroup)
