"""System checks for the h5p app (registered in H5PConfig.ready())."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.core.checks import Error, Warning

from core.checks import number_setting_errors

from . import app_settings

# The player from npm (h5p-standalone's dist folder), served as static files under this prefix.
PLAYER_SCRIPT = "h5p-standalone/main.bundle.js"


# (setting, smallest sensible value, whole number?)
LIMITS = [
    ("H5P_MAX_UPLOAD_BYTES", 1, True),
    ("H5P_MAX_ENTRIES", 1, True),
    ("H5P_MAX_COMPRESSION_RATIO", 1, False),
    ("H5P_MAX_INFLATED_BYTES", 1, True),
    ("H5P_MAX_JSON_BYTES", 1, True),
    ("H5P_EXTRACT_INLINE_BYTES", 0, True),
]


def settings_check(app_configs=None, **kwargs) -> list:
    errors = []
    for name, minimum, integer in LIMITS:
        value = getattr(app_settings, name)
        errors += number_setting_errors(name, value, minimum=minimum, check_id="h5p.E001", integer=integer)
    if errors:
        return errors
    if app_settings.H5P_MAX_INFLATED_BYTES < app_settings.H5P_MAX_UPLOAD_BYTES:
        # Inflating never makes an archive smaller than its stored bytes, so the packages
        # between the two limits pass the size check and are always refused when unpacked.
        errors.append(
            Error(
                "H5P_MAX_INFLATED_BYTES is smaller than H5P_MAX_UPLOAD_BYTES: packages the upload "
                "limit lets through would always be refused when unpacked.",
                hint="Raise H5P_MAX_INFLATED_BYTES or lower H5P_MAX_UPLOAD_BYTES.",
                id="h5p.E002",
            )
        )
    return errors


def player_check(app_configs=None, **kwargs) -> list:
    """The h5p-standalone player must be among the static files, or no H5P activity can play."""
    if finders.find(PLAYER_SCRIPT):
        return []
    return [
        Warning(
            f"The H5P player ({PLAYER_SCRIPT}) is not among the static files.",
            hint="Install h5p-standalone from npm and add its dist folder to STATICFILES_DIRS under the "
            "prefix 'h5p-standalone': ('h5p-standalone', BASE_DIR / 'node_modules/h5p-standalone/dist').",
            id="h5p.W001",
        )
    ]
