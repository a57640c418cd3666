"""`{% load durations %}` … `{{ course.estimated_duration|duration }}`: «ca. 1 t 20 min»."""

from django import template

from core.durations import format_duration

register = template.Library()


@register.filter
def duration(minutes) -> str:
    return format_duration(minutes)
