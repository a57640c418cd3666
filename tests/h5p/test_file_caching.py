"""The player's files are made for caching (issue #18, point 4).

Library files: versioned addresses without a token, public and immutable. Content files: one signed
address per content item and day, the same for every learner, private, expiring. Both answer
If-None-Match with 304 and are compressed when they are text.
"""

import gzip
import json
import time

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from core.storage import private_storage
from courses import services
from h5p import bundles, views
from h5p.models import H5PContent, H5PLibrary
from h5p.services import h5p_content_create
from tests.factories import UserFactory, make_catalogue, make_course
from tests.h5p.packages import build, valid_files
from tests.h5p.players import module_with_h5p

pytestmark = pytest.mark.django_db

SCRIPT = "window.H5P = window.H5P || {};\n" + "".join(f"H5P.answer{n} = {n};\n" for n in range(200))
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


@pytest.fixture
def played(django_user_model, user, django_capture_on_commit_callbacks):
    """A module with the content in it, the learner enrolled; returns (module, block_id, content)."""
    admin = django_user_model.objects.create_superuser(email="admin@test.example", password="x")
    files = valid_files(**{"H5P.Test-1.0/test.js": SCRIPT, "content/images/bilde.png": PNG})
    with django_capture_on_commit_callbacks(execute=True):
        content = h5p_content_create(data=build(files), user=admin, title="Sant eller usant")
    course = make_course(make_catalogue(), modules=0)
    module, block_id = module_with_h5p(course, content)
    services.enrolment_create(user=user, course=course)
    return course, module, block_id, content


def _options(client, module, block_id) -> dict:
    return client.get(reverse("h5p:player", args=[module.pk, block_id])).context["options"]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _frame() -> Client:
    return Client()  # the sandboxed frame has an opaque origin: it sends no cookies


def test_content_addresses_are_the_same_for_every_learner_and_render(client, user, played):
    course, module, block_id, _content = played
    other = UserFactory(email="annen@test.example")
    services.enrolment_create(user=other, course=course)
    other_client = Client()
    other_client.force_login(other)
    client.force_login(user)
    seen = [_options(c, module, block_id)["player"] for c in (client, client, other_client)]
    assert len({p["h5pJsonPath"] for p in seen}) == 1
    assert len({p["librariesPath"] for p in seen}) == 1
    # Each learner's saved state keeps an address of its own, bound to their result row.
    assert seen[0]["ajax"]["contentUserDataUrl"] != seen[2]["ajax"]["contentUserDataUrl"]


def test_content_files_are_cached_privately_until_the_token_expires(client, user, played):
    _course, module, block_id, _content = played
    client.force_login(user)
    url = f"{_options(client, module, block_id)['player']['h5pJsonPath']}/content/content.json"
    response = _frame().get(url)
    assert response.status_code == 200
    private, max_age = response["Cache-Control"].split(", ")
    assert private == "private"
    assert 0 < int(max_age.removeprefix("max-age=")) <= 2 * views.CONTENT_TOKEN_PERIOD
    again = _frame().get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == response["ETag"] and again["Cache-Control"] == response["Cache-Control"]
    assert _frame().get(url, HTTP_IF_NONE_MATCH='"noe-annet"').status_code == 200


def test_an_expired_or_foreign_content_token_opens_nothing(played):
    _course, _module, _block_id, content = played

    def status(token: str) -> int:
        return _frame().get(reverse("h5p:content_files", args=[token, "content/content.json"])).status_code

    assert status(views.content_token(content)) == 200
    three_days_ago = time.time() - 3 * views.CONTENT_TOKEN_PERIOD
    assert status(views.content_token(content, now=three_days_ago)) == 404
    # The per-learner state token, or a token signed for something else, is no content token.
    assert status(signing.dumps({"c": str(content.uuid), "r": 1}, salt=views.TOKEN_SALT)) == 404
    assert (
        status(signing.Signer(salt="noe-annet").sign_object({"c": str(content.uuid), "v": "x", "w": 1}))
        == 404
    )
    # A token follows the content's version: should h5p.json change, old addresses stop working.
    token = views.content_token(content)
    content.h5p_json = {**content.h5p_json, "title": "Ny"}
    content.save(update_fields=["h5p_json"])
    assert status(token) == 404
    assert status(views.content_token(content)) == 200


def test_library_files_are_public_immutable_and_need_no_token(client, user, played):
    _course, module, block_id, _content = played
    client.force_login(user)
    url = f"{_options(client, module, block_id)['player']['librariesPath']}/H5P.Test-1.0/test.js"
    response = _frame().get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == SCRIPT
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == views.FILE_CSP
    again = _frame().get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again["Cache-Control"] == response["Cache-Control"]


def test_a_library_patch_upgrade_gives_its_files_new_addresses(client, user, played):
    _course, module, block_id, _content = played
    client.force_login(user)
    before = _options(client, module, block_id)["player"]["librariesPath"]
    etag = _frame().get(f"{before}/H5P.Test-1.0/test.js")["ETag"]
    H5PLibrary.objects.filter(machine_name="H5P.Test").update(patch_version=1)
    after = _options(client, module, block_id)["player"]["librariesPath"]
    assert after != before
    assert _frame().get(f"{after}/H5P.Test-1.0/test.js")["ETag"] != etag


def test_text_is_compressed_and_images_are_not(client, user, played):
    _course, module, block_id, _content = played
    client.force_login(user)
    player = _options(client, module, block_id)["player"]
    script = _frame().get(f"{player['librariesPath']}/H5P.Test-1.0/test.js", HTTP_ACCEPT_ENCODING="gzip, br")
    assert script["Content-Encoding"] == "gzip" and "Accept-Encoding" in script["Vary"]
    assert gzip.decompress(b"".join(script.streaming_content)).decode() == SCRIPT
    assert script["ETag"].startswith("W/")  # no longer the stored bytes, so a weak validator
    image = _frame().get(f"{player['h5pJsonPath']}/content/images/bilde.png", HTTP_ACCEPT_ENCODING="gzip, br")
    assert image.status_code == 200 and not image.has_header("Content-Encoding")
    assert b"".join(image.streaming_content) == PNG


def test_the_player_page_hands_over_the_json_files_the_frame_would_fetch(client, user, played):
    _course, module, block_id, content = played
    client.force_login(user)
    options = _options(client, module, block_id)
    player, preloaded = options["player"], options["preloaded"]
    library_json = f"{player['librariesPath']}/H5P.Test-1.0/library.json"
    files = {f"{player['h5pJsonPath']}/h5p.json", f"{player['contentJsonPath']}/content.json"}
    assert set(preloaded) == files | {library_json}
    for url in files:  # the same as the frame would have been served
        assert preloaded[url] == json.loads(_body(_frame().get(url))), url
    # The library's scripts and style sheets come joined, one file of each for the whole content.
    served = json.loads(_body(_frame().get(library_json)))
    assert preloaded[library_json] == {
        **served,
        "preloadedJs": [{"path": f"../samlet/{content.uuid}.js"}],
        "preloadedCss": [{"path": f"../samlet/{content.uuid}.css"}],
    }


def test_the_joined_scripts_are_public_immutable_and_follow_the_library_versions(client, user, played):
    _course, module, block_id, content = played
    client.force_login(user)
    libraries = _options(client, module, block_id)["player"]["librariesPath"]
    url = f"{libraries}/samlet/{content.uuid}.js"
    response = _frame().get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/javascript")
    assert SCRIPT in response.content.decode()
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert _frame().get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert _frame().get(f"{libraries}/samlet/{content.uuid}.css").status_code == 200
    compressed = _frame().get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert compressed["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressed["Vary"]
    assert gzip.decompress(compressed.content).decode() == response.content.decode()
    assert (
        _frame().get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=compressed["ETag"]).status_code
        == 304
    )
    # After a patch upgrade, a page opened before it still plays, but nothing keeps the old address.
    H5PLibrary.objects.filter(machine_name="H5P.Test").update(patch_version=1)
    assert _frame().get(url)["Cache-Control"] == "no-store"
    assert _frame().get(f"{libraries}/samlet/00000000-0000-0000-0000-000000000000.js").status_code == 404


def test_a_joined_file_built_while_a_library_file_is_missing_is_not_kept(client, user, played):
    """A library being repaired: the same address must give the whole bundle once the file is back."""
    _course, module, block_id, content = played
    client.force_login(user)
    url = f"{_options(client, module, block_id)['player']['librariesPath']}/samlet/{content.uuid}.js"
    library = H5PLibrary.objects.get(machine_name="H5P.Test")
    script = library.storage_prefix + "test.js"
    kept = private_storage.open(script, "rb").read()
    private_storage.delete(script)

    partial = _frame().get(url)
    assert partial.status_code == 200 and partial["Cache-Control"] == "no-store"
    assert SCRIPT not in partial.content.decode()

    private_storage.save(script, ContentFile(kept))
    whole = _frame().get(url)
    assert SCRIPT in whole.content.decode()
    assert whole["Cache-Control"] == "public, max-age=31536000, immutable"


@pytest.mark.parametrize(
    "address",
    [
        "/h5p/bibliotek/0123456789abcdef/samlet/------------------------------------.js",
        "/h5p/bibliotek/0123456789abcdef/H5P.Test-1.\u00b2/test.js",
        "/h5p/bibliotek/0123456789abcdef/H5P.Test-x.0/test.js",
        "/h5p/bibliotek/0123456789abcdef/H5P.Test-1.0/../../private.js",
    ],
)
def test_malformed_library_addresses_are_not_found(played, address):
    assert _frame().get(address.encode().decode("unicode_escape")).status_code == 404


def test_libraries_load_after_those_they_depend_on_and_style_sheets_keep_their_urls():
    def library(name, *dependencies):
        return H5PLibrary(
            machine_name=name,
            major_version=1,
            minor_version=0,
            patch_version=0,
            metadata={
                "preloadedDependencies": [
                    {"machineName": d, "majorVersion": 1, "minorVersion": 0} for d in dependencies
                ]
            },
        )

    ui, question = library("H5P.UI"), library("H5P.Question", "H5P.UI")
    main = library("H5P.Main", "H5P.Question", "H5P.UI")
    content = H5PContent(
        h5p_json={
            "preloadedDependencies": [{"machineName": "H5P.Main", "majorVersion": 1, "minorVersion": 0}]
        }
    )
    assert bundles.load_order(content, [main, question, ui]) == [ui, question, main]
    assert bundles.load_order(content, [main, question]) is None  # one is missing: files one by one
    css = (
        'a{background:url("../images/x.png")} b{src:url(fonts/f.woff2?v=1)} '
        "c{x:url(data:image/png;base64,AA)}"
    )
    assert bundles.absolute_css_urls(css, "/h5p/bibliotek/ab/H5P.UI-1.0/styles") == (
        'a{background:url("/h5p/bibliotek/ab/H5P.UI-1.0/images/x.png")} '
        "b{src:url(/h5p/bibliotek/ab/H5P.UI-1.0/styles/fonts/f.woff2?v=1)} c{x:url(data:image/png;base64,AA)}"
    )


def test_the_player_files_come_from_object_storage(s3_storages, client, user, played):
    """With private files on S3-compatible storage (a real server, tests/s3server.py), the player's
    files are read through the storage API like on disk."""
    _course, module, block_id, content = played
    stored = s3_storages.server.keys(s3_storages.private_bucket)
    assert "h5p/libraries/H5P.Test-1.0/test.js" in stored
    assert f"{content.content_prefix}images/bilde.png" in stored
    client.force_login(user)
    options = _options(client, module, block_id)
    player = options["player"]
    assert options["preloaded"][f"{player['contentJsonPath']}/content.json"] == {"question": "Er dette sant?"}
    assert _body(_frame().get(f"{player['librariesPath']}/H5P.Test-1.0/test.js")).decode() == SCRIPT
    assert _body(_frame().get(f"{player['h5pJsonPath']}/content/images/bilde.png")) == PNG
    assert SCRIPT in _frame().get(f"{player['librariesPath']}/samlet/{content.uuid}.js").content.decode()
    assert _frame().get(f"{player['librariesPath']}/H5P.Test-1.0/finnes-ikke.js").status_code == 404
