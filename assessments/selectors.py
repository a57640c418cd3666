"""Reads for assessments: attempts, grades, reflections and the course holders' reports.

Who may read what is decided here:
* attempts and reflections: only their learner (`attempt_for_learner`, `reflection_for_learner`);
* a shared reflection: the holders of its course, i.e. users who may edit the
  course page (`can_read_shared_reflection`); never managers;
* reports: course holders of the course; evaluation results only from
  EVALUATION_MIN_RESPONSES answers, and never tied to a person.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import mean

from django.core.cache import cache
from django.db.models import Avg, Count, Q
from wagtail.permission_policies.pages import PagePermissionPolicy

from content.routing import ROUTE_CACHE_TTL, content_cache_key
from courses.models import CourseCompletion, CoursePage, Enrolment, ModulePage
from courses.selectors import all_modules_completed, module_block, module_blocks

from . import app_settings
from .blocks import QuestionType
from .evaluation import FREE_TEXT_ITEMS, LIKERT_CHOICES, LIKERT_ITEMS
from .models import (
    AttemptAnswer,
    AttemptStatus,
    EvaluationResponse,
    EvaluationSubmission,
    GradingMethod,
    Quiz,
    QuizAttempt,
    ReflectionAnswer,
    ReviewPolicy,
    SelfAssessment,
    SelfAssessmentPhase,
    SelfAssessmentRating,
)

# Share of attempts in each of the upper and lower groups for the discrimination index (Kelley's 27 %).
DISCRIMINATION_GROUP_SHARE = 0.27
DISCRIMINATION_MIN_ATTEMPTS = 10


# Blocks in a module ------------------------------------------------------------------------------


def quizzes_in_bulk(quiz_ids: list) -> dict:
    """Quizzes by id (as the ids were given), from the shared cache under the content generation;
    one query for those it does not hold. For rendering quiz blocks: never for grading, which reads
    the quiz from the database (quiz_for_block)."""
    keys = {quiz_id: content_cache_key("quiz", quiz_id) for quiz_id in dict.fromkeys(quiz_ids)}
    cached = cache.get_many(list(keys.values()))
    found = {quiz_id: cached[key] for quiz_id, key in keys.items() if key in cached}
    missing = [quiz_id for quiz_id in keys if quiz_id not in found]
    if missing:
        # Without the questions: a quiz block shows the quiz's title and rules, never its questions.
        loaded = Quiz.objects.defer("questions").in_bulk([_as_int(quiz_id) for quiz_id in missing])
        by_given_id = {quiz_id: loaded[_as_int(quiz_id)] for quiz_id in missing if _as_int(quiz_id) in loaded}
        cache.set_many({keys[quiz_id]: quiz for quiz_id, quiz in by_given_id.items()}, ROUTE_CACHE_TTL)
        found |= by_given_id
    return found


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def quiz_for_block(*, module: ModulePage, block_id: str) -> Quiz:
    """The quiz a module's quiz block shows; Quiz.DoesNotExist if the block or quiz is gone
    or the quiz belongs to another course."""
    block = module_block(module, block_id=block_id, block_type="quiz")
    if block is None:
        raise Quiz.DoesNotExist
    course_path = module.path[: -ModulePage.steplen]
    return Quiz.objects.get(pk=block["value"]["quiz"], course__path=course_path)


def reflection_block(*, module: ModulePage, block_id: str) -> dict:
    block = module_block(module, block_id=block_id, block_type="reflection")
    if block is None:
        raise ReflectionAnswer.DoesNotExist
    return block["value"]


# Attempts and grades ----------------------------------------------------------------------------


def attempt_in_progress(*, user, quiz: Quiz) -> QuizAttempt | None:
    return (
        QuizAttempt.objects.select_related("quiz")
        .filter(user=user, quiz=quiz, status=AttemptStatus.IN_PROGRESS)
        .first()
    )


def attempt_for_learner(*, user, public_id) -> QuizAttempt:
    """The attempt, if it is the user's own; QuizAttempt.DoesNotExist for anyone else's."""
    if not user.is_authenticated:
        raise QuizAttempt.DoesNotExist
    return QuizAttempt.objects.select_related("quiz", "module").get(public_id=public_id, user=user)


def attempt_answers(attempt: QuizAttempt) -> dict[str, AttemptAnswer]:
    return {a.question_id: a for a in AttemptAnswer.objects.filter(attempt=attempt)}


@dataclass(frozen=True)
class QuizStanding:
    """A learner's attempts at a quiz and what they add up to."""

    attempts: list[QuizAttempt]
    grade: QuizAttempt | None  # the attempt that counts, by the quiz's grading method
    has_passed: bool
    in_progress: QuizAttempt | None
    attempts_left: int | None  # None: unlimited


def attempt_round_start(*, user, course_id: int, enrolment: Enrolment | None = None):
    """When the learner's current round of a course began, or None for the first round.

    A round ends with a completion; "Ta kurset på nytt" starts the next, in which the learner
    has the quiz's attempts again. While the enrolment is completed, the current round is the
    one that completion ended, so it began at the completion before it. A caller that holds the
    learner's enrolment in the course passes it and spares a query.
    """
    if enrolment is not None:
        completed_at = enrolment.completed_at
    else:
        completed_at = (
            Enrolment.objects.filter(user=user, course_id=course_id)
            .values_list("completed_at", flat=True)
            .first()
        )
    completions = list(
        CourseCompletion.objects.filter(enrolment__user=user, enrolment__course_id=course_id)
        .order_by("-completed_at")
        .values_list("completed_at", flat=True)[:2]
    )
    if completed_at is not None:
        completions = completions[1:]
    return completions[0] if completions else None


def quiz_standing(*, user, quiz: Quiz) -> QuizStanding:
    attempts = list(QuizAttempt.objects.filter(user=user, quiz=quiz).order_by("number"))
    return _standing(quiz, attempts, round_start=attempt_round_start(user=user, course_id=quiz.course_id))


def _standing(quiz: Quiz, attempts: list[QuizAttempt], *, round_start) -> QuizStanding:
    graded = [a for a in attempts if a.status == AttemptStatus.GRADED]
    this_round = [a for a in graded if round_start is None or a.started_at > round_start]
    if not graded:
        grade = None
    elif quiz.grading_method == GradingMethod.LAST:
        grade = graded[-1]
    else:
        grade = max(graded, key=lambda a: (a.percent, -a.number))
    return QuizStanding(
        attempts=attempts,
        grade=grade,
        has_passed=any(a.passed for a in graded),
        in_progress=next((a for a in attempts if a.status == AttemptStatus.IN_PROGRESS), None),
        attempts_left=None if quiz.max_attempts is None else max(0, quiz.max_attempts - len(this_round)),
    )


def quiz_states(
    *, user, module: ModulePage, block_ids: list[str], enrolment: Enrolment | None = None
) -> dict[str, QuizStanding]:
    """Per quiz block of the module (of `block_ids`): the learner's standing. A fixed number of queries.

    The quizzes come from the module's blocks, which the page loads anyway to render them (one
    query for all), so the attempts are read without their quiz.
    """
    quiz_ids = {
        b["id"]: b["value"]["quiz"] for b in module_blocks(module, block_type="quiz") if b["id"] in block_ids
    }
    if not quiz_ids:
        return {}
    attempts: dict[int, list[QuizAttempt]] = defaultdict(list)
    for attempt in QuizAttempt.objects.filter(user=user, quiz_id__in=set(quiz_ids.values())).order_by(
        "number"
    ):
        attempts[attempt.quiz_id].append(attempt)
    if not attempts:
        return {}
    quizzes = {
        block.value["quiz"].pk: block.value["quiz"]
        for block in module.body
        if block.id in quiz_ids and block.value.get("quiz") is not None
    }
    if not quizzes:
        return {}
    for quiz_id, rows in attempts.items():
        if quiz_id in quizzes:
            for attempt in rows:
                attempt.quiz = quizzes[quiz_id]
    some_quiz = next(iter(quizzes.values()))
    round_start = attempt_round_start(user=user, course_id=some_quiz.course_id, enrolment=enrolment)
    return {
        block_id: _standing(quizzes[quiz_id], attempts[quiz_id], round_start=round_start)
        for block_id, quiz_id in quiz_ids.items()
        if quiz_id in quizzes and quiz_id in attempts
    }


def reflection_states(*, user, module: ModulePage, block_ids: list[str]) -> dict[str, ReflectionAnswer]:
    """Per reflection block of the module: the learner's answer, if they have written one."""
    answers = ReflectionAnswer.objects.filter(user=user, module=module, block_id__in=block_ids)
    return {answer.block_id: answer for answer in answers}


def correct_answers_visible(*, attempt: QuizAttempt, has_passed: bool) -> bool:
    """Whether the learner may see the right answers of a graded attempt."""
    if attempt.is_in_progress:
        return False
    policy = attempt.quiz.review_policy
    if policy == ReviewPolicy.AFTER_EACH:
        return True
    return policy == ReviewPolicy.AFTER_PASS and has_passed


# Reflections ----------------------------------------------------------------------------------


def reflection_for_learner(*, user, block_id: str, module: ModulePage) -> ReflectionAnswer | None:
    if not user.is_authenticated:
        return None
    return ReflectionAnswer.objects.filter(user=user, module=module, block_id=block_id).first()


def reflections_of_learner(*, user) -> list[ReflectionAnswer]:
    return list(
        ReflectionAnswer.objects.filter(user=user)
        .select_related("course", "module")
        .prefetch_related("feedback")
        .order_by("course__title", "module__path", "block_id")
    )


def editable_courses(*, user):
    """Courses whose pages the user may edit: the courses they hold."""
    pages = PagePermissionPolicy().instances_user_has_any_permission_for(user, ["change"])
    return CoursePage.objects.filter(pk__in=pages.values("pk")).order_by("title")


def can_hold_course(*, user, course: CoursePage) -> bool:
    return course.permissions_for_user(user).can_edit()


def can_read_shared_reflection(*, user, reflection: ReflectionAnswer) -> bool:
    """Course holders read a reflection only once its learner has shared it."""
    if reflection.shared_at is None or not user.is_authenticated:
        return False
    return can_hold_course(user=user, course=reflection.course)


def shared_reflections(*, user, course: CoursePage):
    if not can_hold_course(user=user, course=course):
        return ReflectionAnswer.objects.none()
    return (
        ReflectionAnswer.objects.filter(course=course, shared_at__isnull=False)
        .select_related("user", "module")
        .annotate(feedback_count=Count("feedback"))
        .order_by("-shared_at")
    )


# Course evaluation and self-assessment ---------------------------------------------------------


def evaluation_submitted(*, enrolment: Enrolment | None) -> bool:
    """Whether the learner has answered the course evaluation in the current round (never what)."""
    return (
        enrolment is not None
        and EvaluationSubmission.objects.filter(enrolment=enrolment, round=enrolment.round).exists()
    )


def evaluation_is_open(*, enrolment: Enrolment, course: CoursePage) -> bool:
    """The evaluation opens when every published module is done (or the course is completed)."""
    return enrolment.completed_at is not None or all_modules_completed(enrolment=enrolment, course=course)


@dataclass(frozen=True)
class LikertSummary:
    field: str
    statement: str
    counts: list[tuple[str, int]]  # (option label, count) for 1..5
    mean: float


@dataclass(frozen=True)
class EvaluationSummary:
    responses: int
    shown: bool  # False below the minimum: nothing but the count is given
    items: list[LikertSummary]
    free_text: list[tuple[str, list[str]]]


def evaluation_summary(*, course: CoursePage) -> EvaluationSummary:
    responses = EvaluationResponse.objects.filter(course=course)
    total = responses.count()
    if total < app_settings.EVALUATION_MIN_RESPONSES:
        return EvaluationSummary(responses=total, shown=False, items=[], free_text=[])
    aggregates = {}
    for field, _statement in LIKERT_ITEMS:
        aggregates[f"{field}_mean"] = Avg(field)
        for value, _label in LIKERT_CHOICES:
            aggregates[f"{field}_{value}"] = Count("pk", filter=Q(**{field: value}))
    row = responses.aggregate(**aggregates)
    items = [
        LikertSummary(
            field=field,
            statement=str(statement),
            counts=[(str(label), row[f"{field}_{value}"]) for value, label in LIKERT_CHOICES],
            mean=round(row[f"{field}_mean"], 2),
        )
        for field, statement in LIKERT_ITEMS
    ]
    texts = list(responses.order_by("pk").values_list(*[field for field, _label in FREE_TEXT_ITEMS]))
    free_text = [
        (str(label), [t[index] for t in texts if t[index].strip()])
        for index, (_field, label) in enumerate(FREE_TEXT_ITEMS)
    ]
    return EvaluationSummary(responses=total, shown=True, items=items, free_text=free_text)


def self_assessment_due(*, enrolment: Enrolment | None, course: CoursePage) -> str | None:
    """Which self-assessment (pre or post) the learner should be offered now, if any."""
    if enrolment is None or not course.self_assessment_enabled:
        return None
    done = set(SelfAssessment.objects.filter(enrolment=enrolment).values_list("phase", flat=True))
    if SelfAssessmentPhase.PRE not in done and enrolment.completed_at is None:
        return SelfAssessmentPhase.PRE
    if enrolment.completed_at is not None and SelfAssessmentPhase.POST not in done:
        return SelfAssessmentPhase.POST
    return None


@dataclass(frozen=True)
class AreaChange:
    area: str
    learners: int  # learners with both a pre and a post rating for the area
    mean_pre: float | None
    mean_post: float | None

    @property
    def mean_change(self) -> float | None:
        if self.mean_pre is None or self.mean_post is None:
            return None
        return round(self.mean_post - self.mean_pre, 2)


def self_assessment_change(*, course: CoursePage) -> list[AreaChange]:
    """Average confidence before and after, per competence area, over learners who answered both."""
    rows = SelfAssessmentRating.objects.filter(assessment__enrolment__course=course).values_list(
        "assessment__enrolment_id", "assessment__phase", "area_id", "rating"
    )
    ratings: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for enrolment_id, phase, area_id, rating in rows:
        ratings[(enrolment_id, area_id)][phase] = rating
    changes = []
    for area in course.competence_areas.all():
        pairs = [r for (_e, a), r in ratings.items() if a == area.pk and len(r) == 2]
        changes.append(
            AreaChange(
                area=area.localized_name,
                learners=len(pairs),
                mean_pre=round(mean(p["pre"] for p in pairs), 2) if pairs else None,
                mean_post=round(mean(p["post"] for p in pairs), 2) if pairs else None,
            )
        )
    return changes


# Item analysis ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemStatistics:
    question_id: str
    text: str
    kind: str
    presented: int  # attempts that drew the question
    answered: int
    share_correct: float | None  # share of presented answers that were fully correct
    mean_score: float | None
    discrimination: float | None  # upper-group minus lower-group mean score, -1..1
    mean_rating: float | None  # Likert only


def item_analysis(*, quiz: Quiz) -> tuple[int, list[ItemStatistics]]:
    """Per question: how often it was drawn and answered, how many got it right, and how well it
    separates strong from weak attempts (discrimination index, upper vs lower 27 %).

    Returns (number of graded attempts, statistics in the quiz's question order). One query for the
    answers, whatever the number of questions or attempts.
    """
    rows = list(
        AttemptAnswer.objects.filter(attempt__quiz=quiz, attempt__status=AttemptStatus.GRADED).values_list(
            "attempt_id", "question_id", "response", "score", "max_score", "is_correct", "attempt__percent"
        )
    )
    attempt_percent = {row[0]: row[6] for row in rows}
    ranked = sorted(attempt_percent, key=lambda attempt_id: attempt_percent[attempt_id])
    group_size = int(len(ranked) * DISCRIMINATION_GROUP_SHARE)
    if len(ranked) >= DISCRIMINATION_MIN_ATTEMPTS and group_size:
        lower, upper = set(ranked[:group_size]), set(ranked[-group_size:])
    else:
        lower = upper = set()

    by_question: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        by_question[row[1]].append(row)

    texts = {block.id: (block.value["text"], block.block_type) for block in quiz.questions}
    ordered_ids = list(texts) + [qid for qid in by_question if qid not in texts]
    stats = []
    for question_id in ordered_ids:
        answers = by_question.get(question_id, [])
        text, kind = texts.get(question_id, ("", ""))
        presented = len(answers)
        answered = [a for a in answers if a[2] is not None]
        if kind == QuestionType.LIKERT:
            ratings = [a[2] for a in answered]
            stats.append(
                ItemStatistics(
                    question_id,
                    text,
                    kind,
                    presented,
                    len(answered),
                    None,
                    None,
                    None,
                    round(mean(ratings), 2) if ratings else None,
                )
            )
            continue
        ratios = {a[0]: (a[3] or 0) / a[4] for a in answers if a[4]}
        upper_scores = [r for attempt_id, r in ratios.items() if attempt_id in upper]
        lower_scores = [r for attempt_id, r in ratios.items() if attempt_id in lower]
        stats.append(
            ItemStatistics(
                question_id=question_id,
                text=text,
                kind=kind,
                presented=presented,
                answered=len(answered),
                share_correct=round(sum(1 for a in answers if a[5]) / presented, 2) if presented else None,
                mean_score=round(mean(ratios.values()), 2) if ratios else None,
                discrimination=(
                    round(mean(upper_scores) - mean(lower_scores), 2)
                    if upper_scores and lower_scores
                    else None
                ),
                mean_rating=None,
            )
        )
    return len(ranked), stats
