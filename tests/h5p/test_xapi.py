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


def test_the_percentage_comes_from_raw_and_max_and_scaled_must_agree():
    assert parse(body(score={"raw": 1, "max": 4, "scaled": 0.25})).percent == 25
    assert parse(body(score={"raw": 2, "max": 3, "scaled": 0.6667})).percent == pytest.approx(66.67, abs=0.01)
    assert parse(body(score={"raw": 1, "scaled": 0.4})).percent == 40  # no maximum: scaled it is
    assert parse(body(score={"raw": 0, "max": 1, "scaled": -0.004})).percent == 0  # clamped to [0, 1]


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
        (b" " * (MAX_STATEMENT_BYTES + 1), "Utsagnet er for stort.", 413),
        # Issue 12: raw 0 with scaled 1 counted as 100 %.
        (body(score={"raw": 0, "max": 1, "scaled": 1}), "Poengsummen er selvmotsigende", 400),
        (body(score={"raw": 1, "max": 4, "scaled": 0.5}), "Poengsummen er selvmotsigende", 400),
        (body(score={"raw": 1, "max": 1, "scaled": -1.5}), "Poengsummen er utenfor gyldig område.", 400),
        (body(score={"raw": 1, "max": 1, "min": 1}), "Poengsummen er utenfor gyldig område.", 400),
        (body(score={"raw": "1", "max": 1}), "Poengsummen er utenfor gyldig område.", 400),
        (body(score={"raw": 1, "max": "1"}), "Poengsummen er utenfor gyldig område.", 400),
        (body(score={"max": 1, "scaled": 1}), "Poengsummen er utenfor gyldig område.", 400),
        # Issue 12: NaN and Infinity were a 500.
        (body().replace(b'"object"', b'"x": NaN, "object"'), "ugyldig tall", 400),
        (body(score={"raw": 1, "max": 1}).replace(b'"raw": 1', b'"raw": NaN'), "ugyldig tall", 400),
        (body(score={"raw": 1, "max": 1}).replace(b'"max": 1', b'"max": Infinity'), "ugyldig tall", 400),
        (body(score={"raw": 1, "max": 1}).replace(b'"max": 1', b'"max": -Infinity'), "ugyldig tall", 400),
        (body(score={"raw": 1, "max": 1}).replace(b'"max": 1', b'"max": 1e999'), "ugyldig tall", 400),
        (body(extra=1).replace(b'"extra": 1', b'"extra": [1e400]'), "ugyldig tall", 400),
        (body(context="tekst"), "Ugyldig xAPI-utsagn.", 400),
        (body(result=[1]), "Ugyldig xAPI-utsagn.", 400),
        (body(id="ikke-en-uuid"), "Ugyldig xAPI-utsagn.", 400),
    ],
)
def test_bad_statements_are_rejected_with_a_norwegian_message(data, message, status):
    with pytest.raises(StatementRejected) as rejected:
        parse(data)
    assert message in str(rejected.value) and rejected.value.status == status, str(rejected.value)


def test_a_replay_has_the_same_digest_whatever_its_id_and_timestamp():
    first = parse(
        body(
            score={"raw": 1, "max": 1},
            id="7b2ce1a6-3c59-4f4e-9d0e-3a1f1b2c3d4e",
            timestamp="2026-12-01T10:00:00Z",
        )
    )
    again = parse(body(score={"raw": 1, "max": 1}, timestamp="2026-12-01T10:05:00Z"))
    other = parse(body(score={"raw": 0, "max": 1}))
    assert first.digest == again.digest != other.digest
    assert str(first.statement_id) == "7b2ce1a6-3c59-4f4e-9d0e-3a1f1b2c3d4e" and again.statement_id is None


ACTOR = {"objectType": "Agent", "account": {"homePage": "https://kurs.example.no/", "name": "a1b2c3"}}


def test_the_statement_is_kept_with_the_opaque_actor_and_other_accounts_are_refused():
    claimed = {"name": "Kari Nordmann", "account": {"homePage": "x", "name": "a1b2c3"}}
    parsed = statement_parse(
        body(actor=claimed), expected_object_iri=OBJECT, learner_email="kari@example.no", actor=ACTOR
    )
    assert parsed.statement["actor"] == ACTOR  # no name or address from the frame is kept
    forged = {"account": {"homePage": "x", "name": "noen-andre"}}
    with pytest.raises(StatementRejected) as rejected:
        statement_parse(
            body(actor=forged), expected_object_iri=OBJECT, learner_email="k@example.no", actor=ACTOR
        )
    assert rejected.value.status == 403
