"""The xAPI statement parser: pure checks, no database."""

import json

import pytest

from h5p.xapi import MAX_STATEMENT_BYTES, StatementRejected, statement_parse

OBJECT = "https://kurs.example.no/h5p/spill/12/abc/"


def body(*, verb="answered", score=None, object_id=OBJECT, email=None, **extra) -> bytes:
    statement = {
        "actor": {"mbox": f"mailto:{email}"} if email else {},
        "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {"id": object_id},
        **extra,
    }
    if score is not None:
        statement["result"] = {"score": score}
    return json.dumps({"statement": statement}).encode()


def parse(data: bytes, email="kari@example.no"):
    return statement_parse(data, expected_object_iri=OBJECT, learner_email=email)


def test_an_answer_with_a_score_is_read_as_a_percentage():
    parsed = parse(body(score={"raw": 3, "max": 4, "min": 0}, email="kari@example.no"))
    assert (parsed.answered, parsed.score_raw, parsed.score_max, parsed.percent) == (True, 3, 4, 75)


def test_scaled_wins_over_raw_and_max():
    assert parse(body(score={"raw": 1, "max": 4, "scaled": 0.5})).percent == 50


def test_a_statement_without_a_score_or_with_another_verb_is_not_an_answer():
    assert not parse(body()).answered
    assert not parse(body(verb="interacted", score={"raw": 1, "max": 1})).answered


def test_sub_content_is_kept_but_not_scored():
    assert not parse(body(score={"raw": 1, "max": 1}, object_id=OBJECT + "?subContentId=7")).answered
    parent = {"contextActivities": {"parent": [{"id": OBJECT}]}}
    assert not parse(body(score={"raw": 1, "max": 1}, context=parent)).answered


@pytest.mark.parametrize(
    "data, message, status",
    [
        (b"not json", "Ugyldig xAPI-utsagn.", 400),
        (json.dumps({"statement": "text"}).encode(), "Ugyldig xAPI-utsagn.", 400),
        (json.dumps({"nothing": 1}).encode(), "Ugyldig xAPI-utsagn.", 400),
        (
            body(object_id="https://kurs.example.no/h5p/spill/99/other/"),
            "Utsagnet gjelder ikke dette innholdet.",
            400,
        ),
        (body(email="someone.else@example.no"), "Utsagnet gjelder en annen bruker.", 403),
        (body(score={"raw": 5, "max": 4}), "Poengsummen er utenfor gyldig område.", 400),
        (body(score={"raw": -1, "max": 4}), "Poengsummen er utenfor gyldig område.", 400),
        (body(score={"raw": 1, "max": 0}), "Poengsummen er utenfor gyldig område.", 400),
        (body(score={"raw": True, "max": 1}), "Poengsummen er utenfor gyldig område.", 400),
        (body(score={"raw": 1, "max": 1, "scaled": 1.5}), "Poengsummen er utenfor gyldig område.", 400),
        (b" " * (MAX_STATEMENT_BYTES + 1), "Ugyldig xAPI-utsagn.", 400),
    ],
)
def test_bad_statements_are_rejected_with_a_norwegian_message(data, message, status):
    with pytest.raises(StatementRejected) as rejected:
        parse(data)
    assert (str(rejected.value), rejected.value.status) == (message, status)
