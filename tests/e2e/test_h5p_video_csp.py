"""Issue 13 / 18: the player's Content-Security-Policy lets H5P's YouTube and Vimeo handlers in.

H5P.Video's YouTube handler adds a <script> for https://www.youtube.com/iframe_api and frames the
video from youtube.com; its Vimeo handler loads https://player.vimeo.com/api/player.js, asks
vimeo.com for the embed (oEmbed) and frames player.vimeo.com. The machine running the tests has no
internet, so the browser's requests to those hosts are answered here (Playwright routes), by a
stub that only says it ran: a request that reaches a route got past the policy. Another host
(evil.example) is still refused for scripts, frames, images and connections, in both modes: the
sandboxed player on the platform's host and the player on its own origin.
"""

from urllib.parse import urlsplit

import pytest

from courses import services
from h5p.services import h5p_content_create
from tests.factories import UserFactory, make_catalogue, make_course
from tests.h5p.packages import FIXTURE
from tests.h5p.players import module_with_h5p

from .conftest import csp_violations_of
from .test_h5p_activity import _player_ready
from .test_h5p_failures import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FRAME = "iframe.h5p-activity__frame"
STUB_SCRIPT = "window.videoStubsRun = (window.videoStubsRun || []).concat([document.currentScript.src]);"
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000005000157ad0d0c0000000049454e44ae426082"
)

# Each probe runs in the player frame and says whether the browser let the request out.
PROBE = """async ([scripts, frames, images, fetches]) => {
  const script = (src) => new Promise((resolve) => {
    const element = document.createElement("script");
    element.src = src;
    element.onload = () => resolve(true);
    element.onerror = () => resolve(false);
    document.head.appendChild(element);
  });
  const image = (src) => new Promise((resolve) => {
    const element = new Image();
    element.onload = () => resolve(true);
    element.onerror = () => resolve(false);
    element.src = src;
  });
  const connect = (url) => fetch(url).then(() => true, () => false);
  for (const src of frames) {
    const frame = document.createElement("iframe");
    frame.src = src;
    document.body.appendChild(frame);
  }
  return {
    scripts: await Promise.all(scripts.map(script)),
    images: await Promise.all(images.map(image)),
    fetches: await Promise.all(fetches.map(connect)),
    ran: window.videoStubsRun || [],
  };
}"""

YOUTUBE_API = "https://www.youtube.com/iframe_api"
VIMEO_SDK = "https://player.vimeo.com/api/player.js"
YOUTUBE_EMBED = "https://www.youtube.com/embed/M7lc1UVf-VE?enablejsapi=1"
NOCOOKIE_EMBED = "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE"
VIMEO_EMBED = "https://player.vimeo.com/video/76979871"
THUMBNAIL = "https://i.ytimg.com/vi/M7lc1UVf-VE/hqdefault.jpg"
OEMBED = "https://vimeo.com/api/oembed.json?url=https%3A%2F%2Fvimeo.com%2F76979871"
EVIL = "https://evil.example"


def _answer(route, request):
    url = request.url
    headers = {"Access-Control-Allow-Origin": "*"}
    if url.endswith((".jpg", ".png")):
        route.fulfill(status=200, body=PIXEL, content_type="image/png", headers=headers)
    elif "/embed/" in url or "/video/" in url:
        route.fulfill(status=200, body="<!doctype html><title>video</title>", content_type="text/html")
    elif "oembed" in url:
        route.fulfill(status=200, body='{"html": ""}', content_type="application/json", headers=headers)
    else:
        route.fulfill(status=200, body=STUB_SCRIPT, content_type="text/javascript", headers=headers)


@pytest.mark.parametrize("own_origin", [False, True], ids=["sandboxed", "own-origin"])
def test_the_player_lets_youtube_and_vimeo_in_and_nothing_else(live_server, browser, settings, own_origin):
    port = urlsplit(live_server.url).port
    settings.H5P_PLAYER_ORIGIN = f"http://127.0.0.1:{port}" if own_origin else ""
    admin = UserFactory(email="admin@test.example", is_staff=True, is_superuser=True)
    content = h5p_content_create(data=FIXTURE.read_bytes(), user=admin, title="Sant eller usant")
    course = make_course(make_catalogue(), title="Kurs med H5P", modules=0)
    module, _block_id = module_with_h5p(course, content)
    learner = UserFactory(email="video@test.example")
    services.enrolment_create(user=learner, course=course)

    context = browser.new_context(locale="nb-NO")
    context.set_default_timeout(15_000)
    violations = csp_violations_of(context)
    reached: list[str] = []

    def answer(route, request):
        reached.append(request.url)
        _answer(route, request)

    for host in (
        "www.youtube.com",
        "www.youtube-nocookie.com",
        "player.vimeo.com",
        "vimeo.com",
        "i.ytimg.com",
    ):
        context.route(f"https://{host}/**", answer)
    context.route(f"{EVIL}/**", answer)
    try:
        page = context.new_page()
        log_in(page, live_server.url, learner.email)
        page.goto(f"{live_server.url}{module.url}")
        assert _player_ready(page, FRAME, seconds=30), "the H5P player never loaded"
        frame = page.locator(FRAME).element_handle().content_frame()
        assert frame.url.startswith(settings.H5P_PLAYER_ORIGIN or live_server.url)

        seen = frame.evaluate(
            PROBE,
            [
                [YOUTUBE_API, VIMEO_SDK, f"{EVIL}/iframe_api"],
                [YOUTUBE_EMBED, NOCOOKIE_EMBED, VIMEO_EMBED, f"{EVIL}/embed/"],
                [THUMBNAIL, f"{EVIL}/bilde.png"],
                [OEMBED, f"{EVIL}/data.json"],
            ],
        )
        assert seen["scripts"] == [True, True, False]
        assert sorted(seen["ran"]) == [VIMEO_SDK, YOUTUBE_API]  # the stubs ran; the other host's did not
        assert seen["images"] == [True, False]
        assert seen["fetches"] == [True, False]
        # The frames are loaded by the browser on its own time: wait until the allowed ones arrived.
        for _attempt in range(50):
            if all(src in reached for src in (YOUTUBE_EMBED, NOCOOKIE_EMBED, VIMEO_EMBED)):
                break
            page.wait_for_timeout(100)
        assert {YOUTUBE_EMBED, NOCOOKIE_EMBED, VIMEO_EMBED} <= set(reached), reached
        assert not [url for url in reached if url.startswith(EVIL)], reached
        # Each refusal is the policy's: four, all of them for the other host.
        refused = [line for line in violations if EVIL in line]
        assert len(refused) >= 4 and refused == violations, violations
    finally:
        context.close()
