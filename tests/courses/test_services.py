from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses import services
from courses.models import Enrolment, ModuleProgress
from courses.selectors import course_modules
from tests.concurrency import run_concurrently
from tests.factories import UserFactory, make_catalogue, make_course, make_module
from tests.markers import requires_postgresql

pytestmark = pytest.mark.django_db


def test_enrolling_twice_gives_one_enrolment(user, course):
    first, created_first = services.enrolment_create(user=user, course=course)
    second, created_second = services.enrolment_create(user=user, course=course)
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Enrolment.objects.filter(user=user, course=course).count() == 1


def test_database_refuses_a_second_enrolment_row(user, course):
    Enrolment.objects.create(user=user, course=course)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(user=user, course=course)


def test_unpublished_course_cannot_be_enrolled_in(user, course):
    course.unpublish()
    course.refresh_from_db()
    with pytest.raises(services.CourseNotAvailableError):
        services.enrolment_create(user=user, course=course)
    assert not Enrolment.objects.exists()


def test_completing_a_module_without_enrolment_is_refused_and_changes_nothing(user, course):
    module = course_modules(course)[0]
    with pytest.raises(services.NotEnrolledError):
        services.module_complete(user=user, module=module)
    assert not ModuleProgress.objects.exists()


def test_enrolment_in_one_course_does_not_open_another(user, catalogue):
    enrolled, other = make_course(catalogue), make_course(catalogue)
    services.enrolment_create(user=user, course=enrolled)
    with pytest.raises(services.NotEnrolledError):
        services.module_complete(user=user, module=course_modules(other)[0])


def test_course_completes_when_the_last_module_completes(user, course):
    enrolment, _ = services.enrolment_create(user=user, course=course)
    first, second, third = course_modules(course)

    services.module_complete(user=user, module=first)
    services.module_complete(user=user, module=second)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None

    services.module_complete(user=user, module=third)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_completion_is_recorded_once(user, course):
    enrolment, _ = services.enrolment_create(user=user, course=course)
    for module in course_modules(course):
        services.module_complete(user=user, module=module)
    enrolment.refresh_from_db()
    first_completion = enrolment.completed_at
    module = course_modules(course)[0]
    module_completed_at = ModuleProgress.objects.get(module=module).completed_at

    services.module_complete(user=user, module=module)

    enrolment.refresh_from_db()
    assert enrolment.completed_at == first_completion
    assert ModuleProgress.objects.get(module=module).completed_at == module_completed_at
    assert ModuleProgress.objects.filter(enrolment=enrolment).count() == 3


def test_completion_survives_editing_and_adding_modules(user, course):
    enrolment, _ = services.enrolment_create(user=user, course=course)
    for module in course_modules(course):
        services.module_complete(user=user, module=module)
    enrolment.refresh_from_db()
    completed_at = enrolment.completed_at

    course.title = "Nytt navn på kurset"
    course.save_revision().publish()
    new_module = make_module(course, title="Ny modul")
    new_module.save_revision().publish()

    enrolment.refresh_from_db()
    assert enrolment.completed_at == completed_at


def test_unpublished_modules_do_not_count_towards_completion(user, catalogue):
    course = make_course(catalogue, modules=2)
    draft = make_module(course, title="Utkast", live=False)
    enrolment, _ = services.enrolment_create(user=user, course=course)
    for module in course_modules(course):
        services.module_complete(user=user, module=module)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert not ModuleProgress.objects.filter(module=draft).exists()


def test_opening_a_module_records_start_once(user, course):
    enrolment, _ = services.enrolment_create(user=user, course=course)
    module = course_modules(course)[0]
    services.module_start(enrolment=enrolment, module=module)
    progress = services.module_start(enrolment=enrolment, module=module)
    assert progress.completed_at is None
    assert ModuleProgress.objects.filter(module=module).count() == 1


def test_starting_a_module_of_another_course_is_refused(user, catalogue):
    enrolled, other = make_course(catalogue), make_course(catalogue)
    enrolment, _ = services.enrolment_create(user=user, course=enrolled)
    with pytest.raises(services.NotEnrolledError):
        services.module_start(enrolment=enrolment, module=course_modules(other)[0])
    assert not ModuleProgress.objects.exists()


def test_a_learner_cannot_complete_modules_for_someone_else(user, other_user, course):
    services.enrolment_create(user=user, course=course)
    services.module_complete(user=user, module=course_modules(course)[0])
    with pytest.raises(services.NotEnrolledError):
        services.module_complete(user=other_user, module=course_modules(course)[1])
    assert ModuleProgress.objects.filter(enrolment__user=other_user).count() == 0


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_create_one_row():
    catalogue = make_catalogue()
    course = make_course(catalogue)
    learner = UserFactory()
    errors = run_concurrently([lambda: services.enrolment_create(user=learner, course=course)] * 8)
    assert errors == []
    assert Enrolment.objects.filter(user=learner, course=course).count() == 1


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_finishing_the_last_two_modules_at_once_completes_the_course_exactly_once():
    catalogue = make_catalogue()
    course = make_course(catalogue, modules=3)
    learner = UserFactory()
    enrolment, _ = services.enrolment_create(user=learner, course=course)
    first, second, third = course_modules(course)
    services.module_complete(user=learner, module=first)

    errors = run_concurrently(
        [
            lambda: services.module_complete(user=learner, module=second),
            lambda: services.module_complete(user=learner, module=third),
            lambda: services.module_complete(user=learner, module=third),
        ]
    )

    assert errors == []
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert enrolment.completed_at > timezone.now() - timedelta(minutes=1)
    assert ModuleProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).count() == 3
