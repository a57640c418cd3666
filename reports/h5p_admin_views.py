"""H5P results for a course's holders, in the admin beside the quiz item analysis.

Who may see them follows the course reports (assessments.admin_views): anyone who may edit the
course page; for anyone else the course is "not found" (404), so holders of one course learn
nothing about another. Only counts are shown, never a learner's name or answers.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from assessments.selectors import can_hold_course
from audit.services import record_export
from core.exports import csv_response
from courses.models import CoursePage

from .h5p_results import course_h5p_statistics, h5p_statistics_table


def _held_course(request, course_id: int) -> CoursePage:
    course = get_object_or_404(CoursePage, pk=course_id)
    if not can_hold_course(user=request.user, course=course):
        raise Http404
    return course


def course_h5p_results(request, course_id: int):
    course = _held_course(request, course_id)
    return TemplateResponse(
        request,
        "reports/admin/h5p_results.html",
        {"course": course, "activities": course_h5p_statistics(course=course)},
    )


def course_h5p_results_csv(request, course_id: int):
    course = _held_course(request, course_id)
    header, rows = h5p_statistics_table(course_h5p_statistics(course=course))
    counted = record_export(
        request,
        action="h5p_results_export",
        file_format="csv",
        rows=rows,
        model="h5p.H5PResult",
        detail={"course": course.pk},
    )
    return csv_response(filename=f"h5p-resultater-{course.slug}", header=header, rows=counted)
