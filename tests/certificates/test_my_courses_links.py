"""«Mine kurs» links each completed course to its kursbevis, through courses.hooks (courses never
imports certificates), with one query for all the courses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import certificate_revoke
from courses import services
from tests.factories import UserFactory, complete_course, make_course

pytestmark = pytest.mark.django_db


def _my_courses(client):
    return client.get(reverse("courses:my_courses")).content.decode()


def test_each_completed_course_links_to_its_certificate(client, user, catalogue):
    done = make_course(catalogue, modules=1, title="Fullført kurs")
    started = make_course(catalogue, modules=1, title="Påbegynt kurs")
    complete_course(user, done)
    services.enrolment_create(user=user, course=started)
    certificate = Certificate.objects.get(user=user)
    client.force_login(user)
    page = _my_courses(client)
    link = reverse("certificates:detail", args=[certificate.public_id])
    assert page.count(link) == 1
    done_card = page.split("Fullført kurs", 1)[1].split("</li>", 1)[0]
    assert link in done_card and "Se kursbeviset" in done_card
    started_card = page.split("Påbegynt kurs</a>", 1)[1].split("</li>", 1)[0]
    assert "Se kursbeviset" not in started_card


def test_another_learners_certificate_is_never_linked(client, user, other_user, course):
    complete_course(other_user, course)
    services.enrolment_create(user=user, course=course)
    client.force_login(user)
    page = _my_courses(client)
    assert str(Certificate.objects.get(user=other_user).public_id) not in page
    assert "Se kursbeviset" not in page


def test_a_revoked_certificate_says_so(client, user, course):
    complete_course(user, course)
    certificate_revoke(certificate=Certificate.objects.get(user=user), reason="Feil utstedt")
    client.force_login(user)
    assert "Se kursbeviset<span" in _my_courses(client) and "(tilbakekalt)" in _my_courses(client)


def _certificate_queries(client) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("courses:my_courses"))
    assert page.status_code == 200
    certificate_queries = [q for q in queries.captured_queries if "certificates_certificate" in q["sql"]]
    return len(queries.captured_queries), len(certificate_queries)


def test_the_query_count_does_not_grow_with_the_number_of_courses(client, catalogue):
    learner = UserFactory()
    client.force_login(learner)
    complete_course(learner, make_course(catalogue, modules=1))
    _my_courses(client)  # one-off queries of a first request (site settings) out of the way
    total_one, certificates_one = _certificate_queries(client)
    for _index in range(4):
        complete_course(learner, make_course(catalogue, modules=1))
    # Publishing the new courses started a new content generation: the first request after it reads
    # the site and the catalogue link afresh (content/routing.py), whatever the number of courses.
    _my_courses(client)
    total_five, certificates_five = _certificate_queries(client)
    assert _my_courses(client).count("Se kursbeviset") == 5
    assert certificates_one == certificates_five == 1
    assert total_five == total_one
