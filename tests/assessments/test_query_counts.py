"""Grading an attempt and rendering quiz pages take a number of queries that does not grow with questions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import QuizAttempt
from courses import services as course_services
from courses.selectors import course_modules
from tests.assessments.conftest import as_post
from tests.factories import (
    UserFactory,
    add_quiz_block,
    correct_post,
    make_course,
    make_quiz,
    q_matching,
    q_multiple,
    q_ordering,
    q_single,
)

pytestmark = pytest.mark.django_db


def quiz_with(course, count):
    kinds = [q_single, q_multiple, q_matching, q_ordering]
    return make_quiz(course, title=f"Test med {count}", questions=[kinds[n % 4]() for n in range(count)])


def measure(client, catalogue, count):
    """A fresh learner in a fresh two-module course, so every run does the same completion work."""
    user = UserFactory()
    course = make_course(catalogue, modules=2)
    course_services.enrolment_create(user=user, course=course)
    client.force_login(user)
    quiz = quiz_with(course, count)
    module = course_modules(course)[0]
    block_id = add_quiz_block(module, quiz)
    client.post(reverse("assessments:quiz_start", args=[module.pk, block_id]))
    attempt = QuizAttempt.objects.get(quiz=quiz)
    counts = {}
    with CaptureQueriesContext(connection) as page:
        assert client.get(reverse("assessments:attempt", args=[attempt.public_id])).status_code == 200
    counts["page"] = len(page)
    with CaptureQueriesContext(connection) as grading:
        services.attempt_submit(user=user, attempt=attempt, data=as_post(correct_post(attempt)))
    counts["grade"] = len(grading)
    with CaptureQueriesContext(connection) as result:
        assert client.get(reverse("assessments:attempt_result", args=[attempt.public_id])).status_code == 200
    counts["result"] = len(result)
    attempt.refresh_from_db()
    assert attempt.score == count
    return counts


def test_queries_do_not_grow_with_the_number_of_questions(client, catalogue):
    measure(client, catalogue, 2)  # warm caches (content types, site) that a running server keeps
    small = measure(client, catalogue, 4)
    large = measure(client, catalogue, 40)
    assert small == large
    # Grading includes reporting the pass through the completion service.
    assert large["grade"] <= 28
