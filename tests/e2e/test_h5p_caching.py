"""An H5P module view in chromium: few requests to Django, and the rest cacheable by the proxy.

Chromium keeps nothing in its HTTP cache for a sandboxed frame's requests (opaque origin): coming
back to a module, the frame asks for its files again. So the JSON files h5p-standalone reads
first come with the frame page, the libraries' scripts and style sheets come as one file of each,
and every library file has a versioned address, the same on every visit and for every learner,
marked public and immutable, which the reverse proxy answers from its cache (issue #18, point 4).
Requests are counted where they arrive, in the live server (same process, request_started).
"""

import pytest
from django.core.signals import request_started

from courses import services
from h5p.models import H5PStatus
from h5p.services import h5p_content_create
from tests.factories import TEST_PASSWORD, UserFactory, make_catalogue, make_course
from tests.h5p.packages import FIXTURE
from tests.h5p.players import module_with_h5p

from .test_h5p_activity import _player_ready

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FRAME = "iframe.h5p-activity__frame"


@pytest.fixture
def served_paths():
    """The path of every request the live server receives, in order."""
    paths: list[str] = []

    def record(sender, environ=None, **kwargs):
        if environ is not None:
            paths.append(environ.get("PATH_INFO", ""))

    request_started.connect(record, weak=False)
    yield paths
    request_started.disconnect(record)


def _h5p_files_list(paths: list[str]) -> list[str]:
    return sorted(p for p in paths if p.startswith("/h5p/bibliotek/"))


def _h5p_files(paths: list[str]) -> dict[str, int]:
    return {
        "libraries": sum(p.startswith("/h5p/bibliotek/") for p in paths),
        "content": sum(p.startswith("/h5p/innhold/") for p in paths),
        "player": sum(p.startswith("/h5p/spill/") for p in paths),
    }


def test_an_h5p_view_asks_django_for_little_and_the_rest_is_cacheable_by_the_proxy(
    live_server, page, django_user_model, served_paths
):
    admin = django_user_model.objects.create_superuser(email="admin@test.example", password="x")
    content = h5p_content_create(data=FIXTURE.read_bytes(), user=admin, title="Sant eller usant")
    content.refresh_from_db()
    assert content.status == H5PStatus.READY, content.error
    course = make_course(make_catalogue(), title="Kurs med H5P", modules=0)
    module, _block_id = module_with_h5p(course, content)
    learner = UserFactory(email="gjentar@test.example")
    services.enrolment_create(user=learner, course=course)

    page.goto(f"{live_server.url}/konto/login/")
    page.locator("input[name=login]").fill(learner.email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("main").get_by_role("button", name="Logg inn", exact=True).click()
    page.wait_for_url(lambda url: "/konto/login/" not in url)

    library_headers: dict[str, str] = {}
    page.on(
        "response",
        lambda response: (
            library_headers.__setitem__(response.url, response.headers.get("cache-control", ""))
            if "/h5p/bibliotek/" in response.url
            else None
        ),
    )
    served_paths.clear()
    page.goto(f"{live_server.url}{module.url}")
    assert _player_ready(page, FRAME), "the H5P player never loaded"
    first = [p for p in served_paths if p.startswith("/h5p/")]
    # h5p.json, content.json and the library.json files came with the frame page.
    assert not [p for p in first if p.endswith((".json", "/h5p.json"))], first
    assert _h5p_files(first)["content"] == 0 and _h5p_files(first)["player"] == 1, first
    # The ten libraries' scripts and style sheets come as one file of each.
    scripts_and_styles = [p for p in _h5p_files_list(first) if p.endswith((".js", ".css"))]
    assert len(scripts_and_styles) == 2 and all("/samlet/" in p for p in scripts_and_styles), first
    assert library_headers and set(library_headers.values()) == {"public, max-age=31536000, immutable"}

    first_libraries = set(_h5p_files_list(served_paths))  # with what loaded since (fonts)
    page.goto(f"{live_server.url}/")
    served_paths.clear()
    page.goto(f"{live_server.url}{module.url}")
    assert _player_ready(page, FRAME), "the H5P player never loaded on the repeat visit"
    repeat = [p for p in served_paths if p.startswith("/h5p/")]
    # The same library addresses on every visit, so the proxy's cache answers them: only the
    # frame page (made anew: its state token is per render) has to come from Django.
    # (Compared by the versioned folder and the joined files: a font the frame asks for only once its
    # text is laid out may come after the first visit's list was taken.)
    assert {p.split("/")[3] for p in _h5p_files_list(repeat)} == {p.split("/")[3] for p in first_libraries}
    assert {p for p in _h5p_files_list(repeat) if "/samlet/" in p} <= first_libraries
    assert len([p for p in _h5p_files_list(repeat) if "/samlet/" in p]) == 2
    assert _h5p_files(repeat)["content"] == 0 and _h5p_files(repeat)["player"] == 1, repeat
