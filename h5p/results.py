"""Learners' H5P results: opening content, recording statements, and reporting completion.

Whether a block is done follows the completion rule the course holder chose for it
(opened, answered, or a score of at least X %); "opened" means the frame showed the content
without a startup error (result_rendered), not that the player page was served. Every time the
rule is met it is reported to courses' one door (activity_complete), which records it once per round:
after «Ta kurset på nytt» the learner does the activity again and it reports again.

A statement sent again (the same statement id, or the same statement in the same round) is
stored once and changes nothing the second time; the answer is the same.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from courses import selectors as course_selectors
from courses import services as course_services

from .activities import H5P
from .models import H5PResult, H5PStatement
from .selectors import answer_statements
from .xapi import ParsedStatement


def rule_met(rule: dict, *, answered: bool, percent: float | None) -> bool:
    """Whether what just happened meets the block's completion rule.

    Judged on this event alone (opening, or one answer), never on earlier results: after
    «Ta kurset på nytt» an answer from the earlier round must not complete the new one.
    """
    kind = rule.get("completion_rule", "completed")
    return (
        kind == "opened"
        or (kind == "completed" and answered)
        or (
            kind == "score"
            and answered
            and percent is not None
            and percent >= (rule.get("pass_percent") or 0)
        )
    )


def _report_if_rule_met(
    result: H5PResult, rule: dict, *, answered: bool, percent: float | None = None
) -> bool:
    if not rule_met(rule, answered=answered, percent=percent):
        return False
    if result.completed_at is None:
        H5PResult.objects.filter(pk=result.pk, completed_at__isnull=True).update(completed_at=timezone.now())
    course_services.activity_complete(
        user=result.user, module=result.module, block_id=result.block_id, kind=H5P
    )
    return True


def result_for_content(result: H5PResult, content) -> H5PResult:
    """The result row scoped to the content the block shows now.

    The row is the learner's for the block; when the block shows other content, or its content was
    replaced by another content type (content.type_revision), the scores and saved state of the
    earlier content do not belong to it: the row starts again (attempts, scores, state), pointing at
    the current content. The statements stay as history, each naming its content and revision."""
    if result.content_id == content.pk and result.content_revision >= content.type_revision:
        return result
    stale = Q(content_revision__lt=content.type_revision) | ~Q(content=content.pk)
    H5PResult.objects.filter(stale, pk=result.pk).update(
        content=content.pk,
        content_revision=content.revision,
        answered_at=None,
        score_raw=None,
        score_max=None,
        best_percent=None,
        attempts=0,
        state="",
    )
    result.refresh_from_db()
    return result


def result_for_round(result: H5PResult, round_number: int | None) -> H5PResult:
    """The result row scoped to the learner's current course round: after «Ta kurset på nytt» the
    earlier round's attempts and scores are not this round's, so the row starts again (its
    statements stay as history). None (an editor previewing, no enrolment): left as it is."""
    if round_number is None or result.round == round_number:
        return result
    H5PResult.objects.filter(pk=result.pk).exclude(round=round_number).update(
        round=round_number, answered_at=None, score_raw=None, score_max=None, best_percent=None, attempts=0
    )
    result.refresh_from_db()
    return result


def _result_row(*, user, module, block_id: str, content, enrolment=None) -> H5PResult:
    round_number = getattr(enrolment, "round", None)
    result, _created = H5PResult.objects.get_or_create(
        user=user,
        module=module,
        block_id=block_id,
        defaults={"content": content, "content_revision": content.revision, "round": round_number or 1},
    )
    return result_for_round(result_for_content(result, content), round_number)


def result_open(*, user, module, block_id: str, block_value: dict, enrolment=None) -> H5PResult:
    """The learner's player page was served: their result row (made once).

    Not yet the «Åpnet» rule: the frame may still fail to show anything (result_rendered)."""
    return _result_row(
        user=user, module=module, block_id=block_id, content=block_value["content"], enrolment=enrolment
    )


def result_rendered(*, user, module, block_id: str, block_value: dict) -> bool:
    """The frame reports the content on the screen with no startup error (frame_views.rendered):
    the «Åpnet» rule is met now. Returns whether the block's rule is met."""
    result = _result_row(user=user, module=module, block_id=block_id, content=block_value["content"])
    if block_value.get("completion_rule") != "opened":
        return False
    return _report_if_rule_met(result, block_value, answered=False)


def _replay_digest(parsed: ParsedStatement, enrolment, content) -> str:
    """The statement's digest within the learner's current round and the block's current content:
    after «Ta kurset på nytt», or once the block shows other content (or another content type),
    the same answer is a new answer, not a replay."""
    if not parsed.digest:
        return ""
    scope = f"{getattr(enrolment, 'round', 0)}:{content.pk}:{content.type_revision}"
    return hashlib.sha256(f"{scope}:{parsed.digest}".encode()).hexdigest()


def _is_replay(result: H5PResult, parsed: ParsedStatement, digest: str) -> bool:
    stored = H5PStatement.objects.filter(result=result)
    return (parsed.statement_id is not None and stored.filter(statement_id=parsed.statement_id).exists()) or (
        bool(digest) and stored.filter(digest=digest).exists()
    )


def _block_done(*, enrolment, module, block_id: str) -> bool:
    return block_id in course_selectors.completed_activities(enrolment=enrolment, module=module)


def statement_record(
    *, user, module, block_id: str, block_value: dict, parsed: ParsedStatement, enrolment=None
) -> bool:
    """Keep a statement, update the learner's result, and report completion if the rule is met.

    Returns whether the block's rule is met (for the player's status line); for a replay, which
    is not stored again, whether the block is done in the current round.
    """
    if enrolment is None:
        course = course_selectors.course_of_module(module)
        enrolment = course_selectors.enrolment_for(user=user, course=course)
    digest = _replay_digest(parsed, enrolment, block_value["content"])
    with transaction.atomic():
        content = block_value["content"]
        result = _result_row(
            user=user, module=module, block_id=block_id, content=content, enrolment=enrolment
        )
        # The learner's result row is locked, so a replay sent twice at once is seen by the second.
        result = H5PResult.objects.select_for_update().get(pk=result.pk)
        if _is_replay(result, parsed, digest):
            return _block_done(enrolment=enrolment, module=module, block_id=block_id)
        try:
            with transaction.atomic():
                stored = H5PStatement.objects.create(
                    result=result,
                    content=content,
                    revision=content.revision,
                    verb=parsed.verb,
                    score_raw=parsed.score_raw,
                    score_max=parsed.score_max,
                    statement=parsed.statement,
                    statement_id=parsed.statement_id,
                    digest=digest,
                    top_level=parsed.top_level,
                    sub_content_id=parsed.sub_content_id,
                    parent_sub_content_id=parsed.parent_sub_content_id,
                    success=parsed.success,
                    title=parsed.title,
                )
        except IntegrityError:  # stored meanwhile (the unique constraints are the last word)
            return _block_done(enrolment=enrolment, module=module, block_id=block_id)
        answered, raw, maximum, percent = parsed.answered, parsed.score_raw, parsed.score_max, parsed.percent
        if parsed.closes_attempt and not answered:
            # The whole says it is finished but gives no score (a Course Presentation without a
            # summary score): the score is its parts', as H5P hosts count it.
            answered = True
            raw, maximum = _score_from_parts(result, until=stored.pk)
            percent = 100 * raw / maximum if maximum else None
        if answered:
            result.answered_at = timezone.now()
            result.attempts += 1
            result.score_raw, result.score_max = raw, maximum
            if percent is not None and (result.best_percent is None or percent > result.best_percent):
                result.best_percent = percent
            result.save(update_fields=["answered_at", "attempts", "score_raw", "score_max", "best_percent"])
        return _report_if_rule_met(result, block_value, answered=answered, percent=percent)


def _score_from_parts(result: H5PResult, *, until: int) -> tuple[float | None, float | None]:
    """(raw, max) summed over the direct parts of the content (the questions of a Question Set, the
    tasks on slides, the chapters of a book), each part's latest scored answer in this attempt:
    since the whole last closed an attempt, up to statement `until`. (None, None) with no part scored.

    Only direct parts: a chapter's score already holds its questions'."""
    answer_verbs = answer_statements()
    statements = H5PStatement.objects.filter(result=result, pk__lt=until)
    previous = (
        statements.filter(answer_verbs, top_level=True).order_by("-pk").values_list("pk", flat=True).first()
    )
    parts = (
        statements.filter(answer_verbs, top_level=False, parent_sub_content_id="", score_max__gt=0)
        .filter(pk__gt=previous or 0)
        .order_by("pk")
        .values_list("sub_content_id", "score_raw", "score_max")
    )
    latest = {sub_content_id: (raw, maximum) for sub_content_id, raw, maximum in parts}
    if not latest:
        return None, None
    return sum(raw for raw, _max in latest.values()), sum(maximum for _raw, maximum in latest.values())
