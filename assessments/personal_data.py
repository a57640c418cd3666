"""assessments' part of «Mine data», and what it erases when an account is anonymised.

Kept on anonymisation (counts and scores for the statistics, linked only to the nameless account):
quiz attempts and their chosen options, that a reflection was submitted, self-assessment ratings.
Erased: the reflections' text and the course holders' replies to them, and extra time on quizzes
(its note may say why). Course evaluation answers are stored without any link to the person
(EvaluationResponse), so they can be neither exported nor erased for one person.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from people.privacy import register_personal_data
from people.signals import user_anonymising

from . import grading
from .models import (
    EvaluationSubmission,
    QuizAttempt,
    ReflectionAnswer,
    ReflectionFeedback,
    SelfAssessment,
    TimeAccommodation,
)


def _answer_text(question: dict, response) -> list[str] | object:
    try:
        return grading.response_text(question, response)
    except Exception:  # an old snapshot the current code cannot read: the answer as stored
        return response


def collect_quiz_attempts(user) -> list[dict]:
    """Each attempt with the questions as the learner saw them and their own answers; no answer key."""
    records = []
    attempts = (
        QuizAttempt.objects.filter(user=user)
        .select_related("quiz", "module")
        .prefetch_related("answers")
        .order_by("started_at")
    )
    for attempt in attempts:
        questions = {question["id"]: question for question in attempt.questions or []}
        records.append(
            {
                "test": attempt.quiz.title,
                "modul": attempt.module.title,
                "forsok": attempt.number,
                "status": attempt.get_status_display(),
                "startet": attempt.started_at,
                "levert": attempt.submitted_at,
                "tiden_gikk_ut": attempt.expired,
                "poeng": attempt.score,
                "maks_poeng": attempt.max_score,
                "prosent": attempt.percent,
                "bestatt": attempt.passed,
                "svar": [
                    {
                        "sporsmal": questions.get(answer.question_id, {}).get("text", ""),
                        "ditt_svar": _answer_text(questions[answer.question_id], answer.response)
                        if answer.question_id in questions and answer.response is not None
                        else answer.response,
                        "besvart": answer.answered_at,
                        "poeng": answer.score if attempt.status != "in_progress" else None,
                        "riktig": answer.is_correct if attempt.status != "in_progress" else None,
                    }
                    for answer in attempt.answers.all()
                ],
            }
        )
    return records


def collect_reflections(user) -> list[dict]:
    return [
        {
            "kurs": reflection.course.title,
            "modul": reflection.module.title,
            "sporsmal": reflection.prompt,
            "ditt_svar": reflection.text,
            "status": reflection.get_status_display(),
            "sist_lagret": reflection.updated_at,
            "levert": reflection.submitted_at,
            "delt_med_kursholderne": reflection.shared_at,
            "tilbakemeldinger": [
                {"tekst": feedback.text, "skrevet": feedback.created_at}
                for feedback in reflection.feedback.all()
            ],
        }
        for reflection in ReflectionAnswer.objects.filter(user=user)
        .select_related("course", "module")
        .prefetch_related("feedback")
        .order_by("updated_at")
    ]


def collect_evaluations(user) -> list[dict]:
    return [
        {
            "kurs": submission.enrolment.course.title,
            "runde": submission.round,
            "levert": submission.submitted_at,
            "merknad": str(
                _("Svarene i evalueringen lagres uten kobling til deg, så de kan ikke hentes ut for deg.")
            ),
        }
        for submission in EvaluationSubmission.objects.filter(enrolment__user=user)
        .select_related("enrolment__course")
        .order_by("submitted_at")
    ]


def collect_self_assessments(user) -> list[dict]:
    return [
        {
            "kurs": assessment.enrolment.course.title,
            "nar": assessment.get_phase_display(),
            "levert": assessment.submitted_at,
            "vurderinger": [
                {"omrade": str(rating.area), "vurdering": rating.rating}
                for rating in assessment.ratings.all()
            ],
        }
        for assessment in SelfAssessment.objects.filter(enrolment__user=user)
        .select_related("enrolment__course")
        .prefetch_related("ratings__area")
        .order_by("submitted_at")
    ]


def collect_time_accommodation(user) -> list[dict]:
    return [
        {"ekstra_tid_prosent": row.extra_percent, "merknad": row.note}
        for row in TimeAccommodation.objects.filter(user=user)
    ]


def on_user_anonymising(sender, user, **kwargs) -> None:
    reflections = ReflectionAnswer.objects.filter(user=user)
    ReflectionFeedback.objects.filter(reflection__in=reflections).update(text="")
    reflections.update(text="")
    TimeAccommodation.objects.filter(user=user).delete()


def register() -> None:
    register_personal_data(
        "kunnskapstester", title=_("Kunnskapstester"), collect=collect_quiz_attempts, order=30
    )
    register_personal_data("refleksjoner", title=_("Refleksjoner"), collect=collect_reflections, order=31)
    register_personal_data("evalueringer", title=_("Kursevalueringer"), collect=collect_evaluations, order=32)
    register_personal_data(
        "egenvurderinger", title=_("Egenvurderinger"), collect=collect_self_assessments, order=33
    )
    register_personal_data(
        "ekstra_tid", title=_("Ekstra tid på tester"), collect=collect_time_accommodation, order=34
    )
    user_anonymising.connect(on_user_anonymising, dispatch_uid="assessments_anonymise")
