"""The completion ledger: rounds, the one door, and the two defects of reading activity tables back.

Both regression tests failed before the ledger existed: completion was decided from the
activities' own tables, where an earlier round's pass or result still counted (or blocked).
"""

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from certificates.models import Certificate
from courses import activities, services
from courses.models import ActivityCompletion, CourseCompletion, Enrolment, ModuleProgress
from courses.selectors import course_modules, ledger_of
from tests.assessments.conftest import as_post
from tests.factories import (
    add_quiz_block,
    add_reflection_block,
    complete_course,
    correct_post,
    make_catalogue,
    make_course,
    make_quiz,
    wrong_post,
)
from tests.h5p.conftest import h5p_content  # noqa: F401 - fixture
from tests.h5p.players import module_with_h5p, post, statement

pytestmark = pytest.mark.django_db


def _take_quiz(user, quiz, enrolment, module, block_id, *, right: bool):
    attempt = assessment_services.attempt_start(
        user=user, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
    )
    data = correct_post(attempt) if right else wrong_post(attempt)
    return assessment_services.attempt_submit(user=user, attempt=attempt, data=as_post(data))


def test_after_restarting_a_failed_quiz_does_not_complete_the_course(user, catalogue):
    """Defect 1: an earlier round's pass counted, so failing the quiz again and submitting the
    reflection in the same module completed the course and issued a second kursbevis."""
    course = make_course(catalogue, modules=1)
    module = course_modules(course)[0]
    quiz = make_quiz(course, max_attempts=None)
    quiz_block = add_quiz_block(module, quiz)
    reflection_block = add_reflection_block(module)
    enrolment, _ = services.enrolment_create(user=user, course=course)

    assert _take_quiz(user, quiz, enrolment, module, quiz_block, right=True).passed
    assessment_services.reflection_save(
        user=user,
        module=module,
        block_id=reflection_block,
        prompt="Hva lærte du?",
        text="Jeg lærte mye om samtaler.",
        is_html=False,
        submit=True,
    )
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert Certificate.objects.filter(user=user, course=course).count() == 1

    services.enrolment_restart(user=user, course=course)
    assert not _take_quiz(user, quiz, enrolment, module, quiz_block, right=False).passed
    assessment_services.reflection_save(
        user=user,
        module=module,
        block_id=reflection_block,
        prompt="Hva lærte du?",
        text="Andre gang.",
        is_html=False,
        submit=True,
    )
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    assert ModuleProgress.objects.get(enrolment=enrolment, module=module).completed_at is None
    assert Certificate.objects.filter(user=user, course=course).count() == 1

    # Passing in this round completes it again.
    assert _take_quiz(user, quiz, enrolment, module, quiz_block, right=True).passed
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None and enrolment.round == 2
    assert list(CourseCompletion.objects.filter(enrolment=enrolment).values_list("round", flat=True)) == [
        2,
        1,
    ]
    assert Certificate.objects.filter(user=user, course=course).count() == 2


def test_after_restarting_an_h5p_only_module_completes_again(client, user, h5p_content):  # noqa: F811
    """Defect 2: the xAPI view stopped early because the result was already complete, so the
    module could never complete in the new round, and «Merk som fullført» answered 403."""
    course = make_course(make_catalogue(), modules=0)
    module, block_id = module_with_h5p(course, h5p_content)
    services.enrolment_create(user=user, course=course)
    client.force_login(user)
    assert post(client, module, block_id, statement(module, block_id, email=user.email)).json()["completed"]
    enrolment = Enrolment.objects.get(user=user, course=course)
    assert enrolment.completed_at is not None

    client.post(reverse("courses:restart", args=[course.pk]), {"confirm": "1"})
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None and enrolment.round == 2
    # Merely opening it again does not count: the rule is "answered".
    client.get(reverse("h5p:player", args=[module.pk, block_id]))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None

    response = post(client, module, block_id, statement(module, block_id, email=user.email))
    assert response.json() == {"ok": True, "completed": True}
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert CourseCompletion.objects.filter(enrolment=enrolment).count() == 2


def test_the_ledger_keeps_every_round_as_history(user, catalogue):
    course = make_course(catalogue, modules=2)
    enrolment = complete_course(user, course)
    services.enrolment_restart(user=user, course=course)
    first = course_modules(course)[0]
    services.module_complete(user=user, module=first)

    rows = ledger_of(enrolment=enrolment)
    assert [(row.round, row.module_id, row.kind) for row in rows] == [
        (1, first.pk, activities.MODULE_DONE),
        (1, course_modules(course)[1].pk, activities.MODULE_DONE),
        (2, first.pk, activities.MODULE_DONE),
    ]
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None  # round 2 has one module of two


def test_reporting_twice_leaves_one_row(user, catalogue):
    course = make_course(catalogue, modules=1)
    module = course_modules(course)[0]
    reflection_block = add_reflection_block(module)
    enrolment, _ = services.enrolment_create(user=user, course=course)
    for _ in range(2):
        services.activity_complete(user=user, module=module, block_id=reflection_block, kind="reflection")
    assert ActivityCompletion.objects.filter(enrolment=enrolment, block_id=reflection_block).count() == 1
    assert CourseCompletion.objects.filter(enrolment=enrolment).count() == 1


def test_an_unknown_kind_or_a_block_of_another_kind_completes_nothing(user, catalogue):
    course = make_course(catalogue, modules=1)
    module = course_modules(course)[0]
    reflection_block = add_reflection_block(module)
    services.enrolment_create(user=user, course=course)
    with pytest.raises(ValueError):
        services.activity_complete(user=user, module=module, block_id=reflection_block, kind="no-such-kind")
    outcome = services.activity_complete(user=user, module=module, block_id=reflection_block, kind="quiz")
    assert outcome.enrolment is None
    assert not ActivityCompletion.objects.exists()


def test_someone_not_enrolled_cannot_report(user, catalogue):
    course = make_course(catalogue, modules=1)
    module = course_modules(course)[0]
    reflection_block = add_reflection_block(module)
    with pytest.raises(services.NotEnrolledError):
        services.activity_complete(user=user, module=module, block_id=reflection_block, kind="reflection")
    assert not ActivityCompletion.objects.exists()


def test_a_required_evaluation_is_a_course_step_in_the_ledger(user, catalogue):
    course = make_course(catalogue, modules=1, evaluation_required=True)
    enrolment = complete_course(user, course)
    assert enrolment.completed_at is None  # the evaluation is still missing
    assessment_services.evaluation_submit(
        user=user, course=course, answers={"most_useful": "", "improve": "", **_likert()}
    )
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert ActivityCompletion.objects.filter(
        enrolment=enrolment, module__isnull=True, kind="evaluation"
    ).exists()

    # A new round asks for the evaluation again, and it can be given again.
    services.enrolment_restart(user=user, course=course)
    for module in course_modules(course):
        services.module_complete(user=user, module=module)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    assessment_services.evaluation_submit(
        user=user, course=course, answers={"most_useful": "", "improve": "", **_likert()}
    )
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None and enrolment.round == 2


def _likert() -> dict:
    from assessments.evaluation import LIKERT_ITEMS

    return {field: 4 for field, _statement in LIKERT_ITEMS}


def test_courses_knows_every_kind_only_through_the_registry():
    assert set(activities.module_kinds()) == {"quiz", "reflection", "h5p"}
    assert set(activities.course_kinds()) == {"evaluation"}
