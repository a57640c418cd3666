"""Reading an xAPI statement that the H5P player sent: pure functions, no database.

`statement_parse` checks that a statement is well formed and not too large, contains only
finite numbers, is about the block it was posted for and by the learner who posted it (as the
opaque account the player was given: the frame never learns a name or an e-mail address), and
that its score is in range and consistent; what it returns is all the results service needs,
including a digest that identifies a replay of the same statement.
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.utils.translation import gettext_lazy as _

#: A statement (and the request that carries it) larger than this is refused with 413.
MAX_STATEMENT_BYTES = 64 * 1024
# Verbs after which H5P content counts as answered (with a score): the "completed" completion rule.
ANSWER_VERBS = {"answered", "completed"}
# How far `scaled` may be from raw/max (H5P rounds it to four decimals).
SCALED_TOLERANCE = 0.01
# H5P core names the sub-content a statement is about here too (x-api-event.js, setObject).
SUB_CONTENT_EXTENSION = "http://h5p.org/x-api/h5p-subContentId"
# Longest sub-content id kept (H5P's are UUIDs) and longest question title kept with a statement.
MAX_SUB_CONTENT_ID = 64
MAX_TITLE = 255
# Properties the sender or the transport sets: left out of the digest, so a replay with a new
# timestamp is still the same statement.
UNHASHED = {"id", "timestamp", "stored", "authority", "version"}

INVALID = _("Ugyldig xAPI-utsagn.")
TOO_LARGE = _("Utsagnet er for stort.")
NOT_FINITE = _("Utsagnet inneholder et ugyldig tall (NaN eller uendelig).")
OUT_OF_RANGE = _("Poengsummen er utenfor gyldig område.")
CONTRADICTORY = _("Poengsummen er selvmotsigende (skalert poengsum stemmer ikke med poeng og maksimum).")
OTHER_CONTENT = _("Utsagnet gjelder ikke dette innholdet.")
OTHER_USER = _("Utsagnet gjelder en annen bruker.")


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
    #: The statement's own id, when it has a valid one.
    statement_id: uuid.UUID | None = None
    #: sha256 of the statement as stored, without id and timestamp: the same for a replay.
    digest: str = ""
    #: The signed player token that came with the statement (checked by the view).
    token: str = ""
    #: About the content as a whole (no sub-content id, no parent): only such a statement can
    #: say how the learner did on the whole (H5P's summary of a Question Set, Course Presentation...).
    top_level: bool = True
    #: The sub-content the statement is about ("" for the content as a whole).
    sub_content_id: str = ""
    #: The sub-content id of the statement's parent: None without a parent, "" when the parent
    #: is the content as a whole (a direct child: a question of a Question Set, a slide element).
    parent_sub_content_id: str | None = None
    #: result.success, where the statement has it.
    success: bool | None = None
    #: What the statement's object is called (its question), for course holders' item analysis.
    title: str = ""

    @property
    def verb_name(self) -> str:
        return self.verb.rsplit("/", 1)[-1]

    @property
    def closes_attempt(self) -> bool:
        """A top-level answer (answered/completed): the end of an attempt, scored or not."""
        return self.top_level and self.verb_name in ANSWER_VERBS


def _reject_constant(name: str):
    raise StatementRejected(NOT_FINITE)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 reads as infinity
        raise StatementRejected(NOT_FINITE)
    return value


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _score(score: dict, *, answered: bool) -> tuple[float | None, float | None, float | None]:
    """(raw, max, percent) of a result.score; raises StatementRejected if it is out of range or
    contradicts itself. The percentage comes from raw/max when the statement has both; `scaled`
    is only checked against them (raw 0 with scaled 1 is refused, not counted as 100 %)."""
    if not isinstance(score, dict):
        raise StatementRejected(INVALID)
    raw, maximum, minimum, scaled = (_number(score.get(k)) for k in ("raw", "max", "min", "scaled"))
    for key, parsed in zip(("raw", "max", "min", "scaled"), (raw, maximum, minimum, scaled), strict=True):
        if key in score and parsed is None:  # present but not a number (a string, true, null)
            raise StatementRejected(OUT_OF_RANGE)
    if raw is None:
        raise StatementRejected(OUT_OF_RANGE)
    if raw == 0 and maximum == 0 and not minimum and scaled in (None, 0):
        # Content with nothing to score (a Course Presentation without tasks reaching its summary
        # slide, an empty Column) reports 0 of 0: finished, without a score.
        return None, None, None
    low = minimum if minimum is not None else 0
    if (
        (maximum is not None and (maximum <= 0 or raw > maximum or low >= maximum))
        or raw < low
        or (scaled is not None and not -1 <= scaled <= 1)
    ):
        raise StatementRejected(OUT_OF_RANGE)
    clamped = None if scaled is None else min(max(scaled, 0.0), 1.0)
    if maximum is not None:
        fraction = raw / maximum
        if clamped is not None:
            from_minimum = (raw - low) / (maximum - low)
            if min(abs(clamped - fraction), abs(clamped - from_minimum)) > SCALED_TOLERANCE:
                raise StatementRejected(CONTRADICTORY)
        percent = 100 * fraction
    else:
        percent = None if clamped is None else 100 * clamped
    return raw, maximum, percent if answered else None


def _digest(statement: dict) -> str:
    canonical = json.dumps(
        {key: value for key, value in statement.items() if key not in UNHASHED},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _statement_id(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        raise StatementRejected(INVALID) from None


def _sub_content_id(iri: str) -> str:
    """The subContentId in an object id (`<content url>?subContentId=<uuid>`), or ""."""
    try:
        values = parse_qs(urlsplit(iri).query).get("subContentId") or [""]
    except ValueError:
        return ""
    return values[0][:MAX_SUB_CONTENT_ID]


def _title(obj: dict) -> str:
    """The object's name (H5P sets it for sub-content) or else its description (the question)."""
    definition = obj.get("definition") if isinstance(obj, dict) else None
    if not isinstance(definition, dict):
        return ""
    for key in ("name", "description"):
        texts = definition.get(key)
        if isinstance(texts, dict):
            for text in texts.values():
                if isinstance(text, str) and text.strip():
                    return " ".join(text.split())[:MAX_TITLE]
    return ""


def _parent_sub_content_id(activities: dict) -> str | None:
    parents = activities.get("parent")
    if not parents:
        return None
    first = parents[0] if isinstance(parents, list) else parents
    parent_id = first.get("id") if isinstance(first, dict) else None
    return _sub_content_id(parent_id) if isinstance(parent_id, str) else ""


def actor_for(*, home_page: str, account_name: str) -> dict:
    """The xAPI actor the player is given: an opaque account, never a name or an e-mail address."""
    return {"objectType": "Agent", "account": {"homePage": home_page, "name": account_name}}


def statement_parse(
    body: bytes, *, expected_object_iri: str, learner_email: str, actor: dict | None = None
) -> ParsedStatement:
    """Check and read one statement posted as ``{"statement": {...}, "token": "..."}``;
    raises StatementRejected.

    `actor` is the opaque account the player was given: a statement naming anyone else is
    refused, and the statement is kept with that actor (the learner is the request's user)."""
    if len(body) > MAX_STATEMENT_BYTES:
        raise StatementRejected(TOO_LARGE, status=413)
    try:
        envelope = json.loads(body, parse_constant=_reject_constant, parse_float=_finite_float)
        statement = envelope["statement"]
        verb = str(statement["verb"]["id"])
        object_id = str(statement["object"]["id"])
    except StatementRejected:
        raise
    except (ValueError, KeyError, TypeError, RecursionError):
        raise StatementRejected(INVALID) from None
    if not isinstance(statement, dict):
        raise StatementRejected(INVALID)
    token = envelope.get("token") or ""
    # The statement must be about this block's content, and by this learner.
    if object_id.split("?", 1)[0].rstrip("/") != expected_object_iri.rstrip("/"):
        raise StatementRejected(OTHER_CONTENT)
    claimed = statement.get("actor") or {}
    if not isinstance(claimed, dict):
        raise StatementRejected(INVALID)
    mbox = claimed.get("mbox")
    if mbox and mbox != f"mailto:{learner_email}":
        raise StatementRejected(OTHER_USER, status=403)
    account = claimed.get("account")
    if account and (
        actor is None or not isinstance(account, dict) or account.get("name") != actor["account"]["name"]
    ):
        raise StatementRejected(OTHER_USER, status=403)
    if actor is not None:  # kept without whatever name or address the frame claimed
        statement = {**statement, "actor": actor}
    result = statement.get("result") or {}
    if not isinstance(result, dict):
        raise StatementRejected(INVALID)
    score = result.get("score")
    context = statement.get("context") or {}
    activities = context.get("contextActivities") or {} if isinstance(context, dict) else None
    if not isinstance(activities, dict):
        raise StatementRejected(INVALID)
    definition = statement["object"].get("definition")
    extensions = definition.get("extensions") if isinstance(definition, dict) else None
    named = extensions.get(SUB_CONTENT_EXTENSION) if isinstance(extensions, dict) else None
    sub_content_id = _sub_content_id(object_id) or (str(named)[:MAX_SUB_CONTENT_ID] if named else "")
    parent_sub_content_id = _parent_sub_content_id(activities)
    # A statement about sub-content (one question in a Question Set, an element of a slide, a
    # chapter of a book) never stands for the whole, whatever its verb and score.
    top_level = not sub_content_id and "subContentId=" not in object_id and parent_sub_content_id is None
    answered = top_level and verb.rsplit("/", 1)[-1] in ANSWER_VERBS and bool(score)
    success = result.get("success")
    raw = maximum = percent = None
    if score:
        raw, maximum, percent = _score(score, answered=answered)
        answered = answered and raw is not None
    return ParsedStatement(
        verb=verb,
        statement=statement,
        score_raw=raw,
        score_max=maximum,
        percent=percent,
        answered=answered,
        statement_id=_statement_id(statement.get("id")),
        digest=_digest(statement),
        token=str(token),
        top_level=top_level,
        sub_content_id=sub_content_id,
        parent_sub_content_id=None if top_level else (parent_sub_content_id or ""),
        success=success if isinstance(success, bool) else None,
        title="" if top_level else _title(statement["object"]),
    )
