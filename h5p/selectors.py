"""Reads of learners' H5P results.

`learner_states` is what a learner sees of their own results in the module page: never another
learner's, and never anything of the content's answers (the statements stay on the server).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from .models import H5PResult
from .xapi import ANSWER_VERBS


def answer_statements() -> Q:
    """Statements whose verb ends an answer (h5p.xapi.ANSWER_VERBS: answered, completed), as a filter."""
    verbs = Q(pk__in=[])
    for name in sorted(ANSWER_VERBS):
        verbs |= Q(verb__endswith=f"/{name}")
    return verbs


@dataclass(frozen=True)
class LearnerState:
    """A learner's own standing on one H5P block: best score, last attempt, how many attempts."""

    attempts: int
    best_percent: float | None
    last_percent: float | None
    last_answered_at: datetime | None

    @property
    def has_result(self) -> bool:
        return self.attempts > 0 or self.last_answered_at is not None


def learner_states(*, user, module, block_ids: list[str], enrolment=None) -> dict[str, LearnerState]:
    """Per block id, the learner's standing in their current course round (the enrolment's), for
    the blocks they have answered in it (one query): after «Ta kurset på nytt» the earlier round's
    best score and attempts are not shown as this round's."""
    if not block_ids or not getattr(user, "is_authenticated", False):
        return {}
    rows = H5PResult.objects.filter(user=user, module=module, block_id__in=block_ids)
    if enrolment is not None:
        rows = rows.filter(round=enrolment.round)
    rows = rows.values("block_id", "attempts", "best_percent", "score_raw", "score_max", "answered_at")
    states = {}
    for row in rows:
        last = None
        if row["score_raw"] is not None and row["score_max"]:
            last = 100 * row["score_raw"] / row["score_max"]
        state = LearnerState(
            attempts=row["attempts"],
            best_percent=row["best_percent"],
            last_percent=last,
            last_answered_at=row["answered_at"],
        )
        if state.has_result:
            states[row["block_id"]] = state
    return states
