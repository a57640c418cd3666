"""One way to say how long something takes, on the certificate and on every learner page."""

import pytest
from django.template import Context, Template
from django.utils import translation

from core.durations import format_duration
from courses import services
from courses.selectors import course_modules
from tests.factories import make_course


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (45, "ca. 45 min"),
        (60, "ca. 1 t"),
        (80, "ca. 1 t 20 min"),
        (125, "ca. 2 t 5 min"),
        (0, ""),
        (None, ""),
    ],
)
def test_format_duration_in_bokmal(minutes, text):
    with translation.override("nb"):
        assert format_duration(minutes) == text


def test_the_template_filter_is_the_same_function():
    with translation.override("nb"):
        rendered = Template("{% load durations %}{{ minutes|duration }}").render(Context({"minutes": 80}))
    assert rendered == "ca. 1 t 20 min"


@pytest.mark.django_db
def test_catalogue_course_page_and_module_page_say_it_the_same_way(client, user, catalogue):
    course = make_course(catalogue, modules=2, title="Samtaler om mestring", estimated_duration=80)
    first = course_modules(course)[0]
    first.estimated_duration = 45
    first.save_revision().publish()

    catalogue_page = client.get(catalogue.url).content.decode()
    assert "ca. 1 t 20 min" in catalogue_page and "ca. 80 min" not in catalogue_page

    services.enrolment_create(user=user, course=course)
    client.force_login(user)
    course_page = client.get(course.url).content.decode()
    assert "ca. 1 t 20 min" in course_page and "80 minutter" not in course_page
    assert "ca. 45 min" in course_page  # each module's estimate in the module list

    module_page = client.get(first.url).content.decode()
    assert "ca. 45 min" in module_page
