"""System checks for core's settings, and helpers the apps' own checks share.

core has no AppConfig: each app that relies on one of these settings registers its check in
ready(), e.g. ``checks.register(core.checks.platform_base_url)``. Registering the same check
from several apps runs it once.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error

from . import app_settings
from .storage import PRIVATE_ALIAS, PrivateFileSystemStorage, private_backend


def number_setting_errors(
    name: str, value, *, minimum: float, check_id: str, integer: bool = True
) -> list[Error]:
    """An Error unless `value` is a number (an int if `integer`) of at least `minimum`."""
    kinds = (int,) if integer else (int, float)
    if isinstance(value, kinds) and not isinstance(value, bool) and value >= minimum:
        return []
    expected = "a whole number" if integer else "a number"
    return [
        Error(
            f"{name} must be {expected} of at least {minimum}; it is {value!r}.",
            hint=f"Set {name} in your settings, or remove it to use the default.",
            id=check_id,
        )
    ]


def platform_base_url(app_configs=None, **kwargs) -> list[Error]:
    """PLATFORM_BASE_URL (or WAGTAILADMIN_BASE_URL) is an absolute http(s) address without query."""
    value = app_settings.PLATFORM_BASE_URL
    hint = "For example PLATFORM_BASE_URL = 'https://kurs.example.no'."
    if not value:
        return [
            Error(
                "PLATFORM_BASE_URL is not set: links in e-mails, certificates and QR codes need the "
                "site's public address.",
                hint=hint,
                id="core.E001",
            )
        ]
    parts = urlsplit(value) if isinstance(value, str) else None
    absolute = parts is not None and parts.scheme in ("http", "https") and bool(parts.netloc)
    if not absolute or parts.query or parts.fragment:
        return [
            Error(
                f"PLATFORM_BASE_URL must be an absolute http:// or https:// address; it is {value!r}.",
                hint=hint,
                id="core.E002",
            )
        ]
    return []


def private_media_root(app_configs=None, **kwargs) -> list[Error]:
    """Private files cannot be reached where public media are served: on the filesystem,
    PRIVATE_MEDIA_ROOT is set and lies outside MEDIA_ROOT (which a web server hands out); in object
    storage, the private bucket is not the public media bucket (which anyone may read)."""
    if not isinstance(private_backend(), PrivateFileSystemStorage):
        return _private_bucket_errors(settings.STORAGES.get(PRIVATE_ALIAS, {}), settings.STORAGES["default"])
    value = app_settings.PRIVATE_MEDIA_ROOT
    if not value:
        return [
            Error(
                "PRIVATE_MEDIA_ROOT is not set: certificate PDFs and H5P packages are stored there.",
                hint="Point it at a folder outside MEDIA_ROOT that no web server serves.",
                id="core.E003",
            )
        ]
    media_root = getattr(settings, "MEDIA_ROOT", "")
    if media_root:
        private, public = Path(value).resolve(), Path(media_root).resolve()
        if private == public or public in private.parents:
            return [
                Error(
                    f"PRIVATE_MEDIA_ROOT ({value}) lies inside MEDIA_ROOT ({media_root}), so private files "
                    "would be served to anyone.",
                    hint="Use a folder outside MEDIA_ROOT.",
                    id="core.E004",
                )
            ]
    return []


def _private_bucket_errors(private: dict, public: dict) -> list[Error]:
    def place(storage: dict):
        options = storage.get("OPTIONS", {})
        return options.get("bucket_name"), options.get("endpoint_url"), options.get("location", "")

    bucket = place(private)[0]
    if bucket and place(private) == place(public):
        return [
            Error(
                f"Private files and public media share the bucket {bucket!r}, so certificates and data "
                "exports would be readable by anyone who can read public media.",
                hint="Give PRIVATE_MEDIA_BUCKET and MEDIA_BUCKET different buckets.",
                id="core.E006",
            )
        ]
    return []


def trusted_proxy_count(app_configs=None, **kwargs) -> list[Error]:
    return number_setting_errors(
        "TRUSTED_PROXY_COUNT", app_settings.TRUSTED_PROXY_COUNT, minimum=0, check_id="core.E005"
    )
