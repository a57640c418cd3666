"""Per-attempt names and values for the attempt form, so that the page says nothing about the key.

The answer key refers to stable ids (question, option, pair and step ids from
Quiz.questions), and answers are stored with those ids. None of them reaches
the browser: every field name and every option value on the attempt page is an
opaque token, HMAC-SHA256 of the id under the attempt's own random secret
(QuizAttempt.form_secret, which never leaves the server). So

* a token says nothing about the id behind it, nor about which option is right
  (a matching question's left side and its right answer get unrelated tokens);
* the same question gets other tokens in the next attempt, so nothing learnt
  from one attempt's page can be matched against another's;
* a post with a token the attempt did not hand out (made up, or from another
  attempt) is refused as a whole, with the same InvalidAnswerError as any
  tampered post.

Translation happens only at the form boundary: `to_canonical` turns a post
into the canonical field names that grading.parse_answers reads, and
`question_for_learner` builds what the page shows. What is stored, graded and
reported is unchanged.

Values that are not ids stay as they are: an ordering question's places (1..n)
and a Likert rating (1..5) are what the learner reads on the page anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from .blocks import QuestionType
from .grading import FIELD_PREFIX, LIKERT_SCALE, SHOWN_MARKER, InvalidAnswerError, parse_answers

# 20 hex digits, 80 bits: no two tokens of one attempt collide in practice, and none can be guessed.
TOKEN_LENGTH = 20
TRUE_FALSE_VALUES = ("true", "false")


def new_secret() -> str:
    """A fresh secret for a new attempt (the default of QuizAttempt.form_secret)."""
    return secrets.token_hex(32)


class FormTokens:
    """The tokens of one attempt's form, both ways. Built from the attempt's secret and questions."""

    def __init__(self, *, secret: str, questions: list[dict]):
        if not secret:
            raise ValueError("An attempt form needs the attempt's secret.")
        self._key = secret.encode()
        self._snapshots = questions
        self._questions: dict[str, str] = {}  # question id -> token
        self._items: dict[str, dict[str, str]] = {}  # question id -> {pair or step id -> token}
        self._values: dict[str, dict[str, str]] = {}  # question id -> {option value -> token}
        for question in questions:
            question_id, kind = question["id"], question["type"]
            self._questions[question_id] = self._token("question", question_id)
            if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
                values = [o["id"] for o in question["options"]]
                self._values[question_id] = {v: self._token("option", question_id, v) for v in values}
            elif kind == QuestionType.TRUE_FALSE:
                self._values[question_id] = {
                    v: self._token("truth", question_id, v) for v in TRUE_FALSE_VALUES
                }
            elif kind == QuestionType.MATCHING:
                pair_ids = [p["id"] for p in question["pairs"]]
                self._items[question_id] = {p: self._token("prompt", question_id, p) for p in pair_ids}
                self._values[question_id] = {p: self._token("answer", question_id, p) for p in pair_ids}
            elif kind == QuestionType.ORDERING:
                step_ids = [s["id"] for s in question["steps"]]
                self._items[question_id] = {s: self._token("step", question_id, s) for s in step_ids}
        self._question_ids = {token: question_id for question_id, token in self._questions.items()}
        self._item_ids = {q: {t: i for i, t in items.items()} for q, items in self._items.items()}
        self._value_ids = {q: {t: v for v, t in values.items()} for q, values in self._values.items()}

    @classmethod
    def for_attempt(cls, attempt) -> FormTokens:
        return cls(secret=attempt.form_secret, questions=attempt.questions)

    def _token(self, *parts: str) -> str:
        message = "\x1f".join(parts).encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:TOKEN_LENGTH]

    # Server to browser -----------------------------------------------------------------------

    def question(self, question_id: str) -> str:
        return self._questions[question_id]

    def item(self, question_id: str, item_id: str) -> str:
        return self._items[question_id][item_id]

    def value(self, question_id: str, value) -> str:
        values = self._values.get(question_id)
        return str(value) if values is None else values[value]

    def field_name(self, question_id: str, item_id: str | None = None) -> str:
        name = FIELD_PREFIX + self.question(question_id)
        return name if item_id is None else f"{name}:{self.item(question_id, item_id)}"

    def errors(self, errors: dict[str, str]) -> dict[str, str]:
        """Messages keyed by question id, keyed by the question's token instead (for the page's script)."""
        return {self.question(question_id): message for question_id, message in errors.items()}

    def response(self, question: dict, response):
        """A stored (canonical) answer as the page's tokens, to show it selected again."""
        if response is None:
            return None
        question_id, kind = question["id"], question["type"]
        if kind == QuestionType.MULTIPLE_RESPONSE:
            return [self.value(question_id, v) for v in response]
        if kind in (QuestionType.SINGLE_CHOICE, QuestionType.TRUE_FALSE):
            return self.value(question_id, response)
        if kind == QuestionType.MATCHING:
            return {self.item(question_id, p): self.value(question_id, a) for p, a in response.items()}
        if kind == QuestionType.ORDERING:
            return {self.item(question_id, s): position for s, position in response.items()}
        return response

    # Browser to server -----------------------------------------------------------------------

    def to_canonical(self, data) -> MultiValueDict:
        """A post (QueryDict, or any mapping with getlist) with the attempt's tokens replaced by the ids
        grading.parse_answers reads. Fields that are not answers pass as they are.

        Raises InvalidAnswerError for any token this attempt did not hand out, before anything is read
        further, so a made-up post or one from another attempt changes nothing.
        """
        canonical = MultiValueDict()
        for name in data:
            values = data.getlist(name)
            if not name.startswith(FIELD_PREFIX):
                canonical.setlist(name, values)
                continue
            token, _sep, part = name[len(FIELD_PREFIX) :].partition(":")
            question_id = self._question_ids.get(token)
            if question_id is None:
                raise InvalidAnswerError(_("Svaret gjelder et spørsmål som ikke er med i dette forsøket."))
            if part and part != SHOWN_MARKER:
                item_id = self._item_ids.get(question_id, {}).get(part)
                if item_id is None:
                    raise _unknown_option()
                part = item_id
            canonical_name = FIELD_PREFIX + question_id + (f":{part}" if part else "")
            if part == SHOWN_MARKER:
                canonical.setlist(canonical_name, values)
                continue
            value_ids = self._value_ids.get(question_id)
            if value_ids is not None:
                if any(v != "" and v not in value_ids for v in values):
                    raise _unknown_option()
                values = [value_ids.get(v, v) for v in values]
            canonical.setlist(canonical_name, values)
        return canonical

    def answers(self, data, *, check_positions: bool = True) -> dict[str, object]:
        """The answers in a post of this attempt's form, by question id (see grading.parse_answers)."""
        return parse_answers(self._snapshots, self.to_canonical(data), check_positions=check_positions)


def _unknown_option() -> InvalidAnswerError:
    return InvalidAnswerError(_("Et av svarene viser til et svaralternativ som ikke finnes."))


def question_for_learner(question: dict, tokens: FormTokens, response=None) -> dict:
    """What the attempt page needs to show a question: texts in display order and the attempt's tokens,
    no answer key and no stored id. `response` is the stored (canonical) answer, shown selected."""
    question_id, kind = question["id"], question["type"]
    shown = {
        "id": tokens.question(question_id),
        "name": tokens.field_name(question_id),
        "type": kind,
        "text": question["text"],
        "response": tokens.response(question, response),
    }
    if kind in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        by_id = {o["id"]: o for o in question["options"]}
        shown["options"] = [
            {"id": tokens.value(question_id, i), "text": by_id[i]["text"]} for i in question["display_order"]
        ]
    elif kind == QuestionType.TRUE_FALSE:
        shown["options"] = [
            {"id": tokens.value(question_id, "true"), "text": _("Sant")},
            {"id": tokens.value(question_id, "false"), "text": _("Usant")},
        ]
    elif kind == QuestionType.MATCHING:
        by_id = {p["id"]: p for p in question["pairs"]}
        # The left sides in the author's order; the answers in the order drawn for the attempt.
        shown["prompts"] = [
            {
                "id": tokens.item(question_id, p["id"]),
                "name": tokens.field_name(question_id, p["id"]),
                "text": p["prompt"],
            }
            for p in question["pairs"]
        ]
        shown["answers"] = [
            {"id": tokens.value(question_id, i), "text": by_id[i]["answer"]}
            for i in question["display_order"]
        ]
    elif kind == QuestionType.ORDERING:
        by_id = {s["id"]: s for s in question["steps"]}
        shown["steps"] = [
            {
                "id": tokens.item(question_id, i),
                "name": tokens.field_name(question_id, i),
                "text": by_id[i]["text"],
            }
            for i in question["display_order"]
        ]
        shown["positions"] = list(range(1, len(question["steps"]) + 1))
    elif kind == QuestionType.LIKERT:
        shown["scale"] = LIKERT_SCALE
    return shown
