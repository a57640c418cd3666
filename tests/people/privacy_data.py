"""A learner who has left a trace in every table that holds personal data, for the privacy tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.utils import timezone

from tests.factories import UserFactory, add_member, complete_course, make_quiz, make_unit


@dataclass
class Trace:
    user: object
    enrolment: object
    needles: tuple[str, ...]  # text that names the person or that they wrote


def leave_trace(course, *, first_name: str, last_name: str, email: str, words: str) -> Trace:
    """Enrol, complete (a certificate follows), quiz, reflect, H5P, self-assess, belong to a unit,
    ask for deletion. `words` is what they wrote: reflection text and an H5P typed answer."""
    from assessments.models import (
        AttemptAnswer,
        QuizAttempt,
        ReflectionAnswer,
        ReflectionFeedback,
        SelfAssessment,
        SelfAssessmentRating,
        TimeAccommodation,
    )
    from courses.models import CompetenceArea
    from courses.selectors import course_modules
    from h5p.models import H5PContent, H5PResult, H5PStatement
    from people.models import DeletionRequest

    user = UserFactory(first_name=first_name, last_name=last_name, email=email, profession=f"{words} yrke")
    add_member(user, make_unit(f"Enhet {user.pk}"))
    enrolment = complete_course(user, course)
    module = course_modules(course)[0]
    quiz = make_quiz(course)
    question = {
        "id": "q1",
        "type": "single_choice",
        "text": "Hva er riktig?",
        "options": [
            {"id": "a", "text": "Riktig", "correct": True},
            {"id": "b", "text": "Feil", "correct": False},
        ],
        "display_order": ["a", "b"],
        "max_score": 1,
    }
    now = timezone.now()
    attempt = QuizAttempt.objects.create(
        user=user,
        quiz=quiz,
        enrolment=enrolment,
        module=module,
        block_id="quizblock",
        number=1,
        status="graded",
        questions=[question],
        submitted_at=now,
        score=1,
        max_score=1,
        percent=100,
        passed=True,
    )
    AttemptAnswer.objects.create(
        attempt=attempt, question_id="q1", position=1, response="a", answered_at=now, score=1, is_correct=True
    )
    reflection = ReflectionAnswer.objects.create(
        user=user,
        course=course,
        module=module,
        block_id="refl",
        prompt="Hva lærte du?",
        text=f"<p>{words} refleksjon</p>",
        status="submitted",
        submitted_at=now,
        shared_at=now,
    )
    ReflectionFeedback.objects.create(
        reflection=reflection, author=None, text=f"Svar til {first_name}: {words}"
    )
    TimeAccommodation.objects.create(user=user, extra_percent=50, note=f"{words} dysleksi")
    area = CompetenceArea.objects.get_or_create(slug="kommunikasjon", defaults={"name": "Kommunikasjon"})[0]
    assessment = SelfAssessment.objects.create(enrolment=enrolment, phase="pre")
    SelfAssessmentRating.objects.create(assessment=assessment, area=area, rating=4)
    content = H5PContent.objects.get_or_create(title="Sant eller usant", defaults={"status": "ready"})[0]
    result = H5PResult.objects.create(
        user=user, module=module, block_id="h5pblock", content=content, state=f'{{"typed": "{words} h5p"}}'
    )
    H5PStatement.objects.create(
        result=result,
        verb="http://adlnet.gov/expapi/verbs/answered",
        statement={
            "actor": {"name": f"{first_name} {last_name}", "mbox": f"mailto:{email}"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
            "object": {"id": "urn:h5p"},
            "result": {"response": f"{words} xapi", "score": {"raw": 1, "max": 1}},
        },
    )
    DeletionRequest.objects.create(user=user, name=user.full_name, email=user.email)
    return Trace(user=user, enrolment=enrolment, needles=(first_name, last_name, email, words))


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def text_anywhere(needle: str) -> list[str]:
    """Every table.column in the database whose value contains `needle` (case-insensitive)."""
    needle = needle.lower()
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields or model._meta.proxy:
            continue
        for row in model._base_manager.values_list(*[f.attname for f in fields]):
            for field, value in zip(fields, row, strict=True):
                if value is not None and needle in str(value).lower():
                    found.append(f"{model._meta.db_table}.{field.column}")
    return found
