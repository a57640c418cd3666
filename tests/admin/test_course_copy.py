"""Issue 11, point 3: «Kopier» on a course copies its quizzes and kursbevis template and re-links the
copied modules' quiz blocks, and no way of publishing puts a module live with a quiz it cannot serve.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from assessments.models import Quiz
from certificates.models import CertificateTemplate
from courses import services as course_services
from courses.models import CoursePage, ModulePage
from courses.selectors import course_modules
from tests.factories import UserFactory, add_quiz_block, make_certificate_template, make_course, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_with_quiz(catalogue, holders_group):
    course = make_course(catalogue, title="Den gode samtalen")
    quiz = make_quiz(course, title="Kunnskapstest: samtalen")
    make_quiz(course, title="Øvingstest (ikke plassert ennå)")
    module = course_modules(course)[-1]
    block_id = add_quiz_block(module, quiz)
    make_certificate_template(course, name="Kursbevis – samtalen", validity_months=24)
    return course, quiz, module, block_id


def copy_course(client, course, catalogue, *, slug="kopi", publish=True):
    data = {"new_title": "Den gode samtalen (kopi)", "new_slug": slug, "new_parent_page": catalogue.pk}
    data["copy_subpages"] = "on"
    if publish:
        data["publish_copies"] = "on"
    response = client.post(reverse("wagtailadmin_pages:copy", args=[course.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return CoursePage.objects.get(slug=slug), response


def quiz_ids(module: ModulePage) -> dict:
    module.refresh_from_db()
    live = [b["value"]["quiz"] for b in module.body.raw_data if b["type"] == "quiz"]
    latest = [
        b["value"]["quiz"]
        for b in module.get_latest_revision_as_object().body.raw_data
        if b["type"] == "quiz"
    ]
    return {"live": live, "latest": latest}


def test_a_published_copy_has_its_own_quizzes_and_can_be_completed(
    holder_client, catalogue, course_with_quiz, client
):
    course, quiz, module, block_id = course_with_quiz
    copy, _response = copy_course(holder_client, course, catalogue, publish=True)

    copied_quizzes = list(Quiz.objects.filter(course=copy).order_by("title"))
    assert [q.title for q in copied_quizzes] == ["Kunnskapstest: samtalen", "Øvingstest (ikke plassert ennå)"]
    new_quiz = copied_quizzes[0]
    assert new_quiz.pk != quiz.pk
    assert list(new_quiz.questions.raw_data) == list(Quiz.objects.get(pk=quiz.pk).questions.raw_data)
    assert (new_quiz.pass_percent, new_quiz.max_attempts, new_quiz.review_policy) == (
        quiz.pass_percent,
        quiz.max_attempts,
        quiz.review_policy,
    )
    copied_module = ModulePage.objects.child_of(copy).get(title=module.title)
    assert copied_module.live
    assert quiz_ids(copied_module) == {"live": [new_quiz.pk], "latest": [new_quiz.pk]}
    # The original course is untouched.
    assert quiz_ids(module) == {"live": [quiz.pk], "latest": [quiz.pk]}
    assert Quiz.objects.filter(course=course).count() == 2

    template = CertificateTemplate.objects.get(course=copy)
    assert template.validity_months == 24 and template.pk != course.certificate_template.pk
    assert CertificateTemplate.objects.get(course=course).name == "Kursbevis – samtalen"

    # A learner starts the copy's quiz («Start testen» answered 404 before).
    learner = UserFactory()
    client.force_login(learner)
    course_services.enrolment_create(user=learner, course=copy)
    response = client.post(reverse("assessments:quiz_start", args=[copied_module.pk, block_id]))
    assert response.status_code == 302
    assert learner.quiz_attempts.get().quiz == new_quiz


def test_an_unpublished_copy_can_be_published_by_the_course_holder(
    holder_client, catalogue, course_with_quiz
):
    course, quiz, module, _block_id = course_with_quiz
    copy, _response = copy_course(holder_client, course, catalogue, slug="utkast", publish=False)
    copied_module = ModulePage.objects.child_of(copy).get(title=module.title)
    assert not copied_module.live
    new_quiz = Quiz.objects.get(course=copy, title=quiz.title)
    assert quiz_ids(copied_module)["latest"] == [new_quiz.pk]

    response = holder_client.post(
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={copy.pk}",
        {"include_descendants": "on"},
    )
    assert response.status_code == 302
    copied_module.refresh_from_db()
    assert copied_module.live


def test_publishing_a_module_with_a_quiz_it_cannot_serve_is_refused(
    holder_client, catalogue, course_with_quiz
):
    course, _quiz, _module, _block_id = course_with_quiz
    other = make_course(catalogue, title="Et annet kurs")
    foreign = make_quiz(other, title="Fremmed test")
    draft = ModulePage.objects.child_of(course).first()
    body = list(draft.body.raw_data) + [{"type": "quiz", "id": "fremmed", "value": {"quiz": foreign.pk}}]
    draft.body = body
    draft.save_revision()  # a draft made outside the editor (as a copy made before this fix was)

    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"]) + f"?id={draft.pk}"
    response = holder_client.post(url, {})
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("hører til et annet kurs" in m and "Fremmed test" in m for m in messages), messages
    draft.refresh_from_db()
    assert not [b for b in draft.body.raw_data if b["type"] == "quiz"]  # the live page kept its body

    # A quiz that no longer exists is named as such.
    foreign_id = foreign.pk
    draft.body = list(draft.body.raw_data) + [
        {"type": "quiz", "id": "borte", "value": {"quiz": foreign_id + 1000}}
    ]
    draft.save_revision()
    response = holder_client.post(url, {})
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("finnes ikke lenger" in m for m in messages), messages
    draft.refresh_from_db()
    assert not [b for b in draft.body.raw_data if b["type"] == "quiz"]


def test_copying_a_module_into_another_course_gives_that_course_a_copy_of_the_quiz(
    holder_client, catalogue, course_with_quiz
):
    course, quiz, module, _block_id = course_with_quiz
    target = make_course(catalogue, title="Målkurs", modules=1)
    response = holder_client.post(
        reverse("wagtailadmin_pages:copy", args=[module.pk]),
        {
            "new_title": "Kopiert modul",
            "new_slug": "kopiert-modul",
            "new_parent_page": target.pk,
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    copied = ModulePage.objects.get(slug="kopiert-modul")
    target_quiz = Quiz.objects.get(course=target)
    assert target_quiz.title == quiz.title
    assert quiz_ids(copied) == {"live": [target_quiz.pk], "latest": [target_quiz.pk]}


def test_a_published_copy_whose_quiz_is_gone_keeps_that_module_offline(
    holder_client, catalogue, course_with_quiz
):
    course, quiz, module, _block_id = course_with_quiz
    Quiz.objects.filter(pk=quiz.pk).delete()  # gone behind the admin's back (the admin refuses it)
    copy, response = copy_course(holder_client, course, catalogue, slug="uten-test", publish=True)
    copied_module = ModulePage.objects.child_of(copy).get(title=module.title)
    assert not copied_module.live  # «Start testen» would answer 404 and the course could never be completed
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("finnes ikke lenger" in m and module.title in m for m in messages), messages
    assert ModulePage.objects.child_of(copy).exclude(pk=copied_module.pk).live().count() == 2
