"""The H5P player on an origin of its own (H5P_PLAYER_ORIGIN): the browser caches its files.

The live server is the platform as http://localhost:<port> and the player host as
http://127.0.0.1:<port>: two sites to chromium, as h5p.example.no and kurs.example.no would be in
production. The learner signs in on the platform; the frame on the player host gets no cookie and
is opened by its ticket. Requests are counted where they arrive (the live server runs in this
process: request_started), by host, on a first and a repeat visit of the module page, in both
modes: with the player host the repeat visit asks for no library or content file at all; in the
sandboxed mode (the default) it asks for the joined library files again, as before.
"""

from urllib.parse import urlsplit

import pytest
from django.core.signals import request_started
from playwright.sync_api import expect

from courses import services
from h5p.models import H5PResult, H5PStatus
from h5p.services import h5p_content_create
from tests.factories import TEST_PASSWORD, UserFactory, make_catalogue, make_course
from tests.h5p.packages import FIXTURE
from tests.h5p.players import module_with_h5p

from .test_h5p_activity import _player_ready

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FRAME = "iframe.h5p-activity__frame"


@pytest.fixture
def served():
    """(host, path, cookie header) of every request the live server receives, in order."""
    requests: list[tuple[str, str, str]] = []

    def record(sender, environ=None, **kwargs):
        if environ is not None:
            requests.append(
                (environ.get("HTTP_HOST", ""), environ.get("PATH_INFO", ""), environ.get("HTTP_COOKIE", ""))
            )

    request_started.connect(record, weak=False)
    yield requests
    request_started.disconnect(record)


@pytest.fixture
def learner_module(live_server, page, django_user_model):
    admin = django_user_model.objects.create_superuser(email="admin@test.example", password="x")
    content = h5p_content_create(data=FIXTURE.read_bytes(), user=admin, title="Sant eller usant")
    content.refresh_from_db()
    assert content.status == H5PStatus.READY, content.error
    course = make_course(make_catalogue(), title="Kurs med H5P", modules=0)
    module, _block_id = module_with_h5p(course, content)
    learner = UserFactory(email="eget-opphav@test.example", first_name="Ingeborg", last_name="Xylofonsen")
    services.enrolment_create(user=learner, course=course)
    page.goto(f"{live_server.url}/konto/login/")
    page.locator("input[name=login]").fill(learner.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("main").get_by_role("button", name="Logg inn", exact=True).click()
    page.wait_for_url(lambda url: "/konto/login/" not in url)
    return learner, module


def _counts(requests) -> dict[str, int]:
    h5p = [path for _host, path, _cookie in requests]
    return {
        "player": sum(p.startswith("/h5p/spill/") for p in h5p),
        "libraries": sum(p.startswith("/h5p/bibliotek/") for p in h5p),
        "content": sum(p.startswith("/h5p/innhold/") for p in h5p),
        "static": sum(p.startswith("/static/") for p in h5p),
        "all": len(h5p),
    }


def _visit(page, live_server, module, served) -> list[tuple[str, str, str]]:
    """The requests one view of the module page makes, until the question is on the screen."""
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    served.clear()
    page.goto(f"{live_server.url}{module.url}")
    assert _player_ready(page, FRAME, seconds=30), "the H5P player never loaded"
    page.wait_for_load_state("networkidle")  # fonts the frame asks for once its text is laid out
    return list(served)


def test_on_its_own_origin_the_player_files_come_from_the_browser_cache_on_a_repeat_visit(
    live_server, page, settings, served, learner_module
):
    learner, module = learner_module
    port = urlsplit(live_server.url).port
    platform, player_origin = f"http://localhost:{port}", f"http://127.0.0.1:{port}"
    assert live_server.url == platform
    settings.H5P_PLAYER_ORIGIN = player_origin

    first = _visit(page, live_server, module, served)
    frame = page.locator(FRAME).element_handle().content_frame()
    assert frame.url.startswith(f"{player_origin}/h5p/spill/")
    player_host = f"127.0.0.1:{port}"
    on_player_host = [request for request in first if request[0] == player_host]
    assert _counts(on_player_host)["player"] == 1 and _counts(on_player_host)["libraries"] >= 2
    # Everything the frame asks for goes to the player host, and never with a cookie (what the
    # frame reports, xAPI statements included, goes through the module page on the platform).
    frame_paths = ("/h5p/spill/", "/h5p/bibliotek/", "/h5p/innhold/", "/h5p/filer/")
    assert not [
        request for request in first if request[0] != player_host and request[1].startswith(frame_paths)
    ]
    assert not [request for request in on_player_host if request[2]], on_player_host
    assert page.context.cookies(player_origin) == []

    repeat = _visit(page, live_server, module, served)
    print(f"\nplayer host: first visit {_counts(first)}, repeat visit {_counts(repeat)}")
    # Only the frame page itself (no-store: a new ticket and state token each view) reaches Django:
    # the joined library files, fonts and content files are answered by the browser's cache.
    assert _counts(repeat)["player"] == 1
    assert _counts(repeat)["libraries"] == 0 and _counts(repeat)["content"] == 0, repeat

    # The frame's statements still reach the server through the module page (session + CSRF), whose
    # listener takes messages from the player's origin only.
    player = page.frame_locator(FRAME)
    player.get_by_text("True", exact=True).click()
    player.get_by_role("button", name="Check").click()
    expect(page.locator(".h5p-activity__status")).to_have_text("Aktiviteten er fullført.", timeout=30_000)
    result = H5PResult.objects.get(user=learner, module=module)
    assert result.completed_at is not None
    # The frame never learns who the learner is, on its own origin either.
    frame = page.locator(FRAME).element_handle().content_frame()
    seen = frame.evaluate(
        "() => JSON.stringify({user: H5PIntegration.user, page: document.documentElement.outerHTML})"
    )
    for personal in (learner.email, learner.first_name, learner.last_name):
        assert personal not in seen
    # Nothing on the player host can act as the learner: the platform's pages answer 404 there.
    assert frame.evaluate("async () => (await fetch('/')).status") == 404


def test_the_sandboxed_player_still_works_and_asks_again_on_every_visit(
    live_server, page, settings, served, learner_module
):
    _learner, module = learner_module
    settings.H5P_PLAYER_ORIGIN = ""
    first = _visit(page, live_server, module, served)
    repeat = _visit(page, live_server, module, served)
    print(f"\nsandboxed: first visit {_counts(first)}, repeat visit {_counts(repeat)}")
    assert page.locator(FRAME).get_attribute("sandbox") == "allow-scripts allow-downloads"
    assert _counts(repeat)["player"] == 1
    # An opaque origin keeps nothing in the browser's HTTP cache: the joined files come again.
    assert _counts(repeat)["libraries"] >= 2
