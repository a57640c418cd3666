"""Course holders' reports in the admin: evaluation, self-assessment, item analysis, shared reflections.

A course holder is anyone who may edit the course page. Every view checks that
for the course in question and answers 404 otherwise, so holders of one course
learn nothing about another.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from audit.services import record_export, record_read
from core.exports import csv_response
from courses.hooks import render_panels
from courses.models import CoursePage

from . import app_settings, selectors, services
from .evaluation import FREE_TEXT_ITEMS, LIKERT_ITEMS
from .forms import FeedbackForm
from .hooks import COURSE_REPORT_SECTIONS
from .models import EvaluationResponse, Quiz, ReflectionAnswer


def _held_course(request, course_id: int) -> CoursePage:
    course = get_object_or_404(CoursePage, pk=course_id)
    if not selectors.can_hold_course(user=request.user, course=course):
        raise Http404
    return course


def reports_index(request):
    courses = selectors.editable_courses(user=request.user)
    return TemplateResponse(request, "assessments/admin/reports_index.html", {"courses": courses})


def course_report(request, course_id: int):
    course = _held_course(request, course_id)
    quizzes = list(Quiz.objects.filter(course=course).order_by("title"))
    return TemplateResponse(
        request,
        "assessments/admin/course_report.html",
        {
            "course": course,
            "evaluation": selectors.evaluation_summary(course=course),
            "minimum": app_settings.EVALUATION_MIN_RESPONSES,
            "self_assessment": selectors.self_assessment_change(course=course),
            "quizzes": quizzes,
            "shared_reflections": selectors.shared_reflections(user=request.user, course=course),
            "sections": render_panels(COURSE_REPORT_SECTIONS, request, course=course).html,
        },
    )


def evaluation_csv(request, course_id: int):
    """Every evaluation response of the course, one row each, with nothing that identifies the learner."""
    course = _held_course(request, course_id)
    if not selectors.evaluation_summary(course=course).shown:
        messages.error(
            request,
            _("For få svar til å eksportere (minst %(count)s).")
            % {"count": app_settings.EVALUATION_MIN_RESPONSES},
        )
        return redirect("assessments_course_report", course_id=course.pk)
    fields = [field for field, _label in LIKERT_ITEMS] + [field for field, _label in FREE_TEXT_ITEMS]
    header = [str(label) for _field, label in LIKERT_ITEMS + FREE_TEXT_ITEMS]
    rows = EvaluationResponse.objects.filter(course=course).order_by("pk").values_list(*fields)
    counted = record_export(
        request,
        action="evaluation_export",
        file_format="csv",
        rows=rows.iterator(chunk_size=500),
        model=EvaluationResponse,
        detail={"course": course.pk},
    )
    return csv_response(filename=f"kursevaluering-{course.slug}", header=header, rows=counted)


def quiz_items(request, quiz_id: int):
    quiz = get_object_or_404(Quiz.objects.select_related("course"), pk=quiz_id)
    _held_course(request, quiz.course_id)
    attempts, items = selectors.item_analysis(quiz=quiz)
    return TemplateResponse(
        request,
        "assessments/admin/item_analysis.html",
        {
            "quiz": quiz,
            "attempts": attempts,
            "items": items,
            "minimum": selectors.DISCRIMINATION_MIN_ATTEMPTS,
        },
    )


def shared_reflection(request, reflection_id: int):
    reflection = get_object_or_404(
        ReflectionAnswer.objects.select_related("course", "module", "user"), pk=reflection_id
    )
    if not selectors.can_read_shared_reflection(user=request.user, reflection=reflection):
        raise Http404
    if request.method == "GET":
        # Who read it and when; the reflection's text never goes into the log.
        record_read(
            request,
            action="shared_reflection",
            obj=reflection,
            detail={"course": reflection.course_id, "module": reflection.module_id},
        )
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reflection_feedback_add(
                author=request.user, reflection=reflection, text=form.cleaned_data["text"]
            )
        except services.AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Tilbakemeldingen er sendt til deltakeren."))
            return redirect("assessments_shared_reflection", reflection_id=reflection.pk)
    return TemplateResponse(
        request,
        "assessments/admin/shared_reflection.html",
        {
            "reflection": reflection,
            "feedback": list(reflection.feedback.select_related("author")),
            "form": form,
        },
    )
