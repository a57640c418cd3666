"""Course holders author quizzes in the admin; a module only accepts quizzes of its own course."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.selectors import course_modules
from tests.factories import holder_of, make_course, make_quiz

pytestmark = pytest.mark.django_db


def module_form(module, quiz):
    return nested_form_data(
        {
            "title": module.title,
            "slug": module.slug,
            "summary": "",
            "estimated_duration": 15,
            "body": streamfield([("quiz", {"quiz": quiz.pk})]),
        }
    )


def test_module_refuses_a_quiz_from_another_course(admin_client, catalogue, course):
    module = course_modules(course)[0]
    foreign = make_quiz(make_course(catalogue), title="Fremmed test")
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[module.pk]), module_form(module, foreign)
    )
    assert response.status_code == 200
    assert "hører til et annet kurs" in str(response.context["form"].errors["body"])
    module.refresh_from_db()
    assert not [b for b in module.body.raw_data if b["type"] == "quiz"]

    own = make_quiz(course, title="Egen test")
    response = admin_client.post(
        reverse("wagtailadmin_pages:edit", args=[module.pk]), module_form(module, own)
    )
    assert response.status_code == 302
    module.refresh_from_db()
    assert module.get_latest_revision_as_object().body.raw_data[0]["value"]["quiz"] == own.pk


def test_quiz_needs_a_scored_question_and_a_sensible_pool(course):
    from django.core.exceptions import ValidationError

    from tests.factories import q_likert, q_single

    with pytest.raises(ValidationError, match="minst ett spørsmål som gir poeng"):
        make_quiz(course, questions=[q_likert()]).full_clean()
    with pytest.raises(ValidationError, match="bare 1 spørsmål"):
        make_quiz(course, questions=[q_single()], questions_per_attempt=3).full_clean()


def test_course_holder_sees_reports_for_own_courses_only(client, catalogue, course):
    holder = holder_of(course)
    other = make_course(catalogue, title="Et annet kurs")
    client.force_login(holder)
    html = client.get(reverse("assessments_reports")).content.decode()
    assert course.title in html and other.title not in html
    assert client.get(reverse("assessments_course_report", args=[course.pk])).status_code == 200
    assert client.get(reverse("assessments_course_report", args=[other.pk])).status_code == 404
    quiz = make_quiz(other)
    assert client.get(reverse("assessments_quiz_items", args=[quiz.pk])).status_code == 404


def test_a_quiz_shown_in_a_module_cannot_be_deleted(admin_client, course):
    from assessments.models import Quiz
    from tests.factories import add_quiz_block

    placed, loose = make_quiz(course, title="I bruk"), make_quiz(course, title="Ubrukt")
    add_quiz_block(course_modules(course)[0], placed)
    for quiz in (placed, loose):
        admin_client.post(reverse("wagtailsnippets_assessments_quiz:delete", args=[quiz.pk]))
    assert list(Quiz.objects.values_list("title", flat=True)) == ["I bruk"]
    response = admin_client.post(
        reverse("wagtailsnippets_assessments_quiz:delete", args=[placed.pk]), follow=True
    )
    assert "brukes i en modul" in response.content.decode()
