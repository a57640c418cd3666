"""The S3 test server and the storages fixture behave like object storage in production."""

import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from core.storage import private_storage


def _anonymous_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the local test server
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db
def test_media_go_to_fresh_buckets_public_readable_private_not(s3_storages, settings, tmp_path):
    # Images are what the media bucket's policy lets anyone read (core.object_storage.media_bucket_policy).
    public_name = default_storage.save("original_images/logo.txt", ContentFile(b"public"))
    document = default_storage.save("documents/plan.txt", ContentFile(b"plan"))
    private_name = private_storage.save("kursbevis/2026/a.pdf", ContentFile(b"private"))

    assert sorted(s3_storages.server.keys(s3_storages.media_bucket)) == sorted([public_name, document])
    assert s3_storages.server.keys(s3_storages.private_bucket) == [private_name]
    with urllib.request.urlopen(default_storage.url(public_name), timeout=10) as response:  # noqa: S310
        assert response.read() == b"public"
    endpoint = s3_storages.server.endpoint_url
    assert _anonymous_status(f"{endpoint}/{s3_storages.private_bucket}/{private_name}") == 403
    assert _anonymous_status(default_storage.url(document)) == 403  # streamed by Wagtail's view
    with pytest.raises(ValueError):
        private_storage.url(private_name)
    assert not (tmp_path / "media").exists()
    assert not (tmp_path / "private-media").exists()
