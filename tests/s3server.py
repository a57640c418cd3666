"""A real S3-compatible server for the tests: moto in server mode (PyPI `moto[server]`), on a free port.

`s3_server` (session) starts it once; `s3_storages` points STORAGES["default"] and ["private"] at two
fresh buckets for one test, configured exactly as the settings do from the environment
(core.object_storage), with the public bucket readable by anyone through a bucket policy as in
production. `s3_storages.environment` gives the same configuration as environment variables for
processes a test starts (gunicorn, a Celery worker).

moto answers anonymous requests as S3 does: 403 for a private object, 200 where a bucket policy
allows s3:GetObject to "*".
"""

from __future__ import annotations

import dataclasses
import logging
import socket
import uuid

import boto3
import pytest

from core.object_storage import media_bucket_policy
from core.object_storage import s3_storages as s3_storages_setting

REGION = "eu-north-1"
# moto accepts any keys; real ones never belong in the tests.
ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"  # noqa: S105 - a dummy for the local test server


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclasses.dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    region_name: str = REGION
    access_key: str = ACCESS_KEY
    secret_key: str = SECRET_KEY

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region_name,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )

    def create_bucket(self, *, public: bool = False, prefix: str = "test") -> str:
        name = f"{prefix}-{uuid.uuid4().hex[:16]}"
        client = self.client()
        client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": self.region_name})
        if public:
            client.put_bucket_policy(Bucket=name, Policy=media_bucket_policy(name))
        return name

    def keys(self, bucket: str) -> list[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


@dataclasses.dataclass(frozen=True)
class S3Storages:
    server: S3Server
    media_bucket: str
    private_bucket: str

    @property
    def environment(self) -> dict[str, str]:
        """The variables config/settings/base.py reads to configure these same buckets."""
        return {
            "PRIVATE_MEDIA_BUCKET": self.private_bucket,
            "MEDIA_BUCKET": self.media_bucket,
            "AWS_S3_ENDPOINT_URL": self.server.endpoint_url,
            "AWS_S3_REGION_NAME": self.server.region_name,
            "AWS_ACCESS_KEY_ID": self.server.access_key,
            "AWS_SECRET_ACCESS_KEY": self.server.secret_key,
        }

    def setting(self) -> dict:
        return s3_storages_setting(
            media_bucket=self.media_bucket,
            private_bucket=self.private_bucket,
            endpoint_url=self.server.endpoint_url,
            region_name=self.server.region_name,
            access_key=self.server.access_key,
            secret_key=self.server.secret_key,
        )


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    # The server's request log (werkzeug) would fill the test output.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield S3Server(endpoint_url=f"http://127.0.0.1:{port}")
    finally:
        server.stop()


@pytest.fixture
def s3_storages(s3_server, settings) -> S3Storages:
    """Public and private media on two fresh buckets of the test S3 server, for one test."""
    configured = S3Storages(
        server=s3_server,
        media_bucket=s3_server.create_bucket(public=True, prefix="media"),
        private_bucket=s3_server.create_bucket(prefix="private"),
    )
    settings.STORAGES = {**settings.STORAGES, **configured.setting()}
    return configured
