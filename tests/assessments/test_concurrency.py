"""Concurrency rules for attempts live in the database; these run on PostgreSQL."""

import pytest

from assessments import services
from assessments.models import AttemptStatus, QuizAttempt
from courses import services as course_services
from courses.models import CourseCompletion
from courses.selectors import course_modules
from tests.assessments.conftest import as_post
from tests.concurrency import run_concurrently
from tests.factories import UserFactory, add_quiz_block, correct_post, make_catalogue, make_course, make_quiz
from tests.markers import requires_postgresql

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]


def quiz_in_one_module_course():
    course = make_course(make_catalogue(), modules=1)
    learner = UserFactory()
    enrolment, _ = course_services.enrolment_create(user=learner, course=course)
    quiz = make_quiz(course)
    module = course_modules(course)[0]
    block_id = add_quiz_block(module, quiz)
    return learner, enrolment, quiz, module, block_id


def test_fifty_concurrent_submits_grade_one_result():
    learner, enrolment, quiz, module, block_id = quiz_in_one_module_course()
    attempt = services.attempt_start(
        user=learner, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
    )
    post = as_post(correct_post(attempt))
    graded = []

    def submit():
        graded.append(services.attempt_submit(user=learner, attempt=attempt, data=post))

    errors = run_concurrently([submit] * 50)
    # One grades; the other 49 are told the attempt is already handed in.
    assert len(graded) == 1
    assert len(errors) == 49 and all(isinstance(e, services.AttemptClosedError) for e in errors)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.percent == 100
    # The pass completed the one-module course exactly once.
    assert CourseCompletion.objects.filter(enrolment=enrolment).count() == 1


def test_concurrent_starts_open_one_attempt():
    learner, enrolment, quiz, module, block_id = quiz_in_one_module_course()
    started = []
    errors = run_concurrently(
        [
            lambda: started.append(
                services.attempt_start(
                    user=learner, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
                ).pk
            )
        ]
        * 10
    )
    assert errors == []
    assert QuizAttempt.objects.filter(user=learner, quiz=quiz).count() == 1
    assert len(set(started)) == 1
