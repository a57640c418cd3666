"""Issue 11, point 4: a new quiz certifies something by default.

Three attempts and the right answers only after passing, explained in the editor; demo quizzes
follow. Existing quizzes keep their own rules (the migration changes defaults only).
"""

import json
from pathlib import Path

import pytest
from django.urls import reverse

from assessments.models import Quiz, ReviewPolicy
from courses import services as course_services
from courses.selectors import course_modules
from tests.factories import UserFactory, add_quiz_block, make_quiz, wrong_post

pytestmark = pytest.mark.django_db
DEMO_QUIZZES = Path(__file__).resolve().parents[2] / "demo" / "data" / "quizzes"


def test_a_new_quiz_allows_three_attempts_and_shows_answers_only_after_passing(course):
    quiz = Quiz(course=course, title="Ny test")
    assert quiz.max_attempts == 3
    assert quiz.review_policy == ReviewPolicy.AFTER_PASS


def test_the_quiz_editor_starts_from_the_defaults_and_explains_them(holder_client, course):
    response = holder_client.get(reverse("wagtailsnippets_assessments_quiz:add"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["max_attempts"].value() == 3
    assert form["review_policy"].value() == ReviewPolicy.AFTER_PASS
    html = response.content.decode()
    assert "skrive av fasiten" in html  # what «after each attempt» with many attempts means
    assert "Etter bestått test" in html


def test_a_learner_who_fails_gets_no_answer_key_and_three_tries(client, course):
    quiz = make_quiz(course)  # the test factory sets no rules of its own: the model's defaults
    module = course_modules(course)[-1]
    block_id = add_quiz_block(module, quiz)
    learner = UserFactory()
    course_services.enrolment_create(user=learner, course=course)
    client.force_login(learner)
    start = reverse("assessments:quiz_start", args=[module.pk, block_id])
    for _ in range(3):
        attempt_url = client.post(start)["Location"]
        attempt = learner.quiz_attempts.order_by("-number").first()
        client.post(attempt_url, {**wrong_post(attempt), "action": "submit"})
        result = client.get(reverse("assessments:attempt_result", args=[attempt.public_id])).content.decode()
        assert "Riktig svar:" not in result
        assert "Riktige svar vises når du har bestått" in result
    assert learner.quiz_attempts.count() == 3
    client.post(start)
    assert learner.quiz_attempts.count() == 3  # a fourth try is refused


def test_every_demo_quiz_follows_the_defaults():
    files = sorted(DEMO_QUIZZES.glob("*.json"))
    assert files
    for path in files:
        rules = json.loads(path.read_text(encoding="utf-8"))["quiz"]
        assert rules["max_attempts"] == 3, path.name
        assert rules["review_policy"] == ReviewPolicy.AFTER_PASS, path.name
