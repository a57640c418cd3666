"""One script and one style sheet with every library a content item preloads (as H5P's own
PHP core aggregates them).

A sandboxed frame gets nothing from Chromium's HTTP cache (its origin is opaque), so each of the
thirty-odd scripts and style sheets of a content item's libraries would be asked for on every
view. Joined in the order the player loads them (each library after those it depends on), they
are two requests; style sheets have their relative url(...) made absolute first, since the joined
sheet is served from another folder. Built once per content item and library versions, kept in the
cache.
"""

from __future__ import annotations

import gzip
import json
import logging
import posixpath
import re

from django.core.cache import cache

from core.storage import private_storage

from .models import H5PContent, H5PLibrary

logger = logging.getLogger(__name__)

BUNDLE_CACHE_SECONDS = 24 * 60 * 60
KINDS = {
    "js": ("preloadedJs", "text/javascript; charset=utf-8"),
    "css": ("preloadedCss", "text/css; charset=utf-8"),
}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+?)\1\s*\)""")
LEFT_AS_THEY_ARE = ("data:", "http:", "https:", "//", "/", "#")


def dependency_directory(dependency: dict) -> str:
    return (
        f"{dependency.get('machineName')}-{dependency.get('majorVersion')}.{dependency.get('minorVersion')}"
    )


def load_order(content: H5PContent, libraries: list[H5PLibrary]) -> list[H5PLibrary] | None:
    """The libraries the content preloads, each after those it depends on; None when one of them is
    not among the content's libraries (the player then loads the files one by one, as before)."""
    by_directory = {library.directory_name: library for library in libraries}
    ordered: list[H5PLibrary] = []
    seen: set[str] = set()

    def visit(directory: str) -> bool:
        if directory in seen:
            return True
        library = by_directory.get(directory)
        if library is None:
            return False
        seen.add(directory)
        dependencies = library.metadata.get("preloadedDependencies") or []
        if not all(visit(dependency_directory(dependency)) for dependency in dependencies):
            return False
        ordered.append(library)
        return True

    roots = content.h5p_json.get("preloadedDependencies") or []
    if not all(visit(dependency_directory(dependency)) for dependency in roots):
        return None
    return ordered


def absolute_css_urls(css: str, folder: str) -> str:
    """url(...) relative to the style sheet's own folder, made absolute under `folder`."""

    def absolute(match: re.Match) -> str:
        quote, address = match.group(1), match.group(2).strip()
        if address.startswith(LEFT_AS_THEY_ARE):
            return match.group(0)
        return f"url({quote}{posixpath.normpath(posixpath.join(folder, address))}{quote})"

    return CSS_URL.sub(absolute, css)


def missing_marker(kind: str, missing: list[str]) -> str:
    """What a joined file says first when some of its files were missing, so that the player
    frame (js/h5p-frame.js) can tell the learner and report it rather than show a blank frame: a
    list in `H5PMissingFiles` (scripts), or the custom property `--h5p-missing-files` (styles)."""
    names = [re.sub(r"[^A-Za-z0-9._/-]", "", name) for name in missing]
    if kind == "js":
        return f"(self.H5PMissingFiles = self.H5PMissingFiles || []).push({json.dumps(names)[1:-1]});\n"
    return f':root {{ --h5p-missing-files: "{" ".join(names)}"; }}\n'


def _build(ordered: list[H5PLibrary], kind: str, library_files: str) -> tuple[bytes, bool]:
    """The joined files, and whether every one of them was there (if not, they start with a
    missing_marker)."""
    key, _content_type = KINDS[kind]
    parts = []
    complete = True
    missing: list[str] = []
    for library in ordered:
        for asset in library.metadata.get(key) or []:
            path = str(asset.get("path", "")) if isinstance(asset, dict) else ""
            if not path or "\\" in path or any(part in {"", ".", ".."} for part in path.split("/")):
                continue
            try:
                with private_storage.open(library.storage_prefix + path, "rb") as handle:
                    text = handle.read().decode("utf-8", errors="replace")
            except Exception:  # a file missing from storage would have failed in the player as well
                logger.warning(
                    "H5P library file %s%s is missing", library.storage_prefix, path, exc_info=True
                )
                complete = False
                missing.append(f"{library.directory_name}/{path}")
                continue
            if kind == "css":
                folder = posixpath.dirname(f"{library_files}/{library.directory_name}/{path}")
                text = absolute_css_urls(text, folder)
            parts.append(f"/* {library.directory_name}/{path} */\n{text}\n")
    if missing:  # first: a script that then fails to run must not keep the frame from knowing
        parts.insert(0, missing_marker(kind, missing))
    # A script that does not end its last statement must not run into the next one.
    return (";\n" if kind == "js" else "\n").join(parts).encode(), complete


def bundle(
    content: H5PContent, ordered: list[H5PLibrary], *, kind: str, fingerprint: str, library_files: str
) -> tuple[bytes, bytes, bool]:
    """The joined scripts or style sheets, plain and gzip-compressed, from the cache or built now,
    and whether they are complete.

    Compressed once here rather than on every request (nothing secret in them, so no padding). A
    bundle missing a file (a library being repaired) is neither cached here nor to be kept by
    anyone: the same address must give the whole bundle once the file is back."""
    key = f"h5p:bundle:{content.uuid}:{fingerprint}:{kind}"
    built = cache.get(key)
    if built is not None:
        return (*built, True)
    plain, complete = _build(ordered, kind, library_files)
    compressed = gzip.compress(plain, compresslevel=9, mtime=0)
    if complete:
        cache.set(key, (plain, compressed), BUNDLE_CACHE_SECONDS)
    return plain, compressed, complete
