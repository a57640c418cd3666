"""courses.selectors.enrolment_with_progress: the module page's one query for the learner's state.

It is hand-written SQL (see its docstring), so these tests hold it to what the ORM would answer:
the enrolment, its progress rows with aware times, and the ledger of the current round only.
"""

import pytest

from courses import selectors, services
from courses.models import Enrolment, ModuleProgress
from courses.selectors import course_modules
from tests.factories import UserFactory, add_reflection_block, make_catalogue, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_with_activities():
    course = make_course(make_catalogue(), modules=2)
    first, second = course_modules(course)
    blocks = [add_reflection_block(first), add_reflection_block(first)]
    return course, first, second, blocks


def test_not_enrolled_and_anonymous_have_no_state(course_with_activities, django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    course, first, _second, _blocks = course_with_activities
    stranger = UserFactory()
    with django_assert_num_queries(1):
        assert selectors.enrolment_with_progress(user=stranger, course=course, module=first) == (None, {})
    with django_assert_num_queries(0):
        assert selectors.enrolment_with_progress(user=AnonymousUser(), course=course) == (None, {})


def test_the_enrolment_and_its_progress_come_as_the_orm_reads_them(
    course_with_activities, django_assert_num_queries
):
    course, first, second, _blocks = course_with_activities
    learner = UserFactory()
    services.enrolment_create(user=learner, course=course)
    with django_assert_num_queries(1):
        enrolment, progress = selectors.enrolment_with_progress(user=learner, course=course)
    assert enrolment == Enrolment.objects.get(user=learner, course=course) and progress == {}

    services.module_start(enrolment=enrolment, module=first)
    services.module_complete(user=learner, module=second)
    with django_assert_num_queries(1):
        enrolment, progress = selectors.enrolment_with_progress(user=learner, course=course)
    stored = Enrolment.objects.get(pk=enrolment.pk)
    for field in ("round", "enrolled_at", "last_activity_at", "completed_at", "user_id", "course_id"):
        assert getattr(enrolment, field) == getattr(stored, field), field
    assert enrolment.enrolled_at.tzinfo is not None
    assert set(progress) == {first.pk, second.pk}
    for module_id, row in progress.items():
        orm = ModuleProgress.objects.get(enrolment=enrolment, module_id=module_id)
        assert (row.pk, row.started_at, row.completed_at) == (orm.pk, orm.started_at, orm.completed_at)
        assert row.enrolment is enrolment and row.enrolment.course is course
    assert progress[second.pk].completed_at is not None and progress[first.pk].completed_at is None


def test_the_modules_ledger_of_the_current_round_comes_along(
    course_with_activities, django_assert_num_queries
):
    course, first, second, blocks = course_with_activities
    learner, other = UserFactory(), UserFactory()
    for person in (learner, other):
        services.enrolment_create(user=person, course=course)
    services.activity_complete(user=learner, module=first, block_id=blocks[0], kind="reflection")
    services.activity_complete(user=other, module=first, block_id=blocks[1], kind="reflection")

    with django_assert_num_queries(1):
        enrolment, _progress = selectors.enrolment_with_progress(user=learner, course=course, module=first)
        assert selectors.completed_activities(enrolment=enrolment, module=first) == {blocks[0]}
    # Asked about another module than the one read along, it asks the ledger itself.
    with django_assert_num_queries(1):
        assert selectors.completed_activities(enrolment=enrolment, module=second) == set()

    # Everything done, the course completes; a new round starts with an empty ledger.
    services.activity_complete(user=learner, module=first, block_id=blocks[1], kind="reflection")
    services.module_complete(user=learner, module=second)
    services.enrolment_restart(user=learner, course=course)
    enrolment, progress = selectors.enrolment_with_progress(user=learner, course=course, module=first)
    assert enrolment.round == 2
    assert selectors.completed_activities(enrolment=enrolment, module=first) == set()
    assert all(row.completed_at is None for row in progress.values())
