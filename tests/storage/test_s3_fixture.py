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
    public_name = default_storage.save("bilder/logo.txt", ContentFile(b"public"))
    private_name = private_storage.save("kursbevis/2026/a.pdf", ContentFile(b"private"))

    assert s3_storages.server.keys(s3_storages.media_bucket) == [public_name]
    assert s3_storages.server.keys(s3_storages.private_bucket) == [private_name]
    with urllib.request.urlopen(default_storage.url(public_name), timeout=10) as response:  # noqa: S310
        assert response.read() == b"public"
    endpoint = s3_storages.server.endpoint_url
    assert _anonymous_status(f"{endpoint}/{s3_storages.private_bucket}/{private_name}") == 403
    with pytest.raises(ValueError):
        private_storage.url(private_name)
    assert not (tmp_path / "media").exists()
    assert not (tmp_path / "private-media").exists()
