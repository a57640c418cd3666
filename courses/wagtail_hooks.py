from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_panels import CourseHolderPanel
from .models import CompetenceArea, Enrolment, ModuleProgress


class CompetenceAreaViewSet(SnippetViewSet):
    model = CompetenceArea
    icon = "tag"
    menu_label = _("Kompetanseområder")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "name_en", "slug", "sort_order"]


register_snippet(CompetenceAreaViewSet)


@hooks.register("before_delete_page")
def keep_pages_with_learner_records(request, page):
    """A course or module learners have taken is unpublished, not deleted: their records point to it."""
    pages = page.get_descendants(inclusive=True)
    in_use = (
        Enrolment.objects.filter(course__in=pages).exists()
        or ModuleProgress.objects.filter(module__in=pages).exists()
    )
    if in_use:
        messages.error(
            request,
            gettext(
                "«%(title)s» kan ikke slettes fordi deltakere har tatt kurset. Avpubliser siden i stedet."
            )
            % {"title": page.title},
        )
        return redirect("wagtailadmin_explore", page.get_parent().id)
    return None


@hooks.register("construct_homepage_panels")
def course_holder_panel(request, panels):
    """A course holder's dashboard starts with their courses, drafts and completions."""
    panel = CourseHolderPanel.for_user(request.user)
    if panel is not None:
        panels.append(panel)
