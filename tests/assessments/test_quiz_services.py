"""The attempt engine: start, autosave, submit, grading, time limits and completion."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments import grading, services
from assessments.formtokens import FormTokens
from assessments.models import AttemptAnswer, AttemptStatus, QuizAttempt, TimeAccommodation
from courses import services as course_services
from courses.models import ModuleProgress
from courses.selectors import course_modules
from tests.assessments.conftest import as_post
from tests.factories import (
    UserFactory,
    add_quiz_block,
    correct_post,
    form_post,
    make_quiz,
    q_likert,
    q_matching,
    q_multiple,
    q_ordering,
    q_single,
    q_true_false,
    wrong_post,
)

pytestmark = pytest.mark.django_db


def start(user, quiz_setup, enrolment):
    quiz, module, block_id = quiz_setup
    return services.attempt_start(user=user, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id)


def test_start_snapshots_the_questions_and_creates_one_answer_row_each(user, quiz_setup, enrolment):
    attempt = start(user, quiz_setup, enrolment)
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert attempt.number == 1
    assert [q["id"] for q in attempt.questions] == [b.id for b in quiz_setup[0].questions]
    assert AttemptAnswer.objects.filter(attempt=attempt).count() == 3
    # A second start returns the attempt in progress instead of opening another.
    assert start(user, quiz_setup, enrolment).pk == attempt.pk


def test_question_pool_draws_n_questions(user, course, enrolment):
    quiz = make_quiz(
        course, questions=[q_single(f"Spørsmål {n}") for n in range(10)], questions_per_attempt=4
    )
    module = course_modules(course)[0]
    block_id = add_quiz_block(module, quiz)
    attempt = services.attempt_start(
        user=user, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
    )
    pool = {b.id for b in quiz.questions}
    drawn = [q["id"] for q in attempt.questions]
    assert len(drawn) == 4 and set(drawn) <= pool


def test_passing_completes_the_module_and_failing_never_does(user, quiz_setup, enrolment, course):
    quiz, module, _block = quiz_setup
    attempt = start(user, quiz_setup, enrolment)
    graded = services.attempt_submit(user=user, attempt=attempt, data=as_post(wrong_post(attempt)))
    assert graded.passed is False and graded.percent == 0
    assert not ModuleProgress.objects.filter(module=module, completed_at__isnull=False).exists()
    # Every other module done: a failed quiz must still not complete the course.
    for other in course_modules(course)[:-1]:
        course_services.module_complete(user=user, module=other)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None

    second = start(user, quiz_setup, enrolment)
    assert second.number == 2
    graded = services.attempt_submit(user=user, attempt=second, data=as_post(correct_post(second)))
    assert graded.passed is True and graded.percent == 100
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None


def test_scores_are_stored_per_question(user, quiz_setup, enrolment):
    attempt = start(user, quiz_setup, enrolment)
    first = attempt.questions[0]["id"]
    wrong = next(o["id"] for o in attempt.questions[0]["options"] if not o["correct"])
    post = {**correct_post(attempt), **form_post(attempt, {f"q:{first}": wrong})}
    graded = services.attempt_submit(user=user, attempt=attempt, data=as_post(post))
    scores = dict(AttemptAnswer.objects.filter(attempt=graded).values_list("question_id", "score"))
    assert scores[first] == 0
    assert sorted(scores.values()) == [0, 1, 1]
    assert graded.percent == pytest.approx(66.7)
    assert graded.passed is False  # pass mark 70 %


def test_all_question_types_graded_together(user, course, enrolment):
    quiz = make_quiz(
        course,
        questions=[q_single(), q_multiple(), q_true_false(), q_matching(), q_ordering(), q_likert()],
    )
    module = course_modules(course)[0]
    block_id = add_quiz_block(module, quiz)
    attempt = services.attempt_start(
        user=user, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
    )
    graded = services.attempt_submit(user=user, attempt=attempt, data=as_post(correct_post(attempt)))
    assert graded.max_score == 5  # the Likert item carries no points
    assert graded.score == 5


def test_autosave_keeps_answers_for_a_closed_tab(user, quiz_setup, enrolment):
    attempt = start(user, quiz_setup, enrolment)
    first = attempt.questions[0]
    chosen = first["options"][1]["id"]
    assert (
        services.attempt_answers_save(
            user=user, attempt=attempt, data=as_post(form_post(attempt, {f"q:{first['id']}": chosen}))
        )
        == 1
    )
    # "Closing the tab" and coming back: the same attempt with the saved answer.
    again = start(user, quiz_setup, enrolment)
    assert again.pk == attempt.pk
    assert AttemptAnswer.objects.get(attempt=attempt, question_id=first["id"]).response == chosen


def test_tampered_post_changes_nothing(user, quiz_setup, enrolment):
    attempt = start(user, quiz_setup, enrolment)
    first = attempt.questions[0]
    services.attempt_answers_save(
        user=user,
        attempt=attempt,
        data=as_post(form_post(attempt, {f"q:{first['id']}": first["options"][0]["id"]})),
    )
    bad = {**correct_post(attempt), "q:not-in-this-attempt": "x"}
    with pytest.raises(grading.InvalidAnswerError):
        services.attempt_submit(user=user, attempt=attempt, data=as_post(bad))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS and attempt.score is None
    saved = dict(AttemptAnswer.objects.filter(attempt=attempt).values_list("question_id", "response"))
    assert saved[first["id"]] == first["options"][0]["id"]
    assert sum(1 for value in saved.values() if value is not None) == 1


def test_second_submit_is_refused_and_changes_no_score(user, quiz_setup, enrolment):
    attempt = start(user, quiz_setup, enrolment)
    services.attempt_submit(user=user, attempt=attempt, data=as_post(wrong_post(attempt)))
    with pytest.raises(services.AttemptClosedError):
        services.attempt_submit(user=user, attempt=attempt, data=as_post(correct_post(attempt)))
    attempt.refresh_from_db()
    assert attempt.percent == 0


def test_someone_elses_attempt_cannot_be_submitted(user, other_user, quiz_setup, enrolment):
    attempt = start(user, quiz_setup, enrolment)
    with pytest.raises(QuizAttempt.DoesNotExist):
        services.attempt_submit(user=other_user, attempt=attempt, data=as_post(correct_post(attempt)))
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_max_attempts(user, course, enrolment):
    quiz = make_quiz(course, max_attempts=2)
    module = course_modules(course)[0]
    block_id = add_quiz_block(module, quiz)
    for _ in range(2):
        attempt = services.attempt_start(
            user=user, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
        )
        services.attempt_submit(user=user, attempt=attempt, data=as_post(wrong_post(attempt)))
    with pytest.raises(services.AttemptsExhaustedError):
        services.attempt_start(user=user, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id)


class TestTimeLimit:
    @pytest.fixture
    def timed(self, course, enrolment, user):
        quiz = make_quiz(course, time_limit_minutes=10)
        module = course_modules(course)[0]
        block_id = add_quiz_block(module, quiz)
        return quiz, module, block_id

    def test_deadline_and_extra_time(self, user, other_user, timed, enrolment, course):
        quiz, module, block_id = timed
        attempt = services.attempt_start(
            user=user, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
        )
        assert attempt.deadline_at - attempt.started_at == pytest.approx(
            timedelta(minutes=10), abs=timedelta(seconds=1)
        )
        TimeAccommodation.objects.create(user=other_user, extra_percent=50)
        other_enrolment, _ = course_services.enrolment_create(user=other_user, course=course)
        extended = services.attempt_start(
            user=other_user, quiz=quiz, enrolment=other_enrolment, module=module, block_id=block_id
        )
        assert extended.deadline_at - extended.started_at == pytest.approx(
            timedelta(minutes=15), abs=timedelta(seconds=1)
        )

    def test_within_grace_the_submit_counts(self, user, timed, enrolment, settings):
        quiz, module, block_id = timed
        attempt = services.attempt_start(
            user=user, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
        )
        QuizAttempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(seconds=5))
        attempt.refresh_from_db()
        graded = services.attempt_submit(user=user, attempt=attempt, data=as_post(correct_post(attempt)))
        assert graded.passed and not graded.expired

    def test_after_the_deadline_the_late_answers_are_not_counted(self, user, timed, enrolment):
        quiz, module, block_id = timed
        attempt = services.attempt_start(
            user=user, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
        )
        first = attempt.questions[0]
        right = next(o["id"] for o in first["options"] if o["correct"])
        services.attempt_answers_save(
            user=user, attempt=attempt, data=as_post(form_post(attempt, {f"q:{first['id']}": right}))
        )
        QuizAttempt.objects.filter(pk=attempt.pk).update(deadline_at=timezone.now() - timedelta(minutes=5))
        attempt.refresh_from_db()
        with pytest.raises(services.AttemptTimeUpError):
            services.attempt_answers_save(user=user, attempt=attempt, data=as_post(correct_post(attempt)))
        with pytest.raises(services.AttemptTimeUpError):
            services.attempt_submit(user=user, attempt=attempt, data=as_post(correct_post(attempt)))
        attempt.refresh_from_db()
        # Graded on what was saved in time: one of three right.
        assert attempt.status == AttemptStatus.GRADED and attempt.expired
        assert attempt.score == 1 and attempt.passed is False
        with pytest.raises(services.AttemptClosedError):
            services.attempt_submit(user=user, attempt=attempt, data=as_post(correct_post(attempt)))


def option(question, *, correct: bool) -> str:
    return next(o["id"] for o in question["options"] if o["correct"] is correct)


def test_item_analysis_counts_share_correct_and_discrimination(course):
    """Ten learners: the five strongest answer the hard question right, the five weakest do not."""
    from assessments.selectors import item_analysis

    quiz = make_quiz(
        course, questions=[q_single("Lett"), q_single("Vanskelig"), q_single("Tredje"), q_likert()]
    )
    module = course_modules(course)[0]
    block_id = add_quiz_block(module, quiz)
    for number in range(10):
        learner = UserFactory()
        enrolment, _ = course_services.enrolment_create(user=learner, course=course)
        attempt = services.attempt_start(
            user=learner, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
        )
        easy, hard, third, likert = attempt.questions
        post = {
            f"q:{easy['id']}": next(o["id"] for o in easy["options"] if o["correct"]),
            f"q:{likert['id']}": "3",
        }
        strong = number >= 5
        post[f"q:{hard['id']}"] = option(hard, correct=strong)
        if number % 2:
            post[f"q:{third['id']}"] = option(third, correct=strong)
        services.attempt_submit(user=learner, attempt=attempt, data=as_post(form_post(attempt, post)))

    attempts, items = item_analysis(quiz=quiz)
    by_text = {item.text: item for item in items}
    assert attempts == 10
    assert by_text["Lett"].share_correct == 1.0 and by_text["Lett"].discrimination == 0.0
    assert by_text["Vanskelig"].share_correct == 0.5 and by_text["Vanskelig"].discrimination == 1.0
    assert by_text["Tredje"].answered == 5
    assert by_text["Jeg føler meg trygg."].mean_rating == 3.0


def test_clearing_an_autosaved_answer_is_saved_and_graded_as_unanswered(user, quiz_setup, enrolment):
    attempt = start(user, quiz_setup, enrolment)
    right = correct_post(attempt)
    services.attempt_answers_save(user=user, attempt=attempt, data=as_post(right))
    first = attempt.questions[0]["id"]
    name = "q:" + FormTokens.for_attempt(attempt).question(first)
    cleared = {**{k: v for k, v in right.items() if not k.startswith(name)}, f"{name}:shown": "1"}
    graded = services.attempt_submit(user=user, attempt=attempt, data=as_post(cleared))
    assert AttemptAnswer.objects.get(attempt=attempt, question_id=first).response is None
    assert graded.score == 2


def test_restarting_the_course_gives_the_attempts_back(user, course, enrolment):
    from assessments.selectors import quiz_standing

    quiz = make_quiz(course, max_attempts=1)
    module = course_modules(course)[0]
    block_id = add_quiz_block(module, quiz)
    attempt = services.attempt_start(
        user=user, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
    )
    services.attempt_submit(user=user, attempt=attempt, data=as_post(correct_post(attempt)))
    for other in course_modules(course)[1:]:
        course_services.module_complete(user=user, module=other)
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert quiz_standing(user=user, quiz=quiz).attempts_left == 0

    course_services.enrolment_restart(user=user, course=course)
    assert quiz_standing(user=user, quiz=quiz).attempts_left == 1
    again = services.attempt_start(
        user=user, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
    )
    services.attempt_submit(user=user, attempt=again, data=as_post(correct_post(again)))
    assert ModuleProgress.objects.get(enrolment=enrolment, module=module).completed_at is not None
