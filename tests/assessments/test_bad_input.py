"""Bad input that the earlier tests did not reach: each gets a clear answer and changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import EvaluationResponse, QuizAttempt, ReflectionAnswer, SelfAssessment
from assessments.services import MAX_REFLECTION_CHARS
from courses.selectors import course_modules
from tests.factories import UserFactory, add_reflection_block, make_course

pytestmark = pytest.mark.django_db


def test_evaluation_and_self_assessment_are_404_for_someone_not_enrolled(catalogue):
    course = make_course(catalogue, self_assessment_enabled=True)
    client = Client()
    client.force_login(UserFactory())
    assert client.post(reverse("assessments:evaluation", args=[course.pk]), {"overall": 5}).status_code == 404
    assert client.post(reverse("assessments:self_assessment", args=[course.pk, "pre"])).status_code == 404
    assert not EvaluationResponse.objects.exists() and not SelfAssessment.objects.exists()


def test_unknown_self_assessment_phase_is_404(logged_in_client, catalogue, user):
    from courses import services

    course = make_course(catalogue, self_assessment_enabled=True)
    services.enrolment_create(user=user, course=course)
    assert (
        logged_in_client.get(reverse("assessments:self_assessment", args=[course.pk, "midt"])).status_code
        == 404
    )


def test_too_long_or_unknown_reflection_posts_store_nothing(logged_in_client, course, enrolment):
    module = course_modules(course)[0]
    url = reverse("assessments:reflection_save", args=[module.pk, add_reflection_block(module)])
    response = logged_in_client.post(
        url, {"action": "save", "format": "text", "text": "x" * (MAX_REFLECTION_CHARS + 1)}, follow=True
    )
    assert "Svaret er for langt" in response.content.decode()
    response = logged_in_client.post(url, {"action": "slett", "format": "text", "text": "hei"}, follow=True)
    assert "Ukjent handling" in response.content.decode()
    assert not ReflectionAnswer.objects.exists()


def test_unknown_attempt_action_changes_nothing(logged_in_client, quiz_setup):
    _quiz, module, block_id = quiz_setup
    logged_in_client.post(reverse("assessments:quiz_start", args=[module.pk, block_id]))
    attempt = QuizAttempt.objects.get()
    response = logged_in_client.post(
        reverse("assessments:attempt", args=[attempt.public_id]), {"action": "slett"}
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.is_in_progress and attempt.score is None


def test_unknown_export_format_and_backwards_period(admin_client):
    assert admin_client.get(reverse("reports:export", args=["pdf"])).status_code == 404
    response = admin_client.get(reverse("reports_statistics"), {"start": "2026-12-31", "end": "2026-01-01"})
    assert response.status_code == 200
    assert "«Fra» må være før «Til»." in response.content.decode()
