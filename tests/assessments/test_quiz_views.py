"""Taking a quiz through the web: the form, autosave, submit, results and who may see what."""

import pytest
from django.urls import reverse

from assessments.models import AttemptAnswer, AttemptStatus, QuizAttempt
from tests.factories import UserFactory, correct_post, form_post, wrong_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(logged_in_client, quiz_setup):
    _quiz, module, block_id = quiz_setup
    response = logged_in_client.post(reverse("assessments:quiz_start", args=[module.pk, block_id]))
    assert response.status_code == 302
    return QuizAttempt.objects.get()


def test_module_page_shows_the_quiz_and_its_rules(logged_in_client, quiz_setup):
    quiz, module, _block = quiz_setup
    html = logged_in_client.get(module.url).content.decode()
    assert quiz.title in html
    assert "Start testen" in html
    assert "minst 70 % riktig" in html


def test_a_changed_quiz_shows_at_once_though_module_pages_read_quizzes_from_the_cache(
    logged_in_client, quiz_setup
):
    quiz, module, _block = quiz_setup
    assert "minst 70 % riktig" in logged_in_client.get(module.url).content.decode()  # now in the cache
    quiz.title, quiz.pass_percent, quiz.max_attempts = "Ny tittel på testen", 80, 2
    quiz.save()
    html = logged_in_client.get(module.url).content.decode()
    assert "Ny tittel på testen" in html
    assert "minst 80 % riktig" in html and "Du har 2 forsøk." in html


def test_attempt_page_never_contains_the_answer_key(logged_in_client, attempt):
    html = logged_in_client.get(reverse("assessments:attempt", args=[attempt.public_id])).content.decode()
    for question in attempt.questions:
        assert question["text"] in html
        for option in question.get("options", []):
            assert option["text"] in html
            assert option["feedback"] not in html
    assert "correct" not in html.lower().replace("incorrect", "")
    assert "Bra!" not in html  # question feedback


def test_submit_shows_the_result_and_review(logged_in_client, attempt):
    url = reverse("assessments:attempt", args=[attempt.public_id])
    response = logged_in_client.post(url, {**correct_post(attempt), "action": "submit"})
    assert response.status_code == 302
    assert response.url == reverse("assessments:attempt_result", args=[attempt.public_id])
    html = logged_in_client.get(response.url).content.decode()
    assert "Bestått." in html
    assert "100 %" in html
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED


def test_autosave_answers_in_json(logged_in_client, attempt):
    first = attempt.questions[0]
    response = logged_in_client.post(
        reverse("assessments:attempt", args=[attempt.public_id]),
        {**form_post(attempt, {f"q:{first['id']}": first["options"][2]["id"]}), "action": "save"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert (
        AttemptAnswer.objects.get(attempt=attempt, question_id=first["id"]).response
        == first["options"][2]["id"]
    )


def test_tampered_post_gets_a_norwegian_error_and_changes_nothing(logged_in_client, attempt):
    url = reverse("assessments:attempt", args=[attempt.public_id])
    response = logged_in_client.post(
        url, {**correct_post(attempt), "q:ukjent": "x", "action": "submit"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    assert "ikke er med i dette forsøket" in response.json()["error"]
    response = logged_in_client.post(
        url, {**correct_post(attempt), "q:ukjent": "x", "action": "submit"}, follow=True
    )
    assert "Ingenting ble lagret" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert not AttemptAnswer.objects.filter(attempt=attempt, response__isnull=False).exists()


def test_double_submit_keeps_the_first_result(logged_in_client, attempt):
    url = reverse("assessments:attempt", args=[attempt.public_id])
    logged_in_client.post(url, {**wrong_post(attempt), "action": "submit"})
    response = logged_in_client.post(url, {**correct_post(attempt), "action": "submit"}, follow=True)
    assert "allerede levert" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.percent == 0


def test_another_learner_gets_404_for_the_attempt(client, attempt, course):
    intruder = UserFactory()
    client.force_login(intruder)
    for name in ("assessments:attempt", "assessments:attempt_result"):
        assert client.get(reverse(name, args=[attempt.public_id])).status_code == 404
    response = client.post(
        reverse("assessments:attempt", args=[attempt.public_id]),
        {**correct_post(attempt), "action": "submit"},
    )
    assert response.status_code == 404
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS


def test_learner_not_enrolled_cannot_start(client, quiz_setup):
    _quiz, module, block_id = quiz_setup
    client.force_login(UserFactory())
    assert client.post(reverse("assessments:quiz_start", args=[module.pk, block_id])).status_code == 404
    assert not QuizAttempt.objects.exists()


def test_unknown_block_is_404(logged_in_client, quiz_setup):
    _quiz, module, _block_id = quiz_setup
    assert (
        logged_in_client.post(reverse("assessments:quiz_start", args=[module.pk, "nope"])).status_code == 404
    )


def test_correct_answers_follow_the_review_policy(logged_in_client, attempt):
    quiz = attempt.quiz
    quiz.review_policy = "after_each"  # not the default: see tests/admin/test_quiz_defaults.py
    quiz.save()
    url = reverse("assessments:attempt", args=[attempt.public_id])
    logged_in_client.post(url, {**wrong_post(attempt), "action": "submit"})
    result = reverse("assessments:attempt_result", args=[attempt.public_id])
    html = logged_in_client.get(result).content.decode()
    assert "Riktig svar:" in html and "Om Feil" in html
    quiz.review_policy = "after_pass"
    quiz.save()
    html = logged_in_client.get(result).content.decode()
    assert "Riktig svar:" not in html and "Riktige svar vises når du har bestått" in html
    quiz.review_policy = "never"
    quiz.save()
    html = logged_in_client.get(result).content.decode()
    assert "Riktig svar:" not in html
    assert "Om Feil" not in html  # option feedback, which can give the answer away, is hidden too
