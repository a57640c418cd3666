"""Issue 12: uploads are checked without reading them into memory, and corruption that shows
only while inflating is a clear Norwegian message, never a server error.

Memory is measured with tracemalloc (the peak of Python's allocations while the upload is
handled), so these tests are deterministic: the bound is far below the size of the file or
member, which the code before the fix held in memory whole.
"""

import io
import os
import struct
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse

from h5p import services
from h5p.archive import ArchiveReport
from h5p.models import H5PContent, H5PLibrary, H5PStatus
from h5p.services import H5PPackageRejected, h5p_content_create
from h5p.wagtail_hooks import H5PContentViewSet
from tests.h5p.packages import build, valid_files
from tests.h5p.test_upload import stored_files

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser(email="admin@test.example", password="x")


def peak_memory(function):
    """Run function(); return (its result or exception, the peak bytes Python allocated meanwhile)."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        try:
            outcome = function()
        except H5PPackageRejected as rejected:
            outcome = rejected
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def zeros_package(name: str, size: int) -> bytes:
    """A valid package with one member of `size` zero bytes (deflates about 1000:1)."""
    buffer = io.BytesIO(build(valid_files()))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive, archive.open(name, "w") as member:
        block = bytes(MIB)
        for _ in range(size // MIB):
            member.write(block)
    return buffer.getvalue()


def upload_form(admin, upload):
    form_class = H5PContentViewSet.edit_handler.bind_to_model(H5PContent).get_form_class()
    return form_class(data={"title": "Stor"}, files={"upload": upload}, for_user=admin)


def test_an_oversize_upload_is_rejected_from_its_size_without_being_read(admin, settings, tmp_path):
    settings.H5P_MAX_UPLOAD_BYTES = 5 * MIB
    # As Django keeps a large upload: a temporary file on disk (sparse here: 40 MiB of nothing).
    upload = TemporaryUploadedFile("stor.h5p", "application/zip", 40 * MIB, None)
    upload.file.truncate(40 * MIB)
    form = upload_form(admin, upload)
    valid, peak = peak_memory(form.is_valid)
    assert valid is False
    assert any("Pakken er for stor" in error for error in form.errors["upload"]), form.errors
    assert peak < 1 * MIB, f"{peak / MIB:.1f} MiB used for a 40 MiB upload"
    assert not H5PContent.objects.exists()


def test_a_large_upload_is_checked_from_its_temporary_file_in_chunks(admin, settings):
    """A package within every limit whose one member inflates to 48 MiB: checked and extracted
    through the admin form with memory far below the member's size (it was held whole)."""
    settings.H5P_MAX_COMPRESSION_RATIO = 5000  # a limit that lets this dense member through
    data = zeros_package("content/video.mp4", 48 * MIB)
    upload = TemporaryUploadedFile("stor.h5p", "application/zip", len(data), None)
    upload.write(data)
    upload.seek(0)
    form = upload_form(admin, upload)
    assert form.is_valid(), form.errors
    content, peak = peak_memory(lambda: form.save())
    assert isinstance(content, H5PContent), content
    content.refresh_from_db()
    assert content.status == H5PStatus.READY
    assert services.private_storage.size(f"{content.content_prefix}video.mp4") == 48 * MIB
    assert peak < 8 * MIB, f"{peak / MIB:.1f} MiB used to extract a 48 MiB member"


@pytest.mark.parametrize(
    "limits, expected",
    [
        (
            {"H5P_MAX_INFLATED_BYTES": 8 * MIB, "H5P_MAX_COMPRESSION_RATIO": 5000},
            "for stor når den pakkes ut",
        ),
        ({}, "mistenkelig tett"),  # the default ratio limit (100), counted on the bytes inflated
    ],
)
def test_a_zip_bomb_member_is_stopped_while_inflating(admin, settings, monkeypatch, limits, expected):
    """The running budget stops a member as soon as it overruns, whatever its headers said
    (here the header checks are bypassed, as if the headers had lied)."""
    for name, value in limits.items():
        setattr(settings, name, value)
    monkeypatch.setattr(services, "check_archive", lambda upload, *, size: ArchiveReport())
    data = zeros_package("content/bombe.mp4", 64 * MIB)
    outcome, peak = peak_memory(lambda: h5p_content_create(data=data, user=admin, title="x"))
    assert isinstance(outcome, H5PPackageRejected)
    assert any(expected in error for error in outcome.errors), outcome.errors
    assert peak < 4 * MIB, f"{peak / MIB:.1f} MiB used before the bomb was stopped"
    assert not H5PContent.objects.exists() and not H5PLibrary.objects.exists() and stored_files() == []


def test_an_oversized_json_file_is_stopped_while_it_is_read(admin, settings, monkeypatch):
    settings.H5P_MAX_JSON_BYTES = 1 * MIB
    settings.H5P_MAX_COMPRESSION_RATIO = 5000
    monkeypatch.setattr(services, "check_archive", lambda upload, *, size: ArchiveReport())
    files = valid_files()
    files["content/content.json"] = '{"tekst": "' + " " * (32 * MIB) + '"}'
    data = build(files)
    outcome, peak = peak_memory(lambda: h5p_content_create(data=data, user=admin, title="x"))
    assert isinstance(outcome, H5PPackageRejected)
    assert any("content/content.json" in error and "for stor" in error for error in outcome.errors)
    assert peak < 6 * MIB, f"{peak / MIB:.1f} MiB used reading a 32 MiB content.json"


# Corruption that only inflating finds: the central directory is intact, a member is not.


def _member_data(data: bytes, name: str) -> tuple[int, zipfile.ZipInfo]:
    """Where a member's compressed bytes start in the archive, and its entry."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(name)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    return info.header_offset + 30 + name_length + extra_length, info


def bad_crc(data: bytes, name: str) -> bytes:
    """A stored member with one byte changed: it reads to its end, then the CRC does not match."""
    start, info = _member_data(data, name)
    corrupt = bytearray(data)
    corrupt[start + info.compress_size // 2] ^= 0xFF
    return bytes(corrupt)


def bad_deflate(data: bytes, name: str) -> bytes:
    """A deflated member whose stream is garbage (zlib reports an invalid block)."""
    start, info = _member_data(data, name)
    corrupt = bytearray(data)
    corrupt[start : start + info.compress_size] = b"\xff" * info.compress_size
    return bytes(corrupt)


def truncated(data: bytes, name: str) -> bytes:
    """A deflated member whose central-directory entry says its data is half as long."""
    _start, info = _member_data(data, name)
    corrupt = bytearray(data)
    index = corrupt.find(b"PK\x01\x02")
    while index != -1:
        name_length = struct.unpack_from("<H", corrupt, index + 28)[0]
        if bytes(corrupt[index + 46 : index + 46 + name_length]) == name.encode():
            struct.pack_into("<I", corrupt, index + 20, info.compress_size // 2)
            return bytes(corrupt)
        index = corrupt.find(b"PK\x01\x02", index + 4)
    raise AssertionError("central directory entry not found")


def media_package(compression: int) -> bytes:
    buffer = io.BytesIO(build(valid_files()))
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("content/bilde.png", os.urandom(20_000) + b"a" * 20_000, compress_type=compression)
    return buffer.getvalue()


CORRUPTIONS = [
    pytest.param(lambda: bad_crc(media_package(zipfile.ZIP_STORED), "content/bilde.png"), id="crc"),
    pytest.param(lambda: bad_deflate(media_package(zipfile.ZIP_DEFLATED), "content/bilde.png"), id="deflate"),
    pytest.param(lambda: truncated(media_package(zipfile.ZIP_DEFLATED), "content/bilde.png"), id="truncated"),
    pytest.param(lambda: bad_deflate(build(valid_files()), "H5P.Test-1.0/test.js"), id="library-file"),
    pytest.param(lambda: bad_deflate(build(valid_files()), "content/content.json"), id="content-json"),
]


@pytest.mark.parametrize("corrupt", CORRUPTIONS)
def test_corruption_found_while_inflating_is_shown_at_the_upload_field(client, admin, corrupt):
    client.force_login(admin)
    response = client.post(
        reverse("wagtailsnippets_h5p_h5pcontent:add"),
        {"upload": SimpleUploadedFile("skadet.h5p", corrupt()), "title": "Skadet"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["upload"] == ["Pakken er skadet og kan ikke pakkes ut."]
    assert "Pakken er skadet og kan ikke pakkes ut." in response.content.decode()
    assert not H5PContent.objects.exists() and not H5PLibrary.objects.exists() and stored_files() == []


@pytest.mark.parametrize("corrupt", CORRUPTIONS[:4])
def test_corruption_found_by_the_background_extraction_marks_the_package_failed(
    admin, settings, django_capture_on_commit_callbacks, corrupt
):
    settings.H5P_EXTRACT_INLINE_BYTES = 0  # every package goes to the worker
    with django_capture_on_commit_callbacks(execute=True):
        content = h5p_content_create(data=corrupt(), user=admin, title="Skadet")
    content.refresh_from_db()
    assert content.status == H5PStatus.FAILED
    assert content.error == "Pakken er skadet og kan ikke pakkes ut."
    assert not H5PLibrary.objects.exists()
    assert stored_files() == [os.path.join(services.private_storage.location, content.package.name)]


def test_the_background_extraction_is_idempotent(admin, settings, django_capture_on_commit_callbacks):
    """Run twice (a retried or redelivered task): the same files, no copies beside them."""
    settings.H5P_EXTRACT_INLINE_BYTES = 0
    with django_capture_on_commit_callbacks(execute=True):
        content = h5p_content_create(
            upload=io.BytesIO(media_package(zipfile.ZIP_DEFLATED)), user=admin, title="x"
        )
    first = sorted(stored_files())
    # As if the worker had died after writing the files but before marking the item ready.
    H5PContent.objects.filter(pk=content.pk).update(status=H5PStatus.PROCESSING)
    services.h5p_content_extract(content_id=content.pk)
    content.refresh_from_db()
    assert content.status == H5PStatus.READY
    assert sorted(stored_files()) == first
    services.h5p_content_extract(content_id=content.pk)  # already ready: left as it is
    assert sorted(stored_files()) == first
