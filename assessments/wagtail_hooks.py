"""Admin wiring for assessments: quizzes and extra time as snippets, and the course holders' reports."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from courses.hooks import COURSE_PAGE_PANELS, Panel
from courses.models import ModulePage

from . import admin_views, selectors
from .admin_panels import SharedReflectionsPanel
from .copying import quizzes_follow_copy, unservable_quizzes
from .models import Quiz, TimeAccommodation


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("Kunnskapstester")
    list_display = ["title", "course", "pass_percent", "max_attempts", "updated_at"]
    list_filter = ["course"]
    search_fields = ["title"]


class TimeAccommodationViewSet(SnippetViewSet):
    model = TimeAccommodation
    icon = "time"
    menu_label = _("Ekstra tid")
    list_display = ["user", "extra_percent", "note"]


class AssessmentsGroup(SnippetViewSetGroup):
    items = (QuizViewSet, TimeAccommodationViewSet)
    menu_icon = "tasks"
    menu_label = _("Vurdering")
    menu_name = "vurdering"
    menu_order = 305


register_snippet(AssessmentsGroup)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("kursrapporter/", admin_views.reports_index, name="assessments_reports"),
        path("kursrapporter/<int:course_id>/", admin_views.course_report, name="assessments_course_report"),
        path(
            "kursrapporter/<int:course_id>/evaluering.csv",
            admin_views.evaluation_csv,
            name="assessments_evaluation_csv",
        ),
        path("kursrapporter/test/<int:quiz_id>/", admin_views.quiz_items, name="assessments_quiz_items"),
        path(
            "kursrapporter/refleksjon/<int:reflection_id>/",
            admin_views.shared_reflection,
            name="assessments_shared_reflection",
        ),
    ]


class CourseHolderMenuItem(MenuItem):
    def is_shown(self, request):
        return selectors.editable_courses(user=request.user).exists()


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return CourseHolderMenuItem(
        _("Kursrapporter"), reverse("assessments_reports"), icon_name="table", order=306
    )


@hooks.register("before_delete_snippet")
def keep_quizzes_that_modules_show(request, instances):
    """A quiz placed in a module cannot be deleted: the module's activity could never be completed.

    Wagtail's reference index knows which pages' StreamFields choose the quiz.
    """
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.utils.translation import gettext
    from wagtail.models import ReferenceIndex

    in_use = [
        quiz
        for quiz in instances
        if isinstance(quiz, Quiz) and ReferenceIndex.get_references_to(quiz).exists()
    ]
    if not in_use:
        return None
    messages.error(
        request,
        gettext("«%(title)s» brukes i en modul. Fjern testen fra modulen før du sletter den.")
        % {"title": in_use[0].title},
    )
    return redirect("wagtailsnippets_assessments_quiz:list")


@hooks.register(COURSE_PAGE_PANELS)
def evaluation_and_self_assessment_panel(request, *, course, enrolment, progress):
    """The course page offers the evaluation once every module is done, and the self-assessment."""
    evaluation_done = course.evaluation_enabled and selectors.evaluation_submitted(enrolment=enrolment)
    evaluation_open = (
        course.evaluation_enabled
        and not evaluation_done
        and selectors.evaluation_is_open(enrolment=enrolment, course=course)
    )
    self_assessment_due = selectors.self_assessment_due(enrolment=enrolment, course=course)
    if not (evaluation_open or evaluation_done or self_assessment_due):
        return None
    return Panel(
        template="assessments/includes/course_panel.html",
        context={
            "page": course,
            "progress": progress,
            "evaluation_open": evaluation_open,
            "evaluation_done": evaluation_done,
            "self_assessment_due": self_assessment_due,
        },
        order=20,
    )


# Copying and publishing: a module only ever goes live with quizzes it can serve ---------------


@hooks.register("after_copy_page")
def copy_quizzes_with_the_course(request, page, new_page):
    """«Kopier»: the copy gets its own quizzes, and its modules show them (not the original's).

    A module of the copy that still cannot serve its quiz (the quiz is gone) is taken offline, so
    «Publisér kopier» never puts a course live that can never be completed.
    """
    copies = quizzes_follow_copy(source=page, copy=new_page)
    if copies:
        messages.info(
            request,
            _("Kopien har fått sine egne kunnskapstester: %(titles)s.")
            % {"titles": ", ".join(f"«{quiz.title}»" for quiz in copies)},
        )
    for module in ModulePage.objects.filter(path__startswith=new_page.path).order_by("path"):
        problems = unservable_quizzes(module=module)
        if problems and module.live:
            module.unpublish(user=request.user, log_action=True)
        for problem in problems:
            messages.error(request, problem)


def _modules_to_publish(pages) -> list[tuple[ModulePage, list]]:
    """The modules among (and below) `pages`, each with the body its latest revision would publish."""
    paths = [page.path for page in pages]
    modules = ModulePage.objects.none()
    for page_path in paths:
        modules = modules | ModulePage.objects.filter(path__startswith=page_path)
    return [(module, module.get_latest_revision_as_object().body.raw_data) for module in modules.distinct()]


@hooks.register("before_publish_page")
def refuse_publishing_unservable_quizzes(request, page):
    """Publishing from the editor (the form has already refused another course's quiz; this also
    catches a quiz that no longer exists, whatever the way the page got it)."""
    if not isinstance(page.specific_deferred, ModulePage):
        return None
    problems = unservable_quizzes(module=page.specific, raw_body=page.specific.body.raw_data)
    if not problems:
        return None
    for problem in problems:
        messages.error(request, problem)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_bulk_action")
def refuse_bulk_publishing_unservable_quizzes(request, action_type, objects, action_class_instance):
    """«Publiser» on several pages at once (for example a copied course and its modules) skips the
    editor's checks: refuse it, naming each module, if one of them would serve a quiz it cannot."""
    if action_type != "publish" or not objects or not isinstance(objects[0], Page):
        return None
    problems = [
        problem
        for module, raw_body in _modules_to_publish(objects)
        for problem in unservable_quizzes(module=module, raw_body=raw_body)
    ]
    if not problems:
        return None
    for problem in problems:
        messages.error(request, problem)
    return redirect("wagtailadmin_explore", objects[0].get_parent().pk)


# The course holder's dashboard -------------------------------------------------------------------


@hooks.register("construct_homepage_panels")
def shared_reflections_panel(request, panels):
    panel = SharedReflectionsPanel.for_user(request.user)
    if panel is not None:
        panels.append(panel)
