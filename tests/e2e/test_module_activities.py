"""The learner's module page with several activities (issue 11, points 8 and 9), in chromium with
axe-core checks: a too short reflection shows its error at the field with focus there, with and
without JavaScript; the page names the activities left and follows them live, without a reload."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import ReflectionAnswer, ReflectionStatus
from courses import services
from courses.models import ModuleProgress
from h5p.services import h5p_content_create
from tests.factories import (
    TEST_PASSWORD,
    UserFactory,
    add_reflection_block,
    make_catalogue,
    make_course,
    make_module,
)
from tests.h5p.packages import FIXTURE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PROMPT = "Beskriv en samtale der du brukte samvalg."


def log_in(page, base_url, email):
    page.goto(f"{base_url}/konto/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("main").get_by_role("button", name="Logg inn", exact=True).click()
    expect(page.locator("input[name=password]")).to_have_count(0)


@pytest.fixture
def module_with_h5p_and_reflection(django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@test.example", password="x")
    content = h5p_content_create(data=FIXTURE.read_bytes(), user=admin, title="Sant eller usant")
    course = make_course(make_catalogue(), title="Samvalg i praksis", modules=0)
    module = make_module(course, title="Samtalen")
    module.body = [
        {"type": "rich_text", "value": "<p>Les om samvalg først.</p>"},
        {"type": "h5p", "value": {"content": content.pk, "completion_rule": "completed", "pass_percent": 80}},
    ]
    module.save_revision().publish()
    block_id = add_reflection_block(module, prompt=PROMPT, min_words=5)
    learner = UserFactory(email="modul@test.example")
    services.enrolment_create(user=learner, course=course)
    return module, block_id, learner


def remaining(page) -> list[str]:
    return [" ".join(text.split()) for text in page.locator(".module-remaining li").all_inner_texts()]


def test_errors_at_the_field_and_what_is_left_follow_live(
    live_server, page, module_with_h5p_and_reflection, accessibility_violations
):
    module, block_id, learner = module_with_h5p_and_reflection
    log_in(page, live_server.url, learner.email)
    page.goto(f"{live_server.url}{module.url}")
    status = page.locator(".module-done")
    expect(status).to_contain_text("Dette gjenstår:")
    assert remaining(page) == ["Sant eller usant – Interaktiv aktivitet (H5P)", "Refleksjonsoppgave"]
    # Each item leads to its activity on the page.
    expect(status.get_by_role("link", name="Refleksjonsoppgave")).to_have_attribute(
        "href", f"#reflection-{block_id}"
    )
    assert accessibility_violations(page) == []
    page.evaluate("() => { window.notReloaded = true; }")

    # Point 8: too short is refused in the browser, at the field, which gets focus and is announced.
    editor = page.get_by_role("textbox", name="Ditt svar")
    editor.click()
    page.keyboard.type("For kort")
    page.get_by_role("button", name="Lever svaret").click()
    error = page.locator(f"#reflection-{block_id}-error")
    expect(error).to_be_visible()
    expect(error).to_have_text("Feil: Svaret er for kort. Skriv minst 5 ord før du leverer.")
    expect(error).to_have_attribute("role", "alert")
    expect(editor).to_be_focused()
    expect(editor).to_have_attribute("aria-invalid", "true")
    expect(editor).to_have_attribute("aria-describedby", re.compile(rf"^reflection-{block_id}-error "))
    assert accessibility_violations(page) == []
    assert not ReflectionAnswer.objects.filter(status=ReflectionStatus.SUBMITTED).exists()

    # Point 9: answering the H5P activity updates the list without a reload.
    player = page.frame_locator("iframe.h5p-activity__frame")
    player.get_by_text("True", exact=True).click()
    player.get_by_role("button", name="Check").click()
    expect(page.locator(".h5p-activity__status")).to_have_text("Aktiviteten er fullført.")
    expect(status.locator(".module-remaining li")).to_have_count(1)
    assert remaining(page) == ["Refleksjonsoppgave"]
    expect(status.locator("[role=status]")).to_have_text("Dette gjenstår i modulen: Refleksjonsoppgave.")

    # Enough words: handed in without leaving the page; the error goes, the module is complete.
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(": jeg spurte hva som var viktig")
    expect(error).to_be_hidden()
    expect(editor).not_to_have_attribute("aria-invalid", "true")
    page.get_by_role("button", name="Lever svaret").click()
    expect(page.get_by_text("Refleksjonen er levert.")).to_be_visible()
    expect(status.locator(".status--done")).to_have_text("Fullført")
    expect(status.locator("[role=status]")).to_have_text("Modulen er fullført.")
    assert page.evaluate("() => window.notReloaded") is True
    assert accessibility_violations(page) == []
    assert ReflectionAnswer.objects.get(user=learner).status == ReflectionStatus.SUBMITTED
    assert ModuleProgress.objects.get(enrolment__user=learner, module=module).completed_at is not None


def test_without_javascript_the_error_is_at_the_field_and_focused(
    live_server, browser, page, module_with_h5p_and_reflection, accessibility_violations
):
    module, block_id, learner = module_with_h5p_and_reflection
    context = browser.new_context(locale="nb-NO", java_script_enabled=False)
    try:
        no_js = context.new_page()
        log_in(no_js, live_server.url, learner.email)
        no_js.goto(f"{live_server.url}{module.url}")
        field = no_js.get_by_role("textbox", name="Ditt svar")
        field.fill("For kort svar")
        no_js.get_by_role("button", name="Lever svaret").click()

        error = no_js.locator(f"#reflection-{block_id}-error")
        expect(error).to_be_visible()
        expect(error).to_have_text("Feil: Svaret har 3 ord. Skriv minst 5 ord før du leverer.")
        expect(field).to_be_focused()
        expect(field).to_have_value("For kort svar")  # nothing typed is lost
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_attribute("aria-describedby", re.compile(rf"^reflection-{block_id}-error "))
        # The rest of the module page is there too, with what is left.
        expect(no_js.locator(".module-remaining li")).to_have_count(2)
        assert not ReflectionAnswer.objects.exists()
        html = no_js.content()
    finally:
        context.close()
    # axe needs JavaScript: check the page exactly as the browser without it got it (scripts removed,
    # from the same address so its styles load).
    page.goto(f"{live_server.url}/")
    page.set_content(re.sub(r"<script\b.*?</script>", "", html, flags=re.S))
    expect(page.locator(f"#reflection-{block_id}-error")).to_be_visible()
    assert accessibility_violations(page) == []
