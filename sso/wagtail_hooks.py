"""Admin wiring: administrators map an identity provider's claims to groups and manager roles."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.permissions import SuperusersOnlyPermissionPolicy

from .forms import ClaimMappingForm
from .models import ClaimMapping


class ClaimMappingViewSet(SnippetViewSet):
    model = ClaimMapping
    icon = "key"
    menu_label = _("Roller fra innlogging")
    add_to_settings_menu = True
    list_display = ["provider_id", "claim", "value", "group", "manager_of"]
    list_filter = ["provider_id"]
    search_fields = ["provider_id", "claim", "value"]
    edit_handler = ObjectList(
        [
            FieldPanel("provider_id"),
            FieldPanel("claim"),
            FieldPanel("value"),
            FieldPanel("group"),
            FieldPanel("manager_of"),
        ],
        base_form_class=ClaimMappingForm,
    )


# A mapping grants groups and manager roles at the next SSO sign-in: administrators only, never a
# group given the model permission (which would let its members grant themselves any role).
register_permission_policy(ClaimMapping, SuperusersOnlyPermissionPolicy(ClaimMapping))
register_snippet(ClaimMappingViewSet)
