"""Views for the learner's path: catalogue, course, module, enrolment and "Mine kurs".

Page types delegate their context here so the models stay declarative; all
reads go through selectors and all writes through services.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from content.routing import ROUTE_CACHE_TTL, content_cache_key, content_generation
from people.mfa import privileges_usable
from people.selectors import navigation_roles

from . import activities, app_settings, selectors, services
from .forms import CatalogueFilterForm
from .hooks import COURSE_PAGE_PANELS, MY_COURSES_SECTIONS, course_links, render_panels
from .models import Audience, CoursePage, ModulePage
from .search import search_courses

# The catalogue's page number in its address: /kurs/?side=2 (filters and search are kept beside it).
PAGE_PARAMETER = "side"


def catalogue_context(request, *, catalogue) -> dict:
    """The catalogue's courses, filtered and searched, one page of CATALOGUE_PAGE_SIZE at a time
    (`?side=N`), so its time and size stay the same however many courses there are."""
    live_courses = CoursePage.objects.child_of(catalogue).live()
    facets = selectors.catalogue_facets(catalogue=catalogue, request=request)
    form = CatalogueFilterForm(request.GET or None, facets=facets)
    courses = live_courses.order_by("title", "pk")
    if form.is_valid():
        data = form.cleaned_data
        if data["area"]:
            courses = courses.filter(competence_areas__slug=data["area"])
        if data["audience"]:
            courses = courses.filter(audience__in=[data["audience"], Audience.BOTH])
        if data["language"]:
            courses = courses.filter(course_language=data["language"])
        if data["format"]:
            courses = courses.filter(format=data["format"])
        if data["q"].strip():
            # Whole words, parts of compound words and (PostgreSQL) typos; the filters above still apply.
            courses = search_courses(courses, data["q"], candidates=live_courses)
    filters = (
        sorted((name, value) for name, value in form.cleaned_data.items() if value) if form.is_valid() else []
    )
    if any(name == "q" for name, _value in filters):
        paginator = Paginator(courses.prefetch_related("competence_areas"), app_settings.CATALOGUE_PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get(PAGE_PARAMETER))
        page_courses = list(page_obj.object_list)
    else:
        # Without a search, the order of the courses is content: the ids in order are kept in the shared
        # cache per filter combination (content generation), so a page reads only its own courses and
        # costs the same with 6 or 5,000 courses. Searches are too many to keep.
        key = content_cache_key("catalogue-order", catalogue.pk, urlencode(filters), request=request)
        ordered_ids = cache.get(key)
        if ordered_ids is None:
            ordered_ids = list(courses.values_list("pk", flat=True))
            cache.set(key, ordered_ids, ROUTE_CACHE_TTL)
        paginator = Paginator(ordered_ids, app_settings.CATALOGUE_PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get(PAGE_PARAMETER))
        by_pk = (
            CoursePage.objects.live().prefetch_related("competence_areas").in_bulk(list(page_obj.object_list))
        )
        page_courses = [by_pk[pk] for pk in page_obj.object_list if pk in by_pk]
    progress = selectors.learner_progress(user=request.user, courses=page_courses)
    return {
        "filter_form": form,
        "courses": [(course, progress.get(course.pk)) for course in page_courses],
        "page_obj": page_obj,
        "page_range": list(paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)),
        "is_filtered": form.is_valid() and any(form.cleaned_data.values()),
    }


def course_context(request, *, course: CoursePage) -> dict:
    modules = selectors.course_outline(course_path=course.path, request=request).modules
    enrolment, module_progress = selectors.enrolment_with_progress(user=request.user, course=course)
    completed = sum(1 for m in modules if getattr(module_progress.get(m.pk), "completed_at", None))
    progress = (
        selectors.CourseProgress(enrolment=enrolment, completed_modules=completed, total_modules=len(modules))
        if enrolment
        else None
    )
    return {
        "modules": [(module, module_progress.get(module.pk)) for module in modules],
        "enrolment": enrolment,
        "progress": progress,
        "resume_module": selectors.first_unfinished_module(modules, module_progress) if enrolment else None,
        # What other apps add for an enrolled learner (the evaluation, the kursbevis): courses.hooks.
        "course_panels": (
            render_panels(
                COURSE_PAGE_PANELS, request, course=course, enrolment=enrolment, progress=progress
            ).html
            if enrolment
            else ""
        ),
        # Read only inside the template's fragment caches, which follow the content generation. A
        # preview (a draft, an old revision) renders under a key of its own that no public request
        # asks for, or the draft would be what visitors see until the next publish.
        "competence_areas": course.competence_areas.all(),
        "contributors": course.contributors.all(),
        "content_generation": (
            f"preview-{uuid.uuid4().hex}"
            if getattr(request, "is_preview", False)
            else content_generation(request)
        ),
        "catalogue_url": parent_url(course, request),
    }


def serve_module(request, *, module: ModulePage, serve_page, args, kwargs):
    """Only enrolled learners (and the course's editors) may read a module.

    Opening the module records that the learner has started it (a write only the first time, see
    services.module_start). The course, the enrolment and the learner's progress found here are kept
    on the request for module_context.
    """
    if getattr(request, "is_preview", False):
        return serve_page(request, *args, **kwargs)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    outline = selectors.course_outline(course_path=module.path[: -Page.steplen], request=request)
    course = outline.course
    # An editor reads a module of an unpublished course only with the second factor the admin needs.
    can_edit = _may_edit(request, module)
    if not course.live and not can_edit:
        raise Http404
    enrolment, progress_by_module = selectors.enrolment_with_progress(
        user=request.user, course=course, module=module
    )
    if enrolment is None and not can_edit:
        messages.info(request, _("Meld deg på kurset for å åpne modulene."))
        return redirect(course.url)
    if enrolment is not None:
        progress_by_module[module.pk] = services.module_start(
            enrolment=enrolment, module=module, progress=progress_by_module.get(module.pk)
        )
    request.course_context = (outline, enrolment, progress_by_module)
    return serve_page(request, *args, **kwargs)


def _may_edit(request, module: ModulePage) -> bool:
    """Whether the person may edit the module (and so read it unenrolled), with the second factor used.

    Only someone who reaches the Wagtail admin can edit a page; asking that first (one query the
    menu needs anyway) spares learners the page permission and workflow queries.
    """
    return (
        navigation_roles(request.user).can_access_admin
        and module.permissions_for_user(request.user).can_edit()
        and privileges_usable(request)
    )


def parent_url(page, request) -> str:
    """The address of a page's parent, without a query: Wagtail's addresses follow the page tree."""
    url = page.get_url(request) or ""
    return url[: url.rstrip("/").rfind("/") + 1]


def module_context(request, *, module: ModulePage) -> dict:
    outline, enrolment, module_progress = getattr(request, "course_context", None) or (
        selectors.course_outline(course_path=module.path[: -Page.steplen], request=request),
        None,
        {},
    )
    course, modules = outline.course, outline.modules
    index = next((i for i, m in enumerate(modules) if m.pk == module.pk), None)
    activity_state = _activity_states(request, module=module, enrolment=enrolment)
    # An activity view that refused an answer (a plain form post, without JavaScript) renders the
    # module page again with {block id: error} here, so the error shows at the block's field.
    activity_errors = getattr(request, "activity_errors", None) or {}
    this_progress = module_progress.get(module.pk)
    activity_types = {b["type"] for b in selectors.module_activity_blocks(module)}
    return {
        "body_blocks": [
            (block, activity_state.get(block.id), activity_errors.get(block.id)) for block in module.body
        ],
        "course": course,
        "catalogue_url": parent_url(course, request),
        "modules": [(m, module_progress.get(m.pk)) for m in modules],
        "module_number": index + 1 if index is not None else None,
        "previous_module": modules[index - 1] if index else None,
        "next_module": modules[index + 1] if index is not None and index + 1 < len(modules) else None,
        "enrolment": enrolment,
        "this_progress": this_progress,
        "has_activities": bool(activity_types),
        "remaining_activities": _remaining_activities(
            module=module, enrolment=enrolment, progress=this_progress
        ),
        "activity_scripts": sorted(
            {script for name in activity_types for script in activities.kind(name).scripts}
            | ({"js/module-state.js"} if activity_types and enrolment else set())
        ),
    }


def _remaining_activities(*, module: ModulePage, enrolment, progress) -> list[dict]:
    """The module's activity blocks not yet in the ledger of the learner's current round, in page order.

    Titles come from the blocks as the page renders them (their quizzes and H5P content are loaded
    for the page anyway); the ledger costs one query, and none when there is nothing left to ask.
    """
    kinds = activities.module_kinds()
    if enrolment is None or (progress is not None and progress.completed_at):
        return []
    if not any(block["type"] in kinds for block in selectors.module_blocks(module)):
        return []
    done = selectors.completed_activities(enrolment=enrolment, module=module)
    remaining = []
    for block in module.body:
        kind = kinds.get(block.block_type)
        if kind is None or block.id in done:
            continue
        title = kind.block_title(block.value)
        label = str(kind.label)
        remaining.append(
            {"title": title, "label": label, "is_label": title == label, "anchor": kind.anchor(block.id)}
        )
    return remaining


def _module_status_context(*, module: ModulePage, course: CoursePage, enrolment, progress) -> dict:
    return {
        "page": module,
        "course": course,
        "enrolment": enrolment,
        "this_progress": progress,
        "has_activities": bool(selectors.module_activity_blocks(module)),
        "remaining_activities": _remaining_activities(module=module, enrolment=enrolment, progress=progress),
    }


@login_required
def module_state(request, module_id: int):
    """The module's status for an enrolled learner, as JSON: the module page asks for it after an
    activity reports done (an H5P answer, a submitted reflection), so the list of what is left and
    the module's status change without a reload."""
    module, course, enrolment = selectors.live_module_for_learner(user=request.user, module_id=module_id)
    progress = selectors.module_progress_by_module(enrolment=enrolment).get(module.pk)
    context = _module_status_context(module=module, course=course, enrolment=enrolment, progress=progress)
    remaining = context["remaining_activities"]
    completed = bool(progress and progress.completed_at)
    if completed:
        announcement = _("Modulen er fullført.")
    elif remaining:
        announcement = _("Dette gjenstår i modulen: %(activities)s.") % {
            "activities": ", ".join(item["title"] for item in remaining)
        }
    else:
        announcement = ""
    response = JsonResponse(
        {
            "completed": completed,
            "remaining": [{"title": item["title"], "anchor": item["anchor"]} for item in remaining],
            "announcement": announcement,
            "html": render_to_string("courses/includes/module_status.html", context, request=request),
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _activity_states(request, *, module: ModulePage, enrolment) -> dict[str, object]:
    """Per activity block: what its template shows the learner, asked of each registered kind once."""
    if not request.user.is_authenticated:
        return {}
    block_ids_by_kind: dict[str, list[str]] = {}
    for block in selectors.module_activity_blocks(module):
        block_ids_by_kind.setdefault(block["type"], []).append(block["id"])
    states: dict[str, object] = {}
    for name, block_ids in block_ids_by_kind.items():
        states.update(
            activities.kind(name).module_states(
                user=request.user, module=module, enrolment=enrolment, block_ids=block_ids
            )
        )
    return states


@require_POST
def enrol(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    if not request.user.is_authenticated:
        return redirect_to_login(course.url)
    _enrolment, created = services.enrolment_create(user=request.user, course=course)
    if created:
        messages.success(request, _("Du er meldt på «%(course)s».") % {"course": course.title})
        if course.self_assessment_enabled:
            return redirect("assessments:self_assessment", course_id=course.pk, phase="pre")
    else:
        messages.info(request, _("Du er allerede påmeldt dette kurset."))
    return redirect(course.url)


@require_POST
@login_required
def complete_module(request, module_id: int):
    module = get_object_or_404(ModulePage.objects.live(), pk=module_id)
    course = selectors.course_of_module(module)
    if not course.live:
        raise Http404
    if selectors.module_required_activities(module):
        raise PermissionDenied(_("Denne modulen fullføres når aktivitetene i den er gjort."))
    try:
        outcome = services.module_complete(user=request.user, module=module)
    except services.NotEnrolledError:
        raise PermissionDenied(_("Du må være påmeldt kurset for å fullføre moduler i det.")) from None
    enrolment = outcome.enrolment  # the service's row: completion already recorded on it
    if enrolment.completed_at:
        messages.success(
            request, _("Gratulerer! Du har fullført kurset «%(course)s».") % {"course": course.title}
        )
        return redirect(course.url)
    messages.success(request, _("Modulen «%(module)s» er fullført.") % {"module": module.title})
    following = selectors.next_module(enrolment=enrolment, course=course)
    return redirect(following.url if following else course.url)


@login_required
def restart_course(request, course_id: int):
    """Take a completed course again (to renew a certificate); earlier certificates stay.

    GET asks for confirmation and says what is kept; only the confirming POST starts a new round,
    so it works without JavaScript and nobody restarts a course by a slip of the finger.
    """
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    enrolment = selectors.enrolment_for(user=request.user, course=course)
    if enrolment is None:
        raise PermissionDenied(_("Du må være påmeldt kurset for å ta det på nytt."))
    if enrolment.completed_at is None:
        messages.info(request, _("Du har ikke fullført kurset ennå, så du kan fortsette der du slapp."))
        return redirect(course.url)
    if request.method != "POST" or request.POST.get("confirm") != "1":
        return render(request, "courses/restart_confirm.html", {"course": course, "enrolment": enrolment})
    try:
        services.enrolment_restart(user=request.user, course=course)
    except services.NotEnrolledError:
        raise PermissionDenied(_("Du må være påmeldt kurset for å ta det på nytt.")) from None
    messages.success(request, _("Du har startet kurset på nytt. Tidligere kursbevis beholdes."))
    return redirect(course.url)


@login_required
def resume_course(request, course_id: int):
    """Fortsett der du slapp: straight to the first module the learner has not finished."""
    course = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    enrolment = selectors.enrolment_for(user=request.user, course=course)
    if enrolment is None:
        return redirect(course.url)
    following = selectors.next_module(enrolment=enrolment, course=course)
    return redirect(following.url if following else course.url)


@login_required
def my_courses(request):
    """Mine kurs: sections other apps add first (required learning, by due date), then the rest."""
    enrolled = selectors.enrolments_with_progress(user=request.user)
    # Links other apps add under a course (the kursbevis): one call for all the enrolments.
    links = course_links(request, enrolments=[progress.enrolment for _course, progress in enrolled])
    sections = render_panels(
        MY_COURSES_SECTIONS,
        request,
        progress_by_course={course.pk: progress for course, progress in enrolled},
        links_by_course=links,
    )
    return render(
        request,
        "courses/my_courses.html",
        {
            "sections": sections.html,
            "has_sections": bool(sections.course_ids),
            "enrolled": [
                (course, progress, links.get(course.pk, []))
                for course, progress in enrolled
                if course.pk not in sections.course_ids
            ],
        },
    )
