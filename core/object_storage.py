"""The STORAGES entries for S3-compatible object storage (django-storages), shared by the settings and
the tests (which point them at a local S3 server). Plain data, no Django imports: settings load it.

- "default", public media (Wagtail images, renditions, documents): plain URLs without signatures.
  The bucket must let anyone read its images through a bucket policy (media_bucket_policy());
  no object ACLs are set, so buckets with ACLs disabled (AWS's default) work. Documents stay
  unreadable there: Wagtail streams them through its view, which checks collection privacy
  (WAGTAILDOCS_SERVE_METHOD in the settings).
- "private" (certificate PDFs, H5P files, data exports): a bucket nobody outside reads. The
  platform streams these files through views that check access, send no-store headers and keep
  the audit record; it never hands out their URLs (core.storage.PrivateStorage refuses url()).

Neither storage overwrites: like the filesystem, a name already taken gets a suffix.
"""

import json
from urllib.parse import urlsplit

S3_BACKEND = "storages.backends.s3.S3Storage"


def s3_storages(
    *,
    media_bucket: str,
    private_bucket: str,
    endpoint_url: str | None = None,
    region_name: str | None = None,
    access_key: str | None = None,
    secret_key: str | None = None,
    media_custom_domain: str | None = None,
) -> dict:
    """STORAGES["default"] and STORAGES["private"] on two buckets. Without keys boto3 looks for
    credentials itself (environment, instance or task role)."""
    common = {
        "endpoint_url": endpoint_url or None,
        "region_name": region_name or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "file_overwrite": False,
        "default_acl": None,
    }
    if endpoint_url:
        # S3-compatible servers (MinIO, Ceph, moto) answer bucket names in the path reliably;
        # virtual-hosted names would need a DNS name per bucket.
        common["addressing_style"] = "path"
    return {
        "default": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **common,
                "bucket_name": media_bucket,
                "querystring_auth": False,
                "custom_domain": media_custom_domain or None,
            },
        },
        "private": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **common,
                "bucket_name": private_bucket,
                # Signed for one minute should anything ask for a URL directly from the backend.
                "querystring_auth": True,
                "querystring_expire": 60,
            },
        },
    }


def media_origins(
    *,
    media_bucket: str,
    endpoint_url: str | None = None,
    region_name: str | None = None,
    media_custom_domain=None,
) -> list[str]:
    """Where the browser fetches public media from, for the Content-Security-Policy (images, video)."""
    if media_custom_domain:
        return [f"https://{media_custom_domain.split('/')[0]}"]
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        return [f"{parts.scheme}://{parts.netloc}"]
    origins = [f"https://{media_bucket}.s3.amazonaws.com"]
    if region_name:
        origins.append(f"https://{media_bucket}.s3.{region_name}.amazonaws.com")
    return origins


# Where Wagtail keeps images and their renditions in the media bucket; documents/ is left out.
PUBLIC_MEDIA_PREFIXES = ("original_images/", "images/")


def media_bucket_policy(bucket: str) -> str:
    """The public media bucket's policy: anyone may read images (not list the bucket, not read documents)."""
    statement = {
        "Sid": "PublicReadImages",
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": [f"arn:aws:s3:::{bucket}/{prefix}*" for prefix in PUBLIC_MEDIA_PREFIXES],
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})
