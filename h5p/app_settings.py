"""The h5p app's settings, each with its default, read when used.

Upload limits, checked before anything is read or extracted:

    H5P_MAX_UPLOAD_BYTES       size of the .h5p file; default 100 MiB
    H5P_MAX_ENTRIES            files in the archive; default 5000
    H5P_MAX_COMPRESSION_RATIO  inflated size / compressed size per file; default 100
    H5P_MAX_INFLATED_BYTES     the whole archive inflated; default 500 MiB
    H5P_MAX_JSON_BYTES         one JSON file (h5p.json, content.json, library.json, semantics.json),
                               which is read into memory to be parsed; default 16 MiB
    H5P_EXTRACT_INLINE_BYTES   packages up to this size are extracted during the upload, larger
                               ones by a Celery worker; default 20 MiB

Packages are stored under PRIVATE_MEDIA_ROOT (core.app_settings).

The player's own origin (h5p/player_origin.py):

    H5P_PLAYER_ORIGIN          "https://h5p.example.no": a second host name of the same app servers,
                               which serves only the player and its files, without cookies, so that
                               browsers cache the files; empty (the default): the player is served
                               from the platform's own origin in a sandboxed frame (opaque origin)
    H5P_PLAYER_TICKET_MAX_AGE  seconds in which the frame must be opened with its ticket; default 300
"""

from __future__ import annotations

from django.conf import settings

MIB = 1024 * 1024


class AppSettings:
    def _setting(self, name: str, default):
        return getattr(settings, name, default)

    @property
    def H5P_MAX_UPLOAD_BYTES(self) -> int:
        return self._setting("H5P_MAX_UPLOAD_BYTES", 100 * MIB)

    @property
    def H5P_MAX_ENTRIES(self) -> int:
        return self._setting("H5P_MAX_ENTRIES", 5000)

    @property
    def H5P_MAX_COMPRESSION_RATIO(self) -> float:
        return self._setting("H5P_MAX_COMPRESSION_RATIO", 100.0)

    @property
    def H5P_MAX_INFLATED_BYTES(self) -> int:
        return self._setting("H5P_MAX_INFLATED_BYTES", 500 * MIB)

    @property
    def H5P_MAX_JSON_BYTES(self) -> int:
        return self._setting("H5P_MAX_JSON_BYTES", 16 * MIB)

    @property
    def H5P_EXTRACT_INLINE_BYTES(self) -> int:
        return self._setting("H5P_EXTRACT_INLINE_BYTES", 20 * MIB)

    @property
    def H5P_PLAYER_ORIGIN(self) -> str:
        return (self._setting("H5P_PLAYER_ORIGIN", "") or "").strip().rstrip("/")

    @property
    def H5P_PLAYER_TICKET_MAX_AGE(self) -> int:
        return self._setting("H5P_PLAYER_TICKET_MAX_AGE", 5 * 60)


_app_settings = AppSettings()


def __getattr__(name: str):
    # PEP 562: `from h5p import app_settings; app_settings.X` reads the live value.
    return getattr(_app_settings, name)
