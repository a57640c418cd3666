"""The real true-false.h5p package: uploaded, extracted, played in chromium, result recorded on the server."""

import time

import pytest
from playwright.sync_api import expect

from courses import services
from courses.models import ModuleProgress
from h5p.models import H5PResult, H5PStatus
from h5p.services import h5p_content_create
from tests.factories import TEST_PASSWORD, UserFactory, make_catalogue, make_course, make_module
from tests.h5p.packages import FIXTURE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_learner_answers_a_true_false_question(
    live_server, page, django_user_model, accessibility_violations
):
    assert FIXTURE.exists(), "../shared/fixtures/h5p/true-false.h5p mangler"
    admin = django_user_model.objects.create_superuser(email="admin@test.example", password="x")
    content = h5p_content_create(data=FIXTURE.read_bytes(), user=admin, title="Sant eller usant")
    content.refresh_from_db()
    assert content.status == H5PStatus.READY, content.error

    course = make_course(make_catalogue(), title="Kurs med H5P", modules=0)
    module = make_module(course, title="Test deg selv")
    module.body = [
        {"type": "h5p", "value": {"content": content.pk, "completion_rule": "completed", "pass_percent": 80}}
    ]
    module.save_revision().publish()
    learner = UserFactory(email="h5p@test.example", first_name="Ingeborg", last_name="Xylofonsen")
    services.enrolment_create(user=learner, course=course)

    page.goto(f"{live_server.url}/konto/login/")
    page.locator("input[name=login]").fill(learner.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("main").get_by_role("button", name="Logg inn", exact=True).click()
    page.goto(f"{live_server.url}{module.url}")

    player = page.frame_locator("iframe.h5p-activity__frame")
    player.get_by_text("True", exact=True).click()
    player.get_by_role("button", name="Check").click()
    # The answer completes the course, whose certificate PDF is rendered in the request when
    # Celery runs eagerly: allow for that on a busy machine.
    expect(page.locator(".h5p-activity__status")).to_have_text("Aktiviteten er fullført.", timeout=30_000)
    assert accessibility_violations(page) == []

    result = H5PResult.objects.get(user=learner, module=module)
    assert (result.score_raw, result.score_max) == (0, 1)  # "True" is the wrong answer to "Is this false?"
    assert result.completed_at is not None
    assert result.statements.filter(verb__endswith="/answered").exists()
    assert ModuleProgress.objects.get(enrolment__user=learner, module=module).completed_at is not None

    # Issue 12: the content's scripts in the frame never learn who the learner is. What H5P
    # knows of the user, and the actor of a statement made in the frame, carry no name or address.
    frame = page.locator("iframe.h5p-activity__frame").element_handle().content_frame()
    seen_in_frame = frame.evaluate(
        """() => JSON.stringify({
            user: H5PIntegration.user,
            actor: H5P.externalDispatcher.createXAPIEventTemplate("experienced").data.statement.actor,
            page: document.documentElement.outerHTML,
        })"""
    )
    for personal in (learner.email, learner.first_name, learner.last_name):
        assert personal not in seen_in_frame, personal
    actor = frame.evaluate(
        "() => H5P.externalDispatcher.createXAPIEventTemplate('experienced').data.statement.actor"
    )
    assert set(actor) == {"objectType", "account"} and actor["account"]["homePage"] == f"{live_server.url}/"
    for stored in result.statements.all():
        assert stored.statement["actor"] == actor  # kept as the opaque account, not as sent


def _focused_in_frame(page, frame_selector: str) -> str:
    """What has focus inside the H5P frame, if the module page's focus is on that frame; else ''."""
    if not page.evaluate(f"() => document.activeElement.matches({frame_selector!r})"):
        return ""
    frame = page.locator(frame_selector).element_handle().content_frame()
    if frame is None or not frame.url.startswith("http"):
        return "(empty frame)"  # not loaded (yet)
    return frame.evaluate(
        "() => (document.activeElement.textContent || '').trim() || document.activeElement.tagName"
    )


def _player_ready(page, frame_selector: str, seconds: float = 15) -> bool:
    """Whether the H5P question has appeared in the frame within `seconds` (never waiting on a frame
    that has not started loading, where Playwright would wait for good)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        frame = page.locator(frame_selector).element_handle().content_frame()
        if (
            frame is not None
            and frame.url.startswith("http")
            and frame.evaluate("() => !!document.querySelector('.h5p-true-false-answer')")
        ):
            return True
        page.wait_for_timeout(250)
    return False


def test_keyboard_reaches_and_answers_the_h5p_activity_on_a_fresh_page(
    live_server, page, django_user_model, accessibility_violations
):
    """Issue 11, point 10: the lazy-loaded frame was passed over by Tab on a fresh page, so a
    required activity was skipped silently. Here the learner uses the keyboard only, from the top."""
    admin = django_user_model.objects.create_superuser(email="admin@test.example", password="x")
    content = h5p_content_create(data=FIXTURE.read_bytes(), user=admin, title="Sant eller usant")
    content.refresh_from_db()
    course = make_course(make_catalogue(), title="Kurs med H5P", modules=0)
    module = make_module(course, title="Test deg selv")
    # A long text first, as in a real module: the activity starts far below the fold.
    text = "".join(f"<p>Avsnitt {n}: " + "lang tekst om mestring " * 40 + "</p>" for n in range(40))
    module.body = [
        {"type": "rich_text", "value": text},
        {"type": "h5p", "value": {"content": content.pk, "completion_rule": "completed", "pass_percent": 80}},
    ]
    module.save_revision().publish()
    learner = UserFactory(email="tastatur@test.example")
    services.enrolment_create(user=learner, course=course)

    page.goto(f"{live_server.url}/konto/login/")
    page.locator("input[name=login]").fill(learner.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("main").get_by_role("button", name="Logg inn", exact=True).click()
    page.goto(f"{live_server.url}{module.url}")
    frame = "iframe.h5p-activity__frame"
    # Nothing is scrolled or clicked: the player far down the page must be there on its own
    # (a lazy-loaded frame below the fold never is).
    assert _player_ready(page, frame), "the H5P player never loaded on the fresh page"
    seen = []
    for _press in range(60):
        page.keyboard.press("Tab")
        inside = _focused_in_frame(page, frame)
        seen.append(inside or page.evaluate("() => document.activeElement.tagName"))
        if inside == "True":
            break
    else:
        pytest.fail(f"Tab never reached the H5P question; focus went: {seen}")

    # Answer with the keyboard: choose "True", Tab to "Check", press Enter.
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert _focused_in_frame(page, frame) == "Check"
    page.keyboard.press("Enter")
    # The answer completes the course, whose certificate PDF is rendered in the request when
    # Celery runs eagerly: allow for that on a busy machine.
    expect(page.locator(".h5p-activity__status")).to_have_text("Aktiviteten er fullført.", timeout=30_000)
    # The module's status follows without a reload (point 9).
    expect(page.locator(".module-done")).to_contain_text("Fullført")
    assert accessibility_violations(page) == []
    assert H5PResult.objects.get(user=learner, module=module).completed_at is not None
    assert ModuleProgress.objects.get(enrolment__user=learner, module=module).completed_at is not None
