"""Scoring and answer parsing on plain question dicts (no database)."""

import random

import pytest

from assessments import grading
from assessments.formtokens import FormTokens, new_secret, question_for_learner
from assessments.models import Quiz
from tests.assessments.conftest import as_post
from tests.factories import q_likert, q_matching, q_multiple, q_ordering, q_single, q_true_false


def snapshot(raw_block, shuffle=False):
    quiz = Quiz(questions=[raw_block])
    return grading.question_snapshot(quiz.questions[0], shuffle_options=shuffle, rng=random.Random(1))


def option_ids(question, correct):
    return [o["id"] for o in question["options"] if o["correct"] is correct]


def test_single_choice_scores_only_the_right_option():
    q = snapshot(q_single())
    assert grading.score_answer(q, option_ids(q, True)[0]) == (1.0, True)
    assert grading.score_answer(q, option_ids(q, False)[0]) == (0.0, False)
    assert grading.score_answer(q, None) == (0.0, False)


def test_multiple_response_partial_credit_subtracts_wrong_choices():
    q = snapshot(q_multiple(options=(("A", True), ("B", True), ("C", False), ("D", False)), partial=True))
    right, wrong = option_ids(q, True), option_ids(q, False)
    assert grading.score_answer(q, right) == (1.0, True)
    assert grading.score_answer(q, right[:1]) == (0.5, False)
    assert grading.score_answer(q, right[:1] + wrong[:1]) == (0.0, False)
    # Ticking everything earns nothing.
    assert grading.score_answer(q, right + wrong) == (0.0, False)


def test_multiple_response_without_partial_credit_is_all_or_nothing():
    q = snapshot(q_multiple(partial=False))
    right = option_ids(q, True)
    assert grading.score_answer(q, right[:1]) == (0.0, False)
    assert grading.score_answer(q, right) == (1.0, True)


def test_true_false():
    q = snapshot(q_true_false(correct="false"))
    assert grading.score_answer(q, "false") == (1.0, True)
    assert grading.score_answer(q, "true") == (0.0, False)


def test_matching_and_ordering_with_and_without_partial_credit():
    m = snapshot(q_matching(partial=True))
    ids = [p["id"] for p in m["pairs"]]
    assert grading.score_answer(m, {i: i for i in ids}) == (1.0, True)
    swapped = {ids[0]: ids[1], ids[1]: ids[0], ids[2]: ids[2]}
    assert grading.score_answer(m, swapped) == pytest.approx((1 / 3, False))
    o = snapshot(q_ordering(partial=False))
    steps = [s["id"] for s in o["steps"]]
    assert grading.score_answer(o, {s: n for n, s in enumerate(steps, start=1)}) == (1.0, True)
    assert grading.score_answer(o, {steps[0]: 2, steps[1]: 1, steps[2]: 3}) == (0.0, False)


def test_likert_is_never_scored():
    q = snapshot(q_likert())
    assert q["max_score"] == 0
    assert grading.score_answer(q, 5) == (0.0, None)


def test_learner_view_carries_no_answer_key():
    for raw in (q_single(), q_multiple(), q_true_false(), q_matching(), q_ordering(), q_likert()):
        question = snapshot(raw, shuffle=True)
        tokens = FormTokens(secret=new_secret(), questions=[question])
        flat = repr(question_for_learner(question, tokens))
        assert "correct" not in flat
        assert "feedback" not in flat
        assert question["id"] not in flat


def test_ordering_steps_are_shown_in_any_order_so_the_order_shown_tells_nothing():
    """Never showing the right order would give it away: with two steps, always the reverse."""
    orders = set()
    for seed in range(40):
        quiz = Quiz(questions=[q_ordering(steps=("a", "b"))])
        q = grading.question_snapshot(quiz.questions[0], shuffle_options=False, rng=random.Random(seed))
        orders.add(tuple(q["display_order"]) == tuple(s["id"] for s in q["steps"]))
    assert orders == {True, False}


@pytest.mark.parametrize(
    "post",
    [
        lambda q, other: {"q:" + other["id"]: other["options"][0]["id"]},  # question not in the attempt
        lambda q, other: {"q:" + q["id"]: "no-such-option"},  # unknown option
        lambda q, other: {"q:" + q["id"]: [q["options"][0]["id"], q["options"][1]["id"]]},  # two answers
        lambda q, other: {"q:" + q["id"] + ":extra": q["options"][0]["id"]},  # made-up sub-field
    ],
)
def test_tampered_posts_are_rejected(post):
    q = snapshot(q_single())
    other = snapshot(q_single())
    with pytest.raises(grading.InvalidAnswerError):
        grading.parse_answers([q], as_post(post(q, other)))


def test_matching_and_ordering_reject_unknown_ids_and_positions():
    m = snapshot(q_matching())
    o = snapshot(q_ordering())
    with pytest.raises(grading.InvalidAnswerError):
        grading.parse_answers([m], as_post({f"q:{m['id']}:{m['pairs'][0]['id']}": "nope"}))
    with pytest.raises(grading.InvalidAnswerError):
        grading.parse_answers([o], as_post({f"q:{o['id']}:{o['steps'][0]['id']}": "9"}))
    with pytest.raises(grading.InvalidAnswerError):
        grading.parse_answers([o], as_post({f"q:{o['id']}:not-a-step": "1"}))


def test_parse_ignores_blank_answers_and_other_fields():
    q = snapshot(q_single())
    assert (
        grading.parse_answers(
            [q], as_post({"csrfmiddlewaretoken": "x", "action": "save", f"q:{q['id']}": ""})
        )
        == {}
    )


def test_a_question_shown_but_left_empty_clears_the_answer():
    q = snapshot(q_multiple())
    other = snapshot(q_single())
    post = as_post(
        {
            f"q:{q['id']}:shown": "1",
            f"q:{other['id']}:shown": "1",
            f"q:{other['id']}": other["options"][0]["id"],
        }
    )
    assert grading.parse_answers([q, other], post) == {q["id"]: None, other["id"]: other["options"][0]["id"]}
