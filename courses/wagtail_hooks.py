from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CompetenceArea


class CompetenceAreaViewSet(SnippetViewSet):
    model = CompetenceArea
    icon = "tag"
    menu_label = _("Kompetanseområder")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "name_en", "slug", "sort_order"]


register_snippet(CompetenceAreaViewSet)
