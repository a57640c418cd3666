"""The dashboard's query count does not grow with staff or courses; Mine kurs puts required courses first."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from requirements.services import assignment_create
from tests.factories import UserFactory, add_member, make_course, make_unit

pytestmark = pytest.mark.django_db


def grow(catalogue, ward, *, staff: int, courses: int, existing: dict):
    while len(existing["staff"]) < staff:
        person = UserFactory()
        add_member(person, ward)
        existing["staff"].append(person)
    while len(existing["courses"]) < courses:
        course = make_course(catalogue, modules=1)
        assignment_create(
            by=None, course=course, unit=ward, due_date=timezone.localdate() + timedelta(days=30)
        )
        existing["courses"].append(course)


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_dashboard_queries_do_not_grow_with_staff_or_courses(client, catalogue):
    trust = make_unit("Helse")
    ward = make_unit("Avdeling", parent=trust)
    manager = UserFactory()
    add_member(manager, trust, role="manager")
    client.force_login(manager)
    data = {"staff": [], "courses": []}
    urls = [
        reverse("reports:dashboard"),
        reverse("reports:dashboard") + f"?unit={ward.pk}&status=ikke_startet",
    ]

    grow(catalogue, ward, staff=3, courses=2, existing=data)
    client.get(urls[0])  # warm caches a running server keeps
    small = [count(client, url) for url in urls]
    grow(catalogue, ward, staff=60, courses=6, existing=data)  # more than one page of people
    client.get(urls[0])  # new courses were published: the page caches fill again on the next view
    large = [count(client, url) for url in urls]
    assert small == large
    assert max(large) <= 18


def test_my_courses_lists_required_courses_first_with_due_dates(client, catalogue):
    from courses import services

    ward = make_unit("Avdeling")
    learner = UserFactory()
    add_member(learner, ward)
    chosen = make_course(catalogue, title="Valgt kurs")
    services.enrolment_create(user=learner, course=chosen)
    required = make_course(catalogue, title="Påkrevd kurs")
    assignment_create(by=None, course=required, unit=ward, due_date=timezone.localdate() - timedelta(days=1))
    client.force_login(learner)
    html = client.get(reverse("courses:my_courses")).content.decode()
    assert (
        html.index("Påkrevd opplæring")
        < html.index("Påkrevd kurs")
        < html.index("Andre kurs")
        < html.index("Valgt kurs")
    )
    assert "Fristen var" in html
