"""Questions as attempts see them, reading answers from a form post, and scoring.

Pure functions on plain dicts, no database: an attempt stores the questions it
drew as `question_snapshot` dicts, answers come back through `parse_answers`,
and `score_answer` grades one answer on the server. What the browser gets is
built in formtokens.py: it never sees these ids, only per-attempt tokens that
formtokens.FormTokens.to_canonical turns back into the field names below.

Canonical field names use ':' because block ids are UUIDs full of '-':
    q:<question id>              single choice, true/false, Likert, multiple response (repeated)
    q:<question id>:<pair id>    matching: the chosen answer's pair id
    q:<question id>:<step id>    ordering: the position (1..n) given to the step
    q:<question id>:shown        hidden: the question was on the page (so empty means cleared)
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from django.utils.translation import gettext as _

from .blocks import QuestionType

FIELD_PREFIX = "q:"
# Every question on the attempt page carries a hidden "q:<id>:shown" field. Unticked boxes and blank
# selects send nothing, so without it a cleared answer could not be told from a question not posted.
SHOWN_MARKER = "shown"
LIKERT_SCALE = (1, 2, 3, 4, 5)


class InvalidAnswerError(ValueError):
    """A posted answer that no honest form could have sent: unknown ids or values out of range."""


class DuplicatePositionError(InvalidAnswerError):
    """An ordering question where two steps got the same place: an honest mistake, refused with a
    message at each question concerned (`errors`: {question id: message}); nothing is saved."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(" ".join(errors.values()))


def question_snapshot(block, *, shuffle_options: bool, rng: random.Random) -> dict:
    """A question block from Quiz.questions as a self-contained dict, with its answer key.

    Display orders are drawn here, once per attempt, so a reload shows the same order.
    """
    value = block.value
    kind = block.block_type
    question = {
        "id": block.id,
        "type": kind,
        "text": value["text"],
        "feedback_correct": value.get("feedback_correct", ""),
        "feedback_incorrect": value.get("feedback_incorrect", ""),
        "partial_credit": bool(value.get("partial_credit", False)),
        "max_score": 0 if kind in QuestionType.UNGRADED else 1,
    }
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        question["options"] = [
            {
                "id": child.id,
                "text": child.value["text"],
                "correct": bool(child.value["correct"]),
                "feedback": child.value.get("feedback", ""),
            }
            for child in value["options"].bound_blocks
        ]
        question["display_order"] = _maybe_shuffled(
            [o["id"] for o in question["options"]], shuffle_options, rng
        )
    elif kind == QuestionType.TRUE_FALSE:
        question["correct"] = value["correct"]
    elif kind == QuestionType.MATCHING:
        question["pairs"] = [
            {"id": child.id, "prompt": child.value["prompt"], "answer": child.value["answer"]}
            for child in value["pairs"].bound_blocks
        ]
        # The answers are always shuffled: in authoring order every pair would line up.
        question["display_order"] = _maybe_shuffled([p["id"] for p in question["pairs"]], True, rng)
    elif kind == QuestionType.ORDERING:
        question["steps"] = [{"id": child.id, "text": child.value} for child in value["steps"].bound_blocks]
        # Any order, the right one included: an order drawn to avoid the right one would give it away
        # (with two steps, the reverse of what is shown would always be right).
        question["display_order"] = _maybe_shuffled([s["id"] for s in question["steps"]], True, rng)
    return question


def _maybe_shuffled(ids: list[str], shuffle: bool, rng: random.Random) -> list[str]:
    ids = list(ids)
    if shuffle:
        rng.shuffle(ids)
    return ids


def parse_answers(questions: list[dict], data, *, check_positions: bool = True) -> dict[str, object]:
    """Answers in a form post, by question id: those the post answers, and None for those it
    shows as cleared.

    `data` is a QueryDict (or any mapping with getlist). Raises InvalidAnswerError
    for any field that names a question outside the attempt, an unknown option,
    or a value the question cannot take, so a tampered post changes nothing; and
    DuplicatePositionError (after every other check) when an ordering question gives
    two steps the same place, unless `check_positions` is False (to show the post again).
    """
    by_id = {q["id"]: q for q in questions}
    fields: dict[str, dict[str | None, list[str]]] = {}
    shown: set[str] = set()
    for name in data:
        if not name.startswith(FIELD_PREFIX):
            continue
        question_id, _sep, part = name[len(FIELD_PREFIX) :].partition(":")
        if question_id not in by_id:
            raise InvalidAnswerError(_("Svaret gjelder et spørsmål som ikke er med i dette forsøket."))
        if part == SHOWN_MARKER:
            shown.add(question_id)
            continue
        fields.setdefault(question_id, {})[part or None] = [v for v in data.getlist(name) if v != ""]
    answers: dict[str, object] = {}
    duplicates: dict[str, str] = {}
    for question_id, parts in fields.items():
        response = _parse_one(by_id[question_id], parts)
        if response is not None:
            answers[question_id] = response
        if check_positions and by_id[question_id]["type"] == QuestionType.ORDERING and response:
            message = _duplicate_positions_message(response)
            if message:
                duplicates[question_id] = message
    if duplicates:
        raise DuplicatePositionError(duplicates)
    # A question the form showed but left empty: the learner cleared an earlier (autosaved) answer.
    for question_id in shown - set(answers):
        answers[question_id] = None
    return answers


def _duplicate_positions_message(response: dict[str, int]) -> str:
    """For an ordering answer ({step id: place}), what is wrong if two steps share a place; else ''."""
    positions = list(response.values())
    shared = sorted({p for p in positions if positions.count(p) > 1})
    if not shared:
        return ""
    return _("To eller flere steg har fått samme plass (%(places)s). Gi hvert steg sitt eget nummer.") % {
        "places": ", ".join(str(p) for p in shared)
    }


def _unknown_option() -> InvalidAnswerError:
    return InvalidAnswerError(_("Et av svarene viser til et svaralternativ som ikke finnes."))


def _parse_one(question: dict, parts: Mapping[str | None, list[str]]):
    kind = question["type"]
    if kind in (QuestionType.MATCHING, QuestionType.ORDERING):
        return _parse_parts(question, parts)
    if set(parts) != {None}:
        raise _unknown_option()
    values = parts[None]
    if not values:
        return None
    if kind == QuestionType.MULTIPLE_RESPONSE:
        known = {o["id"] for o in question["options"]}
        if not set(values) <= known:
            raise _unknown_option()
        return sorted(set(values))
    if len(values) != 1:
        raise InvalidAnswerError(_("Et spørsmål med ett svar fikk flere svar."))
    value = values[0]
    if kind == QuestionType.SINGLE_CHOICE:
        if value not in {o["id"] for o in question["options"]}:
            raise _unknown_option()
        return value
    if kind == QuestionType.TRUE_FALSE:
        if value not in ("true", "false"):
            raise _unknown_option()
        return value
    if kind == QuestionType.LIKERT:
        if value not in {str(n) for n in LIKERT_SCALE}:
            raise _unknown_option()
        return int(value)
    raise _unknown_option()


def _parse_parts(question: dict, parts: Mapping[str | None, list[str]]) -> dict[str, object] | None:
    """Matching and ordering: one field per pair or step."""
    if question["type"] == QuestionType.MATCHING:
        item_ids = {p["id"] for p in question["pairs"]}
        allowed_values = item_ids
    else:
        item_ids = {s["id"] for s in question["steps"]}
        allowed_values = {str(n) for n in range(1, len(item_ids) + 1)}
    response = {}
    for part, values in parts.items():
        if part not in item_ids or len(values) > 1:
            raise _unknown_option()
        if not values:
            continue
        if values[0] not in allowed_values:
            raise _unknown_option()
        response[part] = values[0] if question["type"] == QuestionType.MATCHING else int(values[0])
    return response or None


def score_answer(question: dict, response) -> tuple[float, bool | None]:
    """(points between 0 and max_score, whether fully correct); Likert answers score (0, None)."""
    kind = question["type"]
    if kind in QuestionType.UNGRADED:
        return 0.0, None
    if response is None:
        return 0.0, False
    if kind == QuestionType.SINGLE_CHOICE:
        correct = next(o["id"] for o in question["options"] if o["correct"])
        return (1.0, True) if response == correct else (0.0, False)
    if kind == QuestionType.TRUE_FALSE:
        return (1.0, True) if response == question["correct"] else (0.0, False)
    if kind == QuestionType.MULTIPLE_RESPONSE:
        correct = {o["id"] for o in question["options"] if o["correct"]}
        chosen = set(response)
        if chosen == correct:
            return 1.0, True
        if not question["partial_credit"]:
            return 0.0, False
        # Right choices minus wrong ones, so ticking everything earns nothing.
        points = (len(chosen & correct) - len(chosen - correct)) / len(correct)
        return max(0.0, points), False
    if kind == QuestionType.MATCHING:
        items = question["pairs"]
        right = sum(1 for p in items if response.get(p["id"]) == p["id"])
    else:  # ordering
        items = question["steps"]
        right = sum(1 for position, s in enumerate(items, start=1) if response.get(s["id"]) == position)
    if right == len(items):
        return 1.0, True
    return (right / len(items) if question["partial_credit"] else 0.0), False


def correct_answer_text(question: dict) -> list[str]:
    """The right answer in words, for review after grading."""
    kind = question["type"]
    if kind == QuestionType.SINGLE_CHOICE or kind == QuestionType.MULTIPLE_RESPONSE:
        return [o["text"] for o in question["options"] if o["correct"]]
    if kind == QuestionType.TRUE_FALSE:
        return [_("Sant") if question["correct"] == "true" else _("Usant")]
    if kind == QuestionType.MATCHING:
        return [f"{p['prompt']} → {p['answer']}" for p in question["pairs"]]
    if kind == QuestionType.ORDERING:
        return [f"{n}. {s['text']}" for n, s in enumerate(question["steps"], start=1)]
    return []


def response_text(question: dict, response) -> list[str]:
    """The learner's answer in words, for the result page."""
    if response is None:
        return []
    kind = question["type"]
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        chosen = {response} if isinstance(response, str) else set(response)
        by_id = {o["id"]: o for o in question["options"]}
        return [by_id[i]["text"] for i in question["display_order"] if i in chosen]
    if kind == QuestionType.TRUE_FALSE:
        return [_("Sant") if response == "true" else _("Usant")]
    if kind == QuestionType.LIKERT:
        return [str(response)]
    if kind == QuestionType.MATCHING:
        answers = {p["id"]: p["answer"] for p in question["pairs"]}
        return [f"{p['prompt']} → {answers.get(response.get(p['id']), '–')}" for p in question["pairs"]]
    steps = {s["id"]: s["text"] for s in question["steps"]}
    ordered = sorted(response.items(), key=lambda item: item[1])
    return [f"{position}. {steps[step_id]}" for step_id, position in ordered]


def chosen_option_feedback(question: dict, response) -> list[str]:
    """Per-option feedback for the options the learner chose."""
    if question["type"] not in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE) or not response:
        return []
    chosen = {response} if isinstance(response, str) else set(response)
    return [o["feedback"] for o in question["options"] if o["id"] in chosen and o["feedback"]]
