"""Issue 13, point 4, in chromium: the H5P player never fails silently.

A library file is missing (here removed from the library store after a good upload; a package
without it behaves the same once installed): the frame tells the learner, the failure reaches the
content's admin page, and under the «Åpnet» rule the module is not counted done. With nothing
missing, the same rule counts the module done once the content is on the screen.
"""

import json
import time

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from core.storage import private_storage
from courses import services
from courses.models import ModuleProgress
from h5p.models import H5PFailureKind, H5PPlayerFailure, H5PResult
from h5p.services import h5p_content_create
from tests.factories import TEST_PASSWORD, UserFactory, make_catalogue, make_course
from tests.h5p.packages import FIXTURE
from tests.h5p.players import module_with_h5p

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MISSING = "H5P.TrueFalse-1.6/scripts/h5p-true-false.js"


def log_in(page, base_url, email):
    page.goto(f"{base_url}/konto/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("main").get_by_role("button", name="Logg inn", exact=True).click()
    expect(page.locator("input[name=password]")).to_have_count(0)


def course_with_true_false(admin, *, title: str):
    content = h5p_content_create(data=FIXTURE.read_bytes(), user=admin, title=title)
    course = make_course(make_catalogue(), title="Kurs med H5P", modules=0)
    module, block_id = module_with_h5p(course, content, rule="opened")
    learner = UserFactory(email="deltaker@test.example")
    services.enrolment_create(user=learner, course=course)
    return content, module, learner


def wait_for(condition, seconds: float = 15) -> bool:
    """Poll the database (written by the live server's thread) until `condition()` holds."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_a_missing_library_file_is_shown_reported_and_never_counts_as_opened(
    live_server, page, browser, accessibility_violations
):
    admin = UserFactory(email="admin@test.example", is_staff=True, is_superuser=True)
    content, module, learner = course_with_true_false(admin, title="Sant eller usant")
    private_storage.delete(f"h5p/libraries/{MISSING}")

    log_in(page, live_server.url, learner.email)
    page.goto(f"{live_server.url}{module.url}")
    player = page.frame_locator("iframe.h5p-activity__frame")
    alert = player.get_by_role("alert")
    expect(alert).to_contain_text("Aktiviteten kan ikke vises.")
    expect(alert).to_contain_text("Feilen er meldt")
    expect(page.locator(".h5p-activity__status")).to_have_text("Aktiviteten kan ikke vises. Feilen er meldt.")
    assert accessibility_violations(page) == []

    assert wait_for(lambda: H5PPlayerFailure.objects.filter(content=content).exists())
    failure = H5PPlayerFailure.objects.get(content=content)
    assert failure.kind == H5PFailureKind.LOAD
    assert MISSING in failure.detail
    assert learner.email not in failure.detail
    # Never «opened»: the frame did not render, so nothing reported it.
    page.wait_for_timeout(1000)
    assert H5PResult.objects.get(user=learner, module=module).completed_at is None
    assert not ModuleProgress.objects.filter(module=module, completed_at__isnull=False).exists()
    expect(page.locator(".module-done .status--done")).to_have_count(0)
    expect(page.locator(".module-remaining")).to_contain_text("Sant eller usant")

    # The content's admin page shows the failure to an administrator.
    admin_context = browser.new_context(locale="nb-NO")
    admin_page = admin_context.new_page()
    try:
        log_in(admin_page, live_server.url, admin.email)
        admin_page.goto(f"{live_server.url}/admin/snippets/content/h5pcontent/edit/{content.pk}/")
        failures = admin_page.locator(".h5p-player-failures")
        expect(failures).to_contain_text("Et skript eller stilark ble ikke lastet")
        expect(failures).to_contain_text(MISSING)
        expect(failures.locator("tbody tr")).to_have_count(1)
    finally:
        admin_context.close()


def test_content_on_the_screen_counts_as_opened(live_server, page):
    admin = UserFactory(email="admin@test.example", is_staff=True, is_superuser=True)
    content, module, learner = course_with_true_false(admin, title="Sant eller usant")

    log_in(page, live_server.url, learner.email)
    page.goto(f"{live_server.url}{module.url}")
    player = page.frame_locator("iframe.h5p-activity__frame")
    expect(player.get_by_text("True", exact=True)).to_be_visible()
    expect(page.locator(".h5p-activity__status")).to_have_text("Aktiviteten er fullført.", timeout=30_000)
    expect(player.locator("#h5p-failure")).to_be_empty()
    expect(page.locator(".module-done .status--done")).to_have_text("Fullført")
    assert ModuleProgress.objects.get(enrolment__user=learner, module=module).completed_at is not None
    assert not H5PPlayerFailure.objects.filter(content=content).exists()


def test_a_missing_content_image_neither_alerts_nor_blocks_opened(live_server, page):
    """Issue 18: only the player's own scripts and style sheets (and an uncaught exception) are a
    start failure. An image the content names but the package lacks (404) is shown by the browser
    as missing, while the content plays and the «Åpnet» rule counts it. The joined style sheet is
    held back a moment so that the image has failed before the frame decides (as on a slow line)."""
    admin = UserFactory(email="admin@test.example", is_staff=True, is_superuser=True)
    content, module, learner = course_with_true_false(admin, title="Sant eller usant")
    path = f"{content.content_prefix}content.json"
    with private_storage.open(path, "rb") as handle:
        params = json.load(handle)
    params["question"] = '<p>Is this false?</p><p><img src="images/finnes-ikke.png" alt="Illustrasjon"></p>'
    private_storage.delete(path)
    private_storage.save(path, ContentFile(json.dumps(params).encode()))

    held: list = []
    page.route("**/samlet/*.css", lambda route: held.append(route))  # answered once the image failed
    log_in(page, live_server.url, learner.email)
    page.goto(f"{live_server.url}{module.url}")
    player = page.frame_locator("iframe.h5p-activity__frame")
    expect(player.locator("img[alt=Illustrasjon]")).to_be_attached()
    frame = page.locator("iframe.h5p-activity__frame").element_handle().content_frame()
    frame.wait_for_function(  # the image has failed in the frame (its error event has fired)
        "() => { const image = document.querySelector('img[alt=Illustrasjon]');"
        " return !!image && image.complete && image.naturalWidth === 0; }"
    )
    assert held  # the joined style sheet was asked for, and waits
    for route in held:
        route.continue_()
    expect(player.get_by_text("Is this false?")).to_be_visible()
    expect(page.locator(".h5p-activity__status")).to_have_text("Aktiviteten er fullført.", timeout=30_000)
    expect(player.locator("#h5p-failure")).to_be_empty()
    assert ModuleProgress.objects.get(enrolment__user=learner, module=module).completed_at is not None
    assert not H5PPlayerFailure.objects.filter(content=content).exists()


def test_content_that_starts_too_late_is_reported_and_still_counts_once_it_shows(live_server, page):
    """Issue 18: the frame gives the content 20 seconds (on the browser's clock, moved on here) to
    come on the screen; after that the learner is told and the failure reported. Content that still
    comes (here its joined library script was held back until then) is reported as rendered: the
    alert goes and the «Åpnet» rule counts it."""
    admin = UserFactory(email="admin@test.example", is_staff=True, is_superuser=True)
    content, module, learner = course_with_true_false(admin, title="Sant eller usant")
    log_in(page, live_server.url, learner.email)
    page.clock.install()
    held: list = []
    page.route("**/samlet/*.js", lambda route: held.append(route))
    page.goto(f"{live_server.url}{module.url}")
    for _attempt in range(150):
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the joined library script was never asked for"
    page.clock.fast_forward(21_000)
    player = page.frame_locator("iframe.h5p-activity__frame")
    expect(player.get_by_role("alert")).to_contain_text("Aktiviteten kan ikke vises.")
    status = page.locator(".h5p-activity__status")
    expect(status).to_have_text("Aktiviteten kan ikke vises. Feilen er meldt.")
    assert wait_for(lambda: H5PPlayerFailure.objects.filter(content=content).exists())
    assert H5PPlayerFailure.objects.get(content=content).kind == H5PFailureKind.START

    for route in held:
        route.continue_()
    expect(player.get_by_text("True", exact=True)).to_be_visible()
    expect(status).to_have_text("Aktiviteten er fullført.", timeout=30_000)
    expect(player.locator("#h5p-failure")).to_be_empty()
    assert ModuleProgress.objects.get(enrolment__user=learner, module=module).completed_at is not None
