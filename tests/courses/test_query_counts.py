"""Catalogue, course and module pages run a fixed number of SQL queries.

The data set grows from a handful of courses to 50 courses with 8 modules each
and a learner enrolled in 20 of them; the query count must not grow with it.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.selectors import course_modules
from tests.factories import make_catalogue, make_course, make_module

pytestmark = pytest.mark.django_db

# Includes the menu's manager-dashboard check and, on course pages, the evaluation status.
MAX_QUERIES = {"catalogue": 19, "course": 22, "module": 25}


def build(catalogue, learner, *, courses: int, modules: int, enrolled: int, existing: list):
    while len(existing) < courses:
        existing.append(make_course(catalogue, modules=modules, areas=("kommunikasjon", "pedagogikk")))
    for course in existing[:enrolled]:
        services.enrolment_create(user=learner, course=course)
        for module in course_modules(course)[:2]:
            services.module_complete(user=learner, module=module)
    return existing


def count_queries(client, url) -> int:
    client.get(url)  # the first visit of a module records its start; measure a normal visit
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_courses_modules_or_enrolments(client, user):
    catalogue = make_catalogue()
    client.force_login(user)
    courses = build(catalogue, user, courses=2, modules=2, enrolled=1, existing=[])

    def measure():
        course = courses[0]
        return {
            "catalogue": count_queries(client, catalogue.url),
            "course": count_queries(client, course.url),
            "module": count_queries(client, course_modules(course)[-1].url),
        }

    small = measure()
    courses = build(catalogue, user, courses=50, modules=8, enrolled=20, existing=courses)
    # The first two courses were built with 2 modules; give the measured course 8.
    for index in range(6):
        make_module(courses[0], title=f"Ekstra modul {index}")
    large = measure()

    assert len(courses) == 50
    assert len(course_modules(courses[0])) == 8
    for page, maximum in MAX_QUERIES.items():
        assert large[page] == small[page], f"{page}: {small[page]} queries grew to {large[page]}"
        assert large[page] <= maximum, f"{page}: {large[page]} queries"
