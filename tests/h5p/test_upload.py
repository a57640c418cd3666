"""Uploading H5P packages: every archive check, pyh5p validation and the library store.

Each rejected package must leave nothing behind: no content row, no library
row, no file in storage.
"""

import os
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.storage import private_storage
from h5p.models import H5PContent, H5PLibrary, H5PStatus
from h5p.services import H5PPackageRejected, h5p_content_create
from tests.h5p.packages import FIXTURE, H5P_JSON, LIBRARY_JSON, build, valid_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser(email="admin@test.example", password="x")


def stored_files() -> list[str]:
    root = private_storage.location
    return (
        [os.path.join(d, f) for d, _dirs, files in os.walk(root) for f in files]
        if os.path.isdir(root)
        else []
    )


def rejected(data: bytes, user) -> list[str]:
    with pytest.raises(H5PPackageRejected) as error:
        h5p_content_create(data=data, user=user, title="Test")
    assert not H5PContent.objects.exists()
    assert not H5PLibrary.objects.exists()
    assert stored_files() == []
    return error.value.errors


def test_a_valid_package_is_stored_and_extracted(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        content = h5p_content_create(data=build(valid_files()), user=admin, title="Test")
    content.refresh_from_db()
    assert content.status == H5PStatus.READY and content.progress == 100
    assert content.main_library.machine_name == "H5P.Test"
    assert private_storage.exists(f"{content.content_prefix}content.json")
    assert private_storage.exists("h5p/libraries/H5P.Test-1.0/test.js")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/evil.json", "peker ut av pakken"),
        ("content/../../evil.json", "peker ut av pakken"),
        ("/etc/evil.json", "absolutt filsti"),
        ("C:/evil.json", "absolutt filsti"),
        ("content\\evil.json", "omvendt skråstrek"),
    ],
)
def test_zip_slip_is_rejected(admin, name, expected):
    errors = rejected(build(valid_files(**{name: "{}"})), admin)
    assert any(expected in error for error in errors), errors


def test_symbolic_links_are_rejected(admin):
    errors = rejected(
        build(valid_files(**{"content/lenke.json": "/etc/passwd"}), symlinks=("content/lenke.json",)), admin
    )
    assert any("symbolsk lenke" in error for error in errors)


def test_zip_bomb_by_compression_ratio_is_rejected(admin):
    errors = rejected(build(valid_files(**{"content/nuller.json": "0" * 5_000_000})), admin)
    assert any("ZIP-bombe" in error for error in errors)


def test_zip_bomb_by_inflated_size_is_rejected(admin, settings):
    settings.H5P_MAX_INFLATED_BYTES = 50_000
    errors = rejected(build(valid_files(**{"content/stor.json": os.urandom(40_000).hex()})), admin)
    assert any("for stor når den pakkes ut" in error for error in errors)


def test_lying_size_headers_are_caught_while_inflating(admin):
    data = bytearray(build(valid_files(**{"content/stor.json": "x" * 20_000 + os.urandom(2000).hex()})))
    # Shrink the uncompressed size the headers declare for that member.
    name = b"content/stor.json"
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (index := data.find(signature, start)) != -1:
            name_length = struct.unpack_from("<H", data, index + (26 if signature == b"PK\x03\x04" else 28))[
                0
            ]
            name_start = index + (30 if signature == b"PK\x03\x04" else 46)
            if bytes(data[name_start : name_start + name_length]) == name:
                struct.pack_into("<I", data, index + offset, 10)
            start = index + 4
    errors = rejected(bytes(data), admin)
    assert any("skadet" in error or "ZIP-bombe" in error for error in errors)


def test_too_many_entries_are_rejected(admin, settings):
    settings.H5P_MAX_ENTRIES = 10
    files = valid_files(**{f"content/bilde{i}.png": b"x" for i in range(10)})
    errors = rejected(build(files), admin)
    assert any("grensen er 10" in error for error in errors)


@pytest.mark.parametrize("name", ["H5P.Test-1.0/run.php", "H5P.Test-1.0/tool.exe", "content/skript.sh"])
def test_forbidden_extensions_are_rejected(admin, name):
    errors = rejected(build(valid_files(**{name: "x"})), admin)
    assert any("ikke tillatt" in error for error in errors)


@pytest.mark.parametrize(
    "name", ["content/side.html", "content/side.htm", "content/skript.js", "content/x.php"]
)
def test_html_and_scripts_in_content_are_rejected(admin, name):
    errors = rejected(build(valid_files(**{name: "<script>alert(1)</script>"})), admin)
    assert any("HTML- og skriptfiler" in error for error in errors)


def test_missing_h5p_json_is_rejected(admin):
    files = valid_files()
    del files["h5p.json"]
    assert any("mangler h5p.json" in e for e in rejected(build(files), admin))


def test_broken_h5p_json_is_rejected(admin):
    assert any(
        e.startswith("h5p.json:") and "ikke gyldig JSON" in e
        for e in rejected(build(valid_files(**{"h5p.json": "{nei"})), admin)
    )


def test_h5p_json_without_required_fields_is_rejected(admin):
    errors = rejected(build(valid_files(**{"h5p.json": {"title": "x"}})), admin)
    assert any("mainLibrary" in error for error in errors)


def test_missing_content_json_is_rejected(admin):
    files = valid_files()
    del files["content/content.json"]
    assert any("content.json" in e for e in rejected(build(files), admin))


def test_broken_content_json_is_rejected(admin):
    assert any(
        "content.json" in e for e in rejected(build(valid_files(**{"content/content.json": "[1,"})), admin)
    )


def test_missing_library_is_rejected_with_its_name(admin):
    metadata = {
        **H5P_JSON,
        "preloadedDependencies": [
            *H5P_JSON["preloadedDependencies"],
            {"machineName": "H5P.Mangler", "majorVersion": "2", "minorVersion": "3"},
        ],
    }
    errors = rejected(build(valid_files(**{"h5p.json": metadata})), admin)
    assert any("H5P.Mangler 2.3" in error for error in errors)


def test_not_a_zip_file_is_rejected(admin):
    assert any("ikke en gyldig H5P-pakke" in e for e in rejected(b"dette er ikke en zip", admin))


def test_course_holders_cannot_add_libraries(user):
    errors = rejected(build(valid_files()), user)
    assert any("Bare administratorer" in error for error in errors)


def test_libraries_are_stored_once_and_shared(admin, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = h5p_content_create(data=build(valid_files()), user=admin, title="Første")
    # A course holder's package bundling a different build of the same version does not replace it.
    changed = valid_files(**{"H5P.Test-1.0/test.js": "alert('byttet ut')"})
    with django_capture_on_commit_callbacks(execute=True):
        second = h5p_content_create(data=build(changed), user=user, title="Andre")
    assert H5PLibrary.objects.count() == 1
    library = H5PLibrary.objects.get()
    assert set(first.libraries.all()) == set(second.libraries.all()) == {library}
    assert (
        private_storage.open(f"{library.storage_prefix}test.js").read() == b"window.H5P = window.H5P || {};"
    )


def test_administrator_upgrades_a_library_with_a_higher_patch_version(
    admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        h5p_content_create(data=build(valid_files()), user=admin, title="Første")
    newer = valid_files(
        **{
            "H5P.Test-1.0/library.json": {**LIBRARY_JSON, "patchVersion": 2},
            "H5P.Test-1.0/test.js": "/* 1.0.2 */",
        }
    )
    with django_capture_on_commit_callbacks(execute=True):
        h5p_content_create(data=build(newer), user=admin, title="Andre")
    library = H5PLibrary.objects.get()
    assert library.patch_version == 2
    assert private_storage.open(f"{library.storage_prefix}test.js").read() == b"/* 1.0.2 */"


@pytest.mark.skipif(not FIXTURE.exists(), reason="../shared/fixtures/h5p/true-false.h5p mangler")
def test_real_package_uploads_in_the_admin_with_warnings(client, admin, django_capture_on_commit_callbacks):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_h5p_h5pcontent:add"),
            {
                "upload": SimpleUploadedFile("true-false.h5p", FIXTURE.read_bytes()),
                "title": "Sant eller usant",
                "licence": "MIT",
                "source": "h5p-standalone",
            },
        )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    content = H5PContent.objects.get()
    assert content.status == H5PStatus.READY
    assert content.main_library.machine_name == "H5P.TrueFalse"
    assert any("H5P_CONTENT_HERE.txt" in warning for warning in content.warnings)
    assert H5PLibrary.objects.count() == 10
    listing = client.get(reverse("wagtailsnippets_h5p_h5pcontent:list")).content.decode()
    assert "Sant eller usant" in listing and "Klar" in listing


def test_admin_upload_shows_norwegian_errors_and_stores_nothing(client, admin):
    client.force_login(admin)
    response = client.post(
        reverse("wagtailsnippets_h5p_h5pcontent:add"),
        {
            "upload": SimpleUploadedFile("ond.h5p", build(valid_files(**{"content/side.html": "<p>"}))),
            "title": "Ond",
        },
    )
    assert response.status_code == 200
    assert "HTML- og skriptfiler er ikke tillatt" in response.content.decode()
    assert not H5PContent.objects.exists() and stored_files() == []
