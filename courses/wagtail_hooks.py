from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from content.permissions import NoAddOrChangePermissionPolicy

from .models import Assignment, CompetenceArea, Enrolment, ModuleProgress


class CompetenceAreaViewSet(SnippetViewSet):
    model = CompetenceArea
    icon = "tag"
    menu_label = _("Kompetanseområder")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "name_en", "slug", "sort_order"]


register_snippet(CompetenceAreaViewSet)


class AssignmentViewSet(SnippetViewSet):
    """Administrators see every assignment and can withdraw one (delete: the people it covered are
    re-checked by courses.receivers). Managers assign at /leder/tildel/, which goes through the service."""

    model = Assignment
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
