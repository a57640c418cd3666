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

Allowed file types (h5p.validation), as H5P core's whitelist settings:

    H5P_CONTENT_EXTENSIONS        extensions allowed in the content folder; default H5P core's
                                  default content whitelist (H5PCore::$defaultContentWhitelist)
    H5P_LIBRARY_EXTRA_EXTENSIONS  extensions libraries may have besides those; default "js css"
                                  (H5PCore::$defaultLibraryWhitelistExtras)

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

#: H5P core's default content whitelist (h5p-php-library, H5PCore::$defaultContentWhitelist, with
#: svg and xml as in the core versions before 1.27 and in Lumi's h5p-nodejs-library default).
DEFAULT_CONTENT_EXTENSIONS = tuple(
    # One line of core's list reads better than forty-three.
    "json png jpg jpeg gif bmp tif tiff svg eot ttf woff woff2 otf webm mp4 ogg mp3 m4a wav txt pdf rtf "  # noqa: SIM905
    "doc docx xls xlsx ppt pptx odt ods odp xml csv diff patch swf md textile vtt webvtt gltf glb".split()
)
#: H5PCore::$defaultLibraryWhitelistExtras: libraries may also carry scripts and styles.
DEFAULT_LIBRARY_EXTRA_EXTENSIONS = ("js", "css")


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
    def H5P_CONTENT_EXTENSIONS(self) -> tuple[str, ...]:
        return tuple(self._setting("H5P_CONTENT_EXTENSIONS", DEFAULT_CONTENT_EXTENSIONS))

    @property
    def H5P_LIBRARY_EXTRA_EXTENSIONS(self) -> tuple[str, ...]:
        return tuple(self._setting("H5P_LIBRARY_EXTRA_EXTENSIONS", DEFAULT_LIBRARY_EXTRA_EXTENSIONS))

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
