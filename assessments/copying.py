"""Quizzes follow their course when it is copied, and a module is never published with a quiz it
cannot serve.

A quiz belongs to one course (attempts and completion are per course), and a module may only show
quizzes of its own course (`quiz_for_block` answers 404 otherwise). Wagtail's «Kopier» copies pages,
not snippets, so the copied modules would still point to the original course's quizzes; the
`after_copy_page` hook (wagtail_hooks.py) calls `quizzes_follow_copy` to give the copy its own.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import Page, ReferenceIndex

from courses.models import CoursePage, ModulePage

from .models import Quiz


def _course_id(module: Page) -> int | None:
    """The id of the course a module sits in (its parent page), from the tree path alone."""
    parent_path = module.path[: -ModulePage.steplen]
    return CoursePage.objects.filter(path=parent_path).values_list("pk", flat=True).first()


def _quiz_ids(raw_body) -> list[int]:
    return [
        block["value"]["quiz"]
        for block in raw_body or []
        if block.get("type") == "quiz" and isinstance(block.get("value"), dict) and block["value"].get("quiz")
    ]


def unservable_quizzes(*, module: ModulePage, raw_body=None) -> list[str]:
    """Why the module (as it would be published) cannot serve its quiz blocks: one message per quiz
    that is gone or belongs to another course. Empty when everything is in order."""
    raw_body = module.body.raw_data if raw_body is None else raw_body
    quiz_ids = _quiz_ids(raw_body)
    if not quiz_ids:
        return []
    course_id = _course_id(module)
    quizzes = {quiz.pk: quiz for quiz in Quiz.objects.filter(pk__in=quiz_ids)}
    problems = []
    for quiz_id in dict.fromkeys(quiz_ids):
        quiz = quizzes.get(quiz_id)
        if quiz is None:
            problems.append(
                _(
                    "«%(module)s» kan ikke publiseres: en kunnskapstest i modulen finnes ikke lenger. "
                    "Fjern blokken eller velg en test for dette kurset."
                )
                % {"module": module.title}
            )
        elif quiz.course_id != course_id:
            problems.append(
                _(
                    "«%(module)s» kan ikke publiseres: kunnskapstesten «%(quiz)s» hører til et annet kurs. "
                    "Velg en test for dette kurset."
                )
                % {"module": module.title, "quiz": quiz.title}
            )
    return problems


def _copy_quiz(quiz: Quiz, *, course_id: int) -> Quiz:
    """The same quiz (questions, ids and rules) for another course, with no attempts."""
    copy = Quiz.objects.get(pk=quiz.pk)
    copy.pk = None
    copy.course_id = course_id
    copy.save()
    return copy


def _relinked(raw_body, mapping: dict[int, int]):
    changed = False
    body = []
    for block in raw_body or []:
        if block.get("type") == "quiz" and isinstance(block.get("value"), dict):
            new_id = mapping.get(block["value"].get("quiz"))
            if new_id is not None:
                block = {**block, "value": {**block["value"], "quiz": new_id}}
                changed = True
        body.append(block)
    return body, changed


def _relink_module(module: ModulePage, mapping: dict[int, int]) -> None:
    """Point the module's quiz blocks (on the page and in every revision) at the copies."""
    body, changed = _relinked(module.body.raw_data, mapping)
    if changed:
        module.body = body
        module.save(update_fields=["body"], clean=False)
    for revision in module.revisions.all():
        content = revision.content
        stored = content.get("body")
        as_text = isinstance(stored, str)
        raw = json.loads(stored) if as_text else stored
        new_raw, changed = _relinked(raw, mapping)
        if changed:
            content["body"] = json.dumps(new_raw) if as_text else new_raw
            revision.content = content
            revision.save(update_fields=["content"])
    ReferenceIndex.create_or_update_for_object(module)


@transaction.atomic
def quizzes_follow_copy(*, source: Page, copy: Page) -> list[Quiz]:
    """After Wagtail copied `source` to `copy` (with or without sub-pages).

    A copied course gets a copy of each of the original course's quizzes; a module in the copy that
    shows a quiz of another course then shows that quiz's copy for its own course (a module copied on
    its own into another course gets copies of the quizzes it shows). Returns the new quizzes.
    """
    source, copy = source.specific, copy.specific
    copies: dict[tuple[int, int], Quiz] = {}  # (original quiz id, course id) -> copy
    if isinstance(source, CoursePage) and isinstance(copy, CoursePage):
        for quiz in Quiz.objects.filter(course=source).order_by("pk"):
            copies[(quiz.pk, copy.pk)] = _copy_quiz(quiz, course_id=copy.pk)

    modules = ModulePage.objects.filter(path__startswith=copy.path).order_by("path")
    for module in modules:
        quiz_ids = set(_quiz_ids(module.body.raw_data))
        for revision_content in module.revisions.values_list("content", flat=True):
            stored = revision_content.get("body")
            quiz_ids.update(_quiz_ids(json.loads(stored) if isinstance(stored, str) else stored))
        if not quiz_ids:
            continue
        course_id = _course_id(module)
        mapping = {}
        for quiz in Quiz.objects.filter(pk__in=quiz_ids).exclude(course_id=course_id):
            key = (quiz.pk, course_id)
            if key not in copies:
                copies[key] = _copy_quiz(quiz, course_id=course_id)
            mapping[quiz.pk] = copies[key].pk
        if mapping:
            _relink_module(module, mapping)
    return list(copies.values())
