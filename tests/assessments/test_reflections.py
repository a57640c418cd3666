"""Reflection tasks: drafts, submission, sanitising, privacy, sharing and feedback."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services
from assessments.models import ReflectionAnswer, ReflectionFeedback, ReflectionStatus
from courses.models import ModuleProgress
from courses.selectors import course_modules
from tests.factories import UserFactory, add_reflection_block, holder_of

pytestmark = pytest.mark.django_db

XSS = (
    '<p>Hei<script>alert(1)</script></p><img src=x onerror="alert(1)">'
    '<p><a href="javascript:alert(1)">klikk</a></p><svg onload="alert(1)"></svg>'
    '<p style="color:red" onmouseover="alert(1)">stil</p><p><a href="https://example.no">ok</a></p>'
)


@pytest.fixture
def task(course, enrolment):
    module = course_modules(course)[0]
    return module, add_reflection_block(module, min_words=5)


def save_url(task):
    module, block_id = task
    return reverse("assessments:reflection_save", args=[module.pk, block_id])


def test_draft_autosave_then_submit_completes_the_module(logged_in_client, task, user):
    module, block_id = task
    response = logged_in_client.post(
        save_url(task),
        {"action": "save", "format": "text", "text": "Et utkast"},
        HTTP_ACCEPT="application/json",
    )
    assert response.json()["ok"] is True
    answer = ReflectionAnswer.objects.get(user=user)
    assert answer.status == ReflectionStatus.DRAFT and answer.text == "<p>Et utkast</p>"
    assert not ModuleProgress.objects.filter(module=module, completed_at__isnull=False).exists()

    logged_in_client.post(
        save_url(task), {"action": "submit", "format": "text", "text": "en to tre fire fem seks"}
    )
    answer.refresh_from_db()
    assert answer.status == ReflectionStatus.SUBMITTED
    assert ModuleProgress.objects.get(module=module).completed_at is not None


def test_minimum_words_is_enforced_with_a_clear_message(logged_in_client, task, user):
    response = logged_in_client.post(
        save_url(task), {"action": "submit", "format": "text", "text": "for kort"}, follow=True
    )
    assert "Skriv minst 5 ord" in response.content.decode()
    assert not ReflectionAnswer.objects.filter(status=ReflectionStatus.SUBMITTED).exists()


def test_xss_is_harmless_as_stored_and_as_rendered(logged_in_client, task, user):
    logged_in_client.post(
        save_url(task), {"action": "submit", "format": "html", "html": XSS + " en to tre fire fem"}
    )
    stored = ReflectionAnswer.objects.get(user=user).text
    pages = [
        stored,
        logged_in_client.get(
            reverse("assessments:reflection_detail", args=[ReflectionAnswer.objects.get().pk])
        ).content.decode(),
        logged_in_client.get(task[0].url).content.decode(),
    ]
    for html in pages:
        lowered = html.lower()
        assert "alert(1)" not in lowered
        assert "<svg" not in lowered and "onerror" not in lowered and 'style="color' not in lowered
    assert '<a href="https://example.no" rel="noopener noreferrer">ok</a>' in stored


def test_only_the_learner_reads_an_unshared_reflection(logged_in_client, task, user, course):
    logged_in_client.post(
        save_url(task), {"action": "submit", "format": "text", "text": "en to tre fire fem seks"}
    )
    reflection = ReflectionAnswer.objects.get()
    detail = reverse("assessments:reflection_detail", args=[reflection.pk])
    assert logged_in_client.get(detail).status_code == 200

    holder = holder_of(course)
    admin_url = reverse("assessments_shared_reflection", args=[reflection.pk])
    client = Client()  # a second browser; logged_in_client stays the learner's
    for outsider in (UserFactory(), holder):
        client.force_login(outsider)
        assert client.get(detail).status_code == 404
        assert (
            client.post(
                reverse("assessments:reflection_share", args=[reflection.pk]), {"share": "1"}
            ).status_code
            == 404
        )
    # The holder, not yet shared with, gets 404 in the admin too.
    client.force_login(holder)
    assert client.get(admin_url).status_code == 404
    reflection.refresh_from_db()
    assert reflection.shared_at is None


def test_shared_reflection_reaches_its_course_holders_who_can_reply(
    logged_in_client, task, user, course, catalogue
):
    from tests.factories import make_course

    logged_in_client.post(
        save_url(task), {"action": "submit", "format": "text", "text": "en to tre fire fem seks"}
    )
    reflection = ReflectionAnswer.objects.get()
    logged_in_client.post(reverse("assessments:reflection_share", args=[reflection.pk]), {"share": "1"})
    reflection.refresh_from_db()
    assert reflection.shared_at is not None

    admin_url = reverse("assessments_shared_reflection", args=[reflection.pk])
    client = Client()  # a second browser; logged_in_client stays the learner's
    holder_elsewhere = holder_of(make_course(catalogue))
    client.force_login(holder_elsewhere)
    assert client.get(admin_url).status_code == 404

    holder = holder_of(course)
    client.force_login(holder)
    assert "en to tre fire fem seks" in client.get(admin_url).content.decode()
    client.post(admin_url, {"text": "Godt observert!"})
    assert ReflectionFeedback.objects.get().text == "Godt observert!"
    detail = logged_in_client.get(
        reverse("assessments:reflection_detail", args=[reflection.pk])
    ).content.decode()
    assert "Godt observert!" in detail

    # Taking it back closes it again.
    logged_in_client.post(reverse("assessments:reflection_share", args=[reflection.pk]), {"share": "0"})
    assert client.get(admin_url).status_code == 404


def test_a_draft_cannot_be_shared(logged_in_client, task, user):
    logged_in_client.post(save_url(task), {"action": "save", "format": "text", "text": "utkast"})
    reflection = ReflectionAnswer.objects.get()
    with pytest.raises(services.AssessmentError):
        services.reflection_share(user=user, reflection=reflection, share=True)


def test_learner_not_enrolled_cannot_write(client, task):
    client.force_login(UserFactory())
    response = client.post(
        save_url(task), {"action": "submit", "format": "text", "text": "en to tre fire fem"}
    )
    assert response.status_code == 404
    assert not ReflectionAnswer.objects.exists()


def test_download_all_reflections_as_pdf(logged_in_client, task, user):
    from io import BytesIO

    from pypdf import PdfReader

    logged_in_client.post(
        save_url(task), {"action": "submit", "format": "text", "text": "Mitt eget svar om praksis her"}
    )
    other = UserFactory()
    ReflectionAnswer.objects.create(
        user=other,
        course=task[0].get_parent().specific,
        module=task[0],
        block_id=task[1],
        prompt="x",
        text="<p>Hemmelig</p>",
    )
    response = logged_in_client.get(reverse("assessments:reflections_download"))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Mitt eget svar om praksis her" in text
    assert "Hemmelig" not in text


def test_resubmitting_after_restarting_the_course_completes_the_module_again(
    logged_in_client, task, user, course
):
    from courses import services as course_services

    module, _block = task
    answer = {"action": "submit", "format": "text", "text": "en to tre fire fem seks"}
    logged_in_client.post(save_url(task), answer)
    for other in course_modules(course)[1:]:
        course_services.module_complete(user=user, module=other)
    course_services.enrolment_restart(user=user, course=course)
    assert ModuleProgress.objects.get(module=module).completed_at is None
    logged_in_client.post(save_url(task), answer)
    assert ModuleProgress.objects.get(module=module).completed_at is not None


def test_the_learners_manager_never_reads_a_reflection_even_when_shared(logged_in_client, task, user):
    from tests.factories import add_member, make_unit

    ward = make_unit("Avdeling")
    add_member(user, ward)
    manager = UserFactory()
    add_member(manager, ward, role="manager")
    logged_in_client.post(
        save_url(task), {"action": "submit", "format": "text", "text": "en to tre fire fem seks"}
    )
    reflection = ReflectionAnswer.objects.get()
    logged_in_client.post(reverse("assessments:reflection_share", args=[reflection.pk]), {"share": "1"})
    client = Client()
    client.force_login(manager)
    assert client.get(reverse("assessments:reflection_detail", args=[reflection.pk])).status_code == 404
    assert client.get(reverse("assessments_shared_reflection", args=[reflection.pk])).status_code in (
        302,
        404,
    )
    # The manager's drill-down shows courses and dates, never the text.
    page = client.get(reverse("reports:person", args=[user.pk])).content.decode()
    assert "en to tre fire fem seks" not in page


def test_without_javascript_the_answer_survives_saving_again_unchanged(logged_in_client, task, user):
    text = "Pasienten & pårørende sa «a < b».\n\nNytt avsnitt."
    logged_in_client.post(save_url(task), {"action": "save", "format": "text", "text": text})
    first = ReflectionAnswer.objects.get().text
    page = logged_in_client.get(task[0].url).content.decode()
    from html import unescape

    shown = unescape(page.split('name="text"')[1].split(">", 1)[1].split("</textarea>")[0])
    assert shown == text
    logged_in_client.post(save_url(task), {"action": "save", "format": "text", "text": shown})
    assert ReflectionAnswer.objects.get().text == first


def test_too_short_without_javascript_shows_the_error_at_the_field_and_keeps_the_text(
    logged_in_client, task, user
):
    """Issue 11, point 8: the page used to reload with the message at the top and focus on <body>."""
    module, block_id = task
    response = logged_in_client.post(
        save_url(task), {"action": "submit", "format": "text", "text": "for kort"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    error_id = f"reflection-{block_id}-error"
    error = re.search(rf'<p class="errorlist" id="{error_id}" role="alert"[^>]*>(.*?)</p>', html, re.S)
    assert error and "Svaret har 2 ord. Skriv minst 5 ord før du leverer." in error.group(1)
    assert "hidden" not in error.group(0)
    field = re.search(rf'<textarea id="reflection-{block_id}-text"[^>]*>(.*?)</textarea>', html, re.S)
    assert field, "the reflection's field is on the page"
    assert "autofocus" in field.group(0) and 'aria-invalid="true"' in field.group(0)
    assert f'aria-describedby="{error_id} ' in field.group(0)
    assert field.group(1) == "for kort"  # what the learner wrote is still there
    # It is the module page itself, so the rest of the module is there too; nothing was stored.
    assert module.title in html
    assert not ReflectionAnswer.objects.exists()


def test_too_short_with_javascript_gets_the_error_in_json(logged_in_client, task):
    response = logged_in_client.post(
        save_url(task),
        {"action": "submit", "format": "html", "html": "<p>for kort</p>"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": "Svaret har 2 ord. Skriv minst 5 ord før du leverer."}
    response = logged_in_client.post(
        save_url(task),
        {"action": "submit", "format": "html", "html": "<p>en to tre fire fem</p>"},
        HTTP_ACCEPT="application/json",
    )
    assert response.json()["message"].startswith("Refleksjonen er levert.")
    assert ReflectionAnswer.objects.get().status == ReflectionStatus.SUBMITTED


def test_the_page_without_an_error_has_no_error_at_the_field(logged_in_client, task):
    module, block_id = task
    html = logged_in_client.get(module.url).content.decode()
    error_id = f"reflection-{block_id}-error"
    assert f'<p class="errorlist" id="{error_id}" role="alert" data-reflection-error hidden>' in html
    field = re.search(rf'<textarea id="reflection-{block_id}-text"[^>]*>', html).group(0)
    assert "autofocus" not in field and "aria-invalid" not in field
