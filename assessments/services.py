"""Writes for quizzes, reflections, the course evaluation and self-assessment.

Each function runs in a transaction and reports finished activities through
courses.services (activity_complete for a passed quiz or a submitted
reflection, course_step_complete for the evaluation), the one door to the
completion ledger. Errors a learner can cause are
AssessmentError subclasses whose message is shown as it is.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.sanitising import html_word_count, learner_html_clean, plain_text_to_html
from courses import services as course_services
from courses.models import CompetenceArea, CoursePage, Enrolment, ModulePage

from . import app_settings, grading, selectors
from .activities import EVALUATION, QUIZ, REFLECTION
from .formtokens import FormTokens
from .models import (
    AttemptAnswer,
    AttemptStatus,
    EvaluationResponse,
    EvaluationSubmission,
    Quiz,
    QuizAttempt,
    ReflectionAnswer,
    ReflectionFeedback,
    ReflectionStatus,
    SelfAssessment,
    SelfAssessmentPhase,
    SelfAssessmentRating,
    TimeAccommodation,
)

MAX_REFLECTION_CHARS = 50_000


class AssessmentError(Exception):
    """A request the learner (or a tampered form) made that cannot be carried out; str() is the message."""


class AttemptClosedError(AssessmentError):
    pass


class AttemptTimeUpError(AssessmentError):
    pass


class AttemptsExhaustedError(AssessmentError):
    pass


# Quizzes ---------------------------------------------------------------------------------------


def attempt_start(
    *, user, quiz: Quiz, enrolment: Enrolment, module: ModulePage, block_id: str
) -> QuizAttempt:
    """Start an attempt, or return the one already in progress.

    The partial unique constraint allows one attempt in progress per learner
    and quiz: of two simultaneous starts, the loser gets the winner's attempt.
    An attempt whose time ran out is closed (graded on what was saved) first.
    """
    current = selectors.attempt_in_progress(user=user, quiz=quiz)
    if current is not None:
        if not attempt_time_is_up(current):
            return current
        attempt_close_expired(attempt=current)
    earlier = QuizAttempt.objects.filter(user=user, quiz=quiz, status=AttemptStatus.GRADED)
    graded = earlier.count()
    # After "Ta kurset på nytt" the learner has the attempts again: count this round's only.
    round_start = selectors.attempt_round_start(user=user, course_id=quiz.course_id)
    this_round = earlier.filter(started_at__gt=round_start).count() if round_start else graded
    if quiz.max_attempts is not None and this_round >= quiz.max_attempts:
        raise AttemptsExhaustedError(_("Du har brukt alle forsøkene på denne testen."))

    rng = random.SystemRandom()
    blocks = list(quiz.questions)
    if quiz.questions_per_attempt and quiz.questions_per_attempt < len(blocks):
        drawn_ids = {block.id for block in rng.sample(blocks, quiz.questions_per_attempt)}
        blocks = [block for block in blocks if block.id in drawn_ids]
    if quiz.shuffle_questions:
        rng.shuffle(blocks)
    questions = [grading.question_snapshot(b, shuffle_options=quiz.shuffle_options, rng=rng) for b in blocks]

    now = timezone.now()
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                user=user,
                quiz=quiz,
                enrolment=enrolment,
                module=module,
                block_id=block_id,
                number=graded + 1,
                questions=questions,
                deadline_at=_deadline(user=user, quiz=quiz, start=now),
            )
            AttemptAnswer.objects.bulk_create(
                AttemptAnswer(attempt=attempt, question_id=q["id"], position=n, max_score=q["max_score"])
                for n, q in enumerate(questions, start=1)
            )
    except IntegrityError:
        current = selectors.attempt_in_progress(user=user, quiz=quiz)
        if current is None:
            raise
        return current
    return attempt


def _deadline(*, user, quiz: Quiz, start):
    if not quiz.time_limit_minutes:
        return None
    extra = TimeAccommodation.objects.filter(user=user).values_list("extra_percent", flat=True).first() or 0
    return start + timedelta(minutes=quiz.time_limit_minutes * (100 + extra) / 100)


def attempt_time_is_up(attempt: QuizAttempt, now=None) -> bool:
    """Past the deadline plus the grace period that absorbs a slow network at the last second."""
    if attempt.deadline_at is None:
        return False
    grace = timedelta(seconds=app_settings.QUIZ_DEADLINE_GRACE_SECONDS)
    return (now or timezone.now()) > attempt.deadline_at + grace


def _locked_attempt(*, attempt_id: int, user) -> QuizAttempt:
    # The user filter keeps anyone else's attempt out even if an id leaks.
    return QuizAttempt.objects.select_for_update().select_related("quiz").get(pk=attempt_id, user=user)


def attempt_answers_save(*, user, attempt: QuizAttempt, data) -> int:
    """Save answers as the learner goes (autosave); returns how many were saved (a cleared one counts).

    `data` is the attempt page's post, in the attempt's tokens (formtokens.py); answers are stored
    with the questions' own ids. Everything in the post is checked before anything is written.
    """
    answers = FormTokens.for_attempt(attempt).answers(data)
    with transaction.atomic():
        attempt = _locked_attempt(attempt_id=attempt.pk, user=user)
        if not attempt.is_in_progress:
            raise AttemptClosedError(_("Dette forsøket er allerede levert."))
        if attempt_time_is_up(attempt):
            raise AttemptTimeUpError(_("Tiden er ute. Svar som kom etter fristen er ikke lagret."))
        _store_answers(attempt=attempt, answers=answers)
    return len(answers)


def _store_answers(*, attempt: QuizAttempt, answers: dict) -> None:
    if not answers:
        return
    now = timezone.now()
    rows = list(AttemptAnswer.objects.filter(attempt=attempt, question_id__in=list(answers)))
    for row in rows:
        row.response = answers[row.question_id]
        row.answered_at = now
    AttemptAnswer.objects.bulk_update(rows, ["response", "answered_at"])


def attempt_submit(*, user, attempt: QuizAttempt, data) -> QuizAttempt:
    """Save the last answers and grade the attempt, exactly once.

    The attempt row is locked: of fifty simultaneous submits one grades and
    the rest find it already graded. A submit after the deadline (plus grace)
    saves nothing; the attempt is graded on the answers saved in time.
    """
    answers = FormTokens.for_attempt(attempt).answers(data)
    with transaction.atomic():
        attempt = _locked_attempt(attempt_id=attempt.pk, user=user)
        if not attempt.is_in_progress:
            raise AttemptClosedError(_("Dette forsøket er allerede levert. Svarene ble ikke endret."))
        if attempt_time_is_up(attempt):
            _grade(attempt=attempt, expired=True)
            time_up = True
        else:
            _store_answers(attempt=attempt, answers=answers)
            _grade(attempt=attempt, expired=False)
            time_up = False
    if time_up:
        raise AttemptTimeUpError(
            _("Tiden var ute da svarene kom. Forsøket er vurdert ut fra svarene som ble lagret før fristen.")
        )
    return attempt


def attempt_close_expired(*, attempt: QuizAttempt) -> QuizAttempt:
    """Grade an attempt whose time ran out, on the answers saved before the deadline."""
    with transaction.atomic():
        attempt = _locked_attempt(attempt_id=attempt.pk, user=attempt.user_id)
        if attempt.is_in_progress and attempt_time_is_up(attempt):
            _grade(attempt=attempt, expired=True)
    return attempt


def _grade(*, attempt: QuizAttempt, expired: bool) -> None:
    """Score every answer on the server and record the result; a pass completes the activity."""
    questions = {q["id"]: q for q in attempt.questions}
    rows = list(AttemptAnswer.objects.filter(attempt=attempt))
    for row in rows:
        row.score, row.is_correct = grading.score_answer(questions[row.question_id], row.response)
    AttemptAnswer.objects.bulk_update(rows, ["score", "is_correct"])
    max_score = sum(row.max_score for row in rows)
    score = sum(row.score for row in rows)
    attempt.score = score
    attempt.max_score = max_score
    attempt.percent = round(100 * score / max_score, 1) if max_score else 0.0
    attempt.passed = attempt.percent >= attempt.quiz.pass_percent
    attempt.status = AttemptStatus.GRADED
    attempt.submitted_at = timezone.now()
    attempt.expired = expired
    attempt.save(
        update_fields=["score", "max_score", "percent", "passed", "status", "submitted_at", "expired"]
    )
    if attempt.passed:
        # A failed attempt never reaches the completion service.
        course_services.activity_complete(
            user=attempt.user, module=attempt.module, block_id=attempt.block_id, kind=QUIZ
        )


# Reflections ----------------------------------------------------------------------------------


def reflection_text_clean(*, text: str, is_html: bool) -> str:
    """The learner's text as safe HTML: editor HTML through the allow-list, plain text as paragraphs."""
    if len(text) > MAX_REFLECTION_CHARS:
        raise AssessmentError(
            _("Svaret er for langt (høyst %(count)s tegn).") % {"count": MAX_REFLECTION_CHARS}
        )
    return learner_html_clean(text) if is_html else plain_text_to_html(text)


def reflection_save(
    *, user, module: ModulePage, block_id: str, prompt: str, text: str, is_html: bool, submit: bool
) -> ReflectionAnswer:
    """Save a draft (autosave) or submit the answer; submitting completes the activity.

    A submitted answer can still be edited; it stays submitted.
    """
    enrolment = course_services.enrolment_for_module(user=user, module=module)
    block = selectors.reflection_block(module=module, block_id=block_id)
    clean = reflection_text_clean(text=text, is_html=is_html)
    if submit:
        min_words = block.get("min_words") or 0
        words = html_word_count(clean)
        if words == 0:
            raise AssessmentError(_("Skriv et svar før du leverer."))
        if words < min_words:
            raise AssessmentError(
                _("Svaret har %(words)s ord. Skriv minst %(min)s ord før du leverer.")
                % {"words": words, "min": min_words}
            )
    now = timezone.now()
    with transaction.atomic():
        answer, _created = ReflectionAnswer.objects.select_for_update().get_or_create(
            user=user,
            module=module,
            block_id=block_id,
            defaults={"course_id": enrolment.course_id, "prompt": prompt},
        )
        answer.text = clean
        answer.prompt = prompt
        fields = ["text", "prompt", "updated_at"]
        newly_submitted = submit and answer.status != ReflectionStatus.SUBMITTED
        if newly_submitted:
            answer.status = ReflectionStatus.SUBMITTED
            answer.submitted_at = now
            fields += ["status", "submitted_at"]
        answer.save(update_fields=fields)
    if submit:
        # Also on a re-submit: after "Ta kurset på nytt" the new round needs it again.
        course_services.activity_complete(user=user, module=module, block_id=block_id, kind=REFLECTION)
    return answer


def reflection_share(*, user, reflection: ReflectionAnswer, share: bool) -> ReflectionAnswer:
    """Share a submitted answer with the course's holders, or take it back."""
    if reflection.user_id != user.pk:
        raise ReflectionAnswer.DoesNotExist
    if share and reflection.status != ReflectionStatus.SUBMITTED:
        raise AssessmentError(_("Lever svaret før du deler det."))
    ReflectionAnswer.objects.filter(pk=reflection.pk).update(shared_at=timezone.now() if share else None)
    reflection.refresh_from_db(fields=["shared_at"])
    return reflection


def reflection_feedback_add(*, author, reflection: ReflectionAnswer, text: str) -> ReflectionFeedback:
    """A course holder replies to a shared reflection in a course they edit."""
    if not selectors.can_read_shared_reflection(user=author, reflection=reflection):
        raise ReflectionAnswer.DoesNotExist
    text = text.strip()
    if not text:
        raise AssessmentError(_("Skriv en tilbakemelding."))
    return ReflectionFeedback.objects.create(reflection=reflection, author=author, text=text[:5000])


# Course evaluation and self-assessment -------------------------------------------------------


def evaluation_submit(*, user, course: CoursePage, answers: dict) -> None:
    """Record the learner's evaluation anonymously and complete the course if it was the last step.

    The submission (who) and the response (what) are separate rows with no
    link between them. The one-to-one submission turns a second submit into
    an error before any response is stored.
    """
    if not course.evaluation_enabled:
        raise AssessmentError(_("Dette kurset har ikke kursevaluering."))
    now = timezone.now()
    with transaction.atomic():
        enrolment = course_services.enrolment_lock(user=user, course=course)
        if not selectors.evaluation_is_open(enrolment=enrolment, course=course):
            raise AssessmentError(_("Kursevalueringen åpner når du har fullført alle modulene."))
        try:
            with transaction.atomic():
                EvaluationSubmission.objects.create(enrolment=enrolment, round=enrolment.round)
        except IntegrityError:
            raise AssessmentError(_("Du har allerede evaluert dette kurset. Takk!")) from None
        EvaluationResponse.objects.create(course=course, month=now.date().replace(day=1), **answers)
        course_services.course_step_complete(enrolment=enrolment, kind=EVALUATION)


def self_assessment_submit(
    *, user, course: CoursePage, phase: str, ratings: dict[int, int]
) -> SelfAssessment:
    """Store the learner's confidence (1–5) per competence area of the course, once per phase."""
    if not course.self_assessment_enabled:
        raise AssessmentError(_("Dette kurset har ikke egenvurdering."))
    area_ids = set(course.competence_areas.values_list("pk", flat=True))
    if set(ratings) != area_ids or not all(1 <= r <= 5 for r in ratings.values()):
        raise AssessmentError(_("Vurder hvert kompetanseområde fra 1 til 5."))
    with transaction.atomic():
        enrolment = course_services.enrolment_lock(user=user, course=course)
        if phase == SelfAssessmentPhase.POST and enrolment.completed_at is None:
            raise AssessmentError(_("Egenvurderingen etter kurset åpner når kurset er fullført."))
        try:
            with transaction.atomic():
                assessment = SelfAssessment.objects.create(enrolment=enrolment, phase=phase)
        except IntegrityError:
            raise AssessmentError(_("Du har allerede svart på denne egenvurderingen.")) from None
        SelfAssessmentRating.objects.bulk_create(
            SelfAssessmentRating(assessment=assessment, area=CompetenceArea(pk=area_id), rating=rating)
            for area_id, rating in ratings.items()
        )
    return assessment
