"""Small H5P packages built in code for the tests."""

import io
import json
import zipfile
from pathlib import Path

FIXTURE = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "h5p" / "true-false.h5p"

H5P_JSON = {
    "title": "Test",
    "language": "nb",
    "mainLibrary": "H5P.Test",
    "embedTypes": ["div"],
    "preloadedDependencies": [{"machineName": "H5P.Test", "majorVersion": "1", "minorVersion": "0"}],
}
LIBRARY_JSON = {
    "title": "Test",
    "machineName": "H5P.Test",
    "majorVersion": 1,
    "minorVersion": 0,
    "patchVersion": 0,
    "runnable": 1,
    "preloadedJs": [{"path": "test.js"}],
}


def build(files: dict[str, bytes | str | dict], *, symlinks: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in files.items():
            if isinstance(payload, dict):
                payload = json.dumps(payload)
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name in symlinks:
                info.external_attr = 0o120777 << 16
            archive.writestr(info, payload)
    return buffer.getvalue()


def valid_files(**extra) -> dict:
    return {
        "h5p.json": H5P_JSON,
        "content/content.json": {"question": "Er dette sant?"},
        "H5P.Test-1.0/library.json": LIBRARY_JSON,
        "H5P.Test-1.0/test.js": "window.H5P = window.H5P || {};",
        **extra,
    }
