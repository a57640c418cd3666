"""Reading an xAPI statement that the H5P player sent: pure functions, no database.

`statement_parse` checks that a statement is well formed, is about the block it
was posted for and by the learner who posted it, and that its score is in
range; what it returns is all the results service needs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

MAX_STATEMENT_BYTES = 256 * 1024
# Verbs after which H5P content counts as answered (with a score): the "completed" completion rule.
ANSWER_VERBS = {"answered", "completed"}


class StatementRejected(Exception):
    """The statement cannot be accepted; str() is the message for the player, `status` the HTTP status."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class ParsedStatement:
    verb: str
    statement: dict
    score_raw: float | None
    score_max: float | None
    #: The score as a percentage, where the statement has one.
    percent: float | None
    #: A top-level answer with a score (sub-content, such as one question inside a quiz, is kept, not scored).
    answered: bool


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def statement_parse(body: bytes, *, expected_object_iri: str, learner_email: str) -> ParsedStatement:
    """Check and read one statement posted as ``{"statement": {...}}``; raises StatementRejected."""
    if len(body) > MAX_STATEMENT_BYTES:
        raise StatementRejected("Ugyldig xAPI-utsagn.")
    try:
        statement = json.loads(body)["statement"]
        verb = str(statement["verb"]["id"])
        object_id = str(statement["object"]["id"])
    except (ValueError, KeyError, TypeError):
        raise StatementRejected("Ugyldig xAPI-utsagn.") from None
    if not isinstance(statement, dict):
        raise StatementRejected("Ugyldig xAPI-utsagn.")
    # The statement must be about this block's content, and by this learner.
    if object_id.split("?", 1)[0].rstrip("/") != expected_object_iri.rstrip("/"):
        raise StatementRejected("Utsagnet gjelder ikke dette innholdet.")
    mbox = (statement.get("actor") or {}).get("mbox")
    if mbox and mbox != f"mailto:{learner_email}":
        raise StatementRejected("Utsagnet gjelder en annen bruker.", status=403)
    score = (statement.get("result") or {}).get("score") or {}
    raw, maximum, minimum, scaled = (_number(score.get(k)) for k in ("raw", "max", "min", "scaled"))
    if score and (
        raw is None
        or (maximum is not None and (maximum <= 0 or raw > maximum))
        or raw < (minimum if minimum is not None else 0)
        or (scaled is not None and not 0 <= scaled <= 1)
    ):
        raise StatementRejected("Poengsummen er utenfor gyldig område.")
    top_level = "subContentId=" not in object_id and not (
        (statement.get("context") or {}).get("contextActivities") or {}
    ).get("parent")
    answered = top_level and verb.rsplit("/", 1)[-1] in ANSWER_VERBS and bool(score)
    percent = None
    if answered:
        percent = scaled * 100 if scaled is not None else (100 * raw / maximum if maximum else None)
    return ParsedStatement(
        verb=verb,
        statement=statement,
        score_raw=raw,
        score_max=maximum,
        percent=percent,
        answered=answered,
    )
