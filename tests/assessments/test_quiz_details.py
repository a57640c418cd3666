"""Quiz details a pilot tripped over: the multiple-response hint, ordering answers with two steps in
the same place, «Prøv igjen» on the result page, and an autosave that arrives after the submission."""

import re

import pytest
from django.urls import reverse

from assessments import grading
from assessments.formtokens import FormTokens
from assessments.models import AttemptAnswer, AttemptStatus, QuizAttempt
from courses.selectors import course_modules
from tests.assessments.conftest import as_post
from tests.assessments.test_grading import snapshot
from tests.factories import (
    add_quiz_block,
    correct_post,
    form_post,
    make_quiz,
    q_multiple,
    q_ordering,
    q_single,
    wrong_post,
)

pytestmark = pytest.mark.django_db

HINT = "(Velg alle som passer.)"


def start(client, course, **rules):
    quiz = make_quiz(course, **rules)
    module = course_modules(course)[-1]
    block_id = add_quiz_block(module, quiz)
    assert client.post(reverse("assessments:quiz_start", args=[module.pk, block_id])).status_code == 302
    return QuizAttempt.objects.get(quiz=quiz), module, block_id


def attempt_url(attempt):
    return reverse("assessments:attempt", args=[attempt.public_id])


# «(Velg alle som passer.)» once ---------------------------------------------------------------


def test_the_choose_all_hint_is_printed_once_whether_or_not_the_question_says_it(
    logged_in_client, course, enrolment
):
    attempt, _module, _block = start(
        logged_in_client,
        course,
        questions=[
            q_multiple("Hvilke av disse er eksempler på aktiv lytting? (Velg alle som passer.)"),
            q_multiple("Hvilke hører med i samvalg?"),
        ],
    )
    html = logged_in_client.get(attempt_url(attempt)).content.decode()
    assert html.count(HINT) == 2  # once in the first question's own text, once added to the second
    first, second = html.split("<fieldset>")[1:3]
    assert first.count(HINT) == 1
    assert second.count(HINT) == 1


# Ordering: two steps in the same place ---------------------------------------------------------


def test_parsing_refuses_two_steps_in_the_same_place_with_a_norwegian_message():
    order = snapshot(q_ordering(steps=("Invitere", "Informere", "Bestemme")))
    steps = [s["id"] for s in order["steps"]]
    post = as_post({f"q:{order['id']}:{steps[0]}": "1", f"q:{order['id']}:{steps[1]}": "1"})
    with pytest.raises(grading.DuplicatePositionError) as refused:
        grading.parse_answers([order], post)
    assert refused.value.errors == {
        order["id"]: "To eller flere steg har fått samme plass (1). Gi hvert steg sitt eget nummer."
    }
    # A partial answer with distinct places is still fine (the learner is not done yet).
    partial = as_post({f"q:{order['id']}:{steps[0]}": "2"})
    assert grading.parse_answers([order], partial) == {order["id"]: {steps[0]: 2}}


@pytest.fixture
def ordering_attempt(logged_in_client, course, enrolment):
    attempt, _module, _block = start(
        logged_in_client,
        course,
        questions=[
            q_single("Hva er samvalg?"),
            q_ordering("Sett i rekkefølge.", steps=("A-steg", "B-steg", "C-steg")),
        ],
    )
    return attempt


def duplicate_post(attempt):
    single, order = attempt.questions
    steps = [s["id"] for s in order["steps"]]
    return order, form_post(
        attempt,
        {
            f"q:{single['id']}": next(o["id"] for o in single["options"] if o["correct"]),
            f"q:{order['id']}:shown": "1",
            f"q:{order['id']}:{steps[0]}": "2",
            f"q:{order['id']}:{steps[1]}": "2",
            f"q:{order['id']}:{steps[2]}": "1",
        },
    )


def test_submitting_duplicate_places_shows_the_error_at_the_question_and_saves_nothing(
    logged_in_client, ordering_attempt
):
    order, post = duplicate_post(ordering_attempt)
    response = logged_in_client.post(attempt_url(ordering_attempt), {**post, "action": "submit"})
    assert response.status_code == 400
    html = response.content.decode()
    token = FormTokens.for_attempt(ordering_attempt).question(order["id"])
    error_id = f"q-{token}-error"
    error = re.search(rf'<p class="errorlist" id="{error_id}" role="alert"[^>]*>(.*?)</p>', html, re.S)
    assert error and "samme plass (2)" in error.group(1)
    # Every select of the question points at the error and is marked invalid; the first is focused.
    selects = re.findall(rf'<select id="s-{token}-[^"]+"[^>]*>', html)
    assert len(selects) == 3
    assert all('aria-invalid="true"' in s and f'aria-describedby="{error_id}"' in s for s in selects)
    assert sum("autofocus" in s for s in selects) == 1
    # The learner's choices are shown as posted (nothing is lost), but nothing was saved.
    assert html.count('value="2" selected') == 2
    ordering_attempt.refresh_from_db()
    assert ordering_attempt.status == AttemptStatus.IN_PROGRESS
    assert not AttemptAnswer.objects.filter(attempt=ordering_attempt, response__isnull=False).exists()


def test_autosaving_duplicate_places_is_refused_in_json_naming_the_question(
    logged_in_client, ordering_attempt
):
    order, post = duplicate_post(ordering_attempt)
    response = logged_in_client.post(
        attempt_url(ordering_attempt), {**post, "action": "save"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    # Keyed by the question's token on the page (its data-question), not by its id.
    token = FormTokens.for_attempt(ordering_attempt).question(order["id"])
    assert list(body["errors"]) == [token]
    assert f'data-question="{token}"' in logged_in_client.get(attempt_url(ordering_attempt)).content.decode()
    assert "Gi hvert steg sitt eget nummer" in body["errors"][token]
    assert not AttemptAnswer.objects.filter(attempt=ordering_attempt, response__isnull=False).exists()


# «Prøv igjen» ---------------------------------------------------------------------------------


def test_result_page_offers_to_try_again_while_attempts_are_left(logged_in_client, course, enrolment):
    attempt, module, block_id = start(logged_in_client, course, max_attempts=2)
    logged_in_client.post(attempt_url(attempt), {**wrong_post(attempt), "action": "submit"})
    result = reverse("assessments:attempt_result", args=[attempt.public_id])
    html = logged_in_client.get(result).content.decode()
    start_url = reverse("assessments:quiz_start", args=[module.pk, block_id])
    assert f'action="{start_url}"' in html
    assert "Prøv igjen" in html and "1 forsøk igjen" in html

    # Pressing it starts the second attempt; after failing that too, no attempts are left.
    response = logged_in_client.post(start_url)
    second = QuizAttempt.objects.get(quiz=attempt.quiz, number=2)
    assert response.url == attempt_url(second)
    logged_in_client.post(attempt_url(second), {**wrong_post(second), "action": "submit"})
    html = logged_in_client.get(
        reverse("assessments:attempt_result", args=[second.public_id])
    ).content.decode()
    assert "Prøv igjen" not in html
    assert "Du har brukt alle forsøkene." in html


def test_a_passed_attempt_offers_no_try_again(logged_in_client, course, enrolment):
    attempt, _module, _block = start(logged_in_client, course, max_attempts=3)
    logged_in_client.post(attempt_url(attempt), {**correct_post(attempt), "action": "submit"})
    html = logged_in_client.get(
        reverse("assessments:attempt_result", args=[attempt.public_id])
    ).content.decode()
    assert "Bestått." in html
    assert "Prøv igjen" not in html


# Autosave after the submission -----------------------------------------------------------------


def test_an_autosave_arriving_after_the_submission_is_quiet_and_changes_nothing(
    logged_in_client, course, enrolment
):
    attempt, _module, _block = start(logged_in_client, course)
    logged_in_client.post(attempt_url(attempt), {**correct_post(attempt), "action": "submit"})
    attempt.refresh_from_db()
    graded = (attempt.status, attempt.score, attempt.percent, attempt.passed)
    answers = list(
        AttemptAnswer.objects.filter(attempt=attempt).values_list("question_id", "response", "score")
    )

    response = logged_in_client.post(
        attempt_url(attempt), {**wrong_post(attempt), "action": "save"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["closed"] is True and body["saved"] == 0
    assert body["result_url"] == reverse("assessments:attempt_result", args=[attempt.public_id])
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.percent, attempt.passed) == graded
    assert (
        list(AttemptAnswer.objects.filter(attempt=attempt).values_list("question_id", "response", "score"))
        == answers
    )
