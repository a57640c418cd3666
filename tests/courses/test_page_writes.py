"""Reading a page writes nothing unless something changed.

The first visit of a module records that the learner started it (a progress row, the enrolment's
last activity, the course's start); a repeat visit writes nothing, until the stored last activity is
LAST_ACTIVITY_WRITE_INTERVAL old. The catalogue, the course page and «Mine kurs» never write.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Enrolment, ModuleProgress
from courses.selectors import course_modules
from courses.signals import course_started

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes_of(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


@pytest.fixture
def enrolled(logged_in_client, user, course):
    enrolment, _created = services.enrolment_create(user=user, course=course)
    return logged_in_client, enrolment, course_modules(course)[0]


def test_first_module_visit_records_the_start_and_a_repeat_visit_writes_nothing(enrolled):
    client, enrolment, module = enrolled
    long_ago = timezone.now() - timedelta(days=3)
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=long_ago)
    started = []
    course_started.connect(
        lambda **kwargs: started.append(kwargs["enrolment"].pk), weak=False, dispatch_uid="t"
    )
    try:
        first = writes_of(client, module.url)
        repeat = writes_of(client, module.url)
    finally:
        course_started.disconnect(dispatch_uid="t")

    assert any("courses_moduleprogress" in sql for sql in first)
    assert ModuleProgress.objects.filter(enrolment=enrolment, module=module, completed_at=None).count() == 1
    assert Enrolment.objects.get(pk=enrolment.pk).last_activity_at > long_ago
    assert started == [enrolment.pk]
    assert repeat == []


def test_last_activity_is_written_again_once_the_interval_has_passed(enrolled, settings):
    client, enrolment, module = enrolled
    settings.LAST_ACTIVITY_WRITE_INTERVAL = 300
    client.get(module.url)
    assert writes_of(client, module.url) == []

    a_while_ago = timezone.now() - timedelta(seconds=301)
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=a_while_ago)
    writes = writes_of(client, module.url)

    assert len(writes) == 1 and "last_activity_at" in writes[0]
    assert Enrolment.objects.get(pk=enrolment.pk).last_activity_at > a_while_ago
    assert writes_of(client, module.url) == []


def test_another_module_is_recorded_when_first_opened(enrolled, course):
    client, enrolment, first_module = enrolled
    client.get(first_module.url)
    second = course_modules(course)[1]

    assert any("courses_moduleprogress" in sql for sql in writes_of(client, second.url))
    assert set(ModuleProgress.objects.filter(enrolment=enrolment).values_list("module_id", flat=True)) == {
        first_module.pk,
        second.pk,
    }


def test_catalogue_course_and_my_courses_never_write(enrolled, catalogue, course):
    client, _enrolment, module = enrolled
    client.get(module.url)
    for url in (catalogue.url, course.url, reverse("courses:my_courses")):
        client.get(url)  # a first visit fills the cache; neither writes to the database
        assert writes_of(client, url) == [], url
