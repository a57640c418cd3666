"""Learners' H5P results: opening content, recording statements, and reporting completion.

Whether a block is done follows the completion rule the course holder chose for it
(opened, answered, or a score of at least X %). Every time the rule is met it is
reported to courses' one door (activity_complete), which records it once per round:
after «Ta kurset på nytt» the learner does the activity again and it reports again.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from courses import services as course_services

from .activities import H5P
from .models import H5PResult, H5PStatement
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


def result_open(*, user, module, block_id: str, block_value: dict) -> H5PResult:
    """The learner opened the block's content: their result row (made once), and the "opened" rule."""
    result, _created = H5PResult.objects.get_or_create(
        user=user, module=module, block_id=block_id, defaults={"content": block_value["content"]}
    )
    if block_value.get("completion_rule") == "opened":
        _report_if_rule_met(result, block_value, answered=False)
    return result


def statement_record(*, user, module, block_id: str, block_value: dict, parsed: ParsedStatement) -> bool:
    """Keep a statement, update the learner's result, and report completion if the rule is met.

    Returns whether the block's rule is met (for the player's status line).
    """
    with transaction.atomic():
        result, _created = H5PResult.objects.get_or_create(
            user=user, module=module, block_id=block_id, defaults={"content": block_value["content"]}
        )
        H5PStatement.objects.create(
            result=result,
            verb=parsed.verb,
            score_raw=parsed.score_raw,
            score_max=parsed.score_max,
            statement=parsed.statement,
        )
        if parsed.answered:
            result.answered_at = timezone.now()
            result.score_raw, result.score_max = parsed.score_raw, parsed.score_max
            if parsed.percent is not None and (
                result.best_percent is None or parsed.percent > result.best_percent
            ):
                result.best_percent = parsed.percent
            result.save(update_fields=["answered_at", "score_raw", "score_max", "best_percent"])
        return _report_if_rule_met(result, block_value, answered=parsed.answered, percent=parsed.percent)
