"""Reading an H5P package, after archive.check_archive has passed it: validation, then pyh5p.

Only the JSON files (h5p.json, content.json, and each library's library.json,
semantics.json and language files) are inflated here, in one pass, in chunks
against an inflation budget and a size cap, so a package whose content.json
claims to be small but inflates to gigabytes is rejected after the cap, not
read whole. h5p.validation checks them and every member's name against H5P
core's rules and reports every problem at once; only a package without errors
is then read by pyh5p, from a skeleton of the archive with those JSON files
and an empty stand-in for every other member. Media and scripts are inflated
once, while they are extracted.

Errors reject the package; warnings (unused files, stray top-level files,
editor libraries missing) never do.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import BinaryIO

import pyh5p
from pyh5p import LibraryId

from . import app_settings
from .archive import CORRUPT, H5PPackageRejected, InflationBudget
from .models import H5PLibrary
from .validation import Problem, extension_of, is_ignored, is_metadata, validate


@dataclass
class PackageInspection:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The same errors and warnings as h5p.validation.Problem, with the file each is about.
    problems: list[Problem] = field(default_factory=list)
    package: pyh5p.H5PPackage | None = None
    new_libraries: list = field(default_factory=list)  # PackagedLibrary not yet in the store
    # The stored versions of the libraries the package names, by library_key: extraction reuses
    # them rather than asking the database once per library again.
    stored_libraries: dict[tuple[str, int, int], H5PLibrary] = field(default_factory=dict)


def _kept(name: str) -> bool:
    """Members extraction stores: h5p.json, content/ and library folders, never what H5P skips."""
    return not is_ignored(name) and ("/" in name or name == "h5p.json")


def _read(upload: BinaryIO) -> tuple[list[str], dict[str, bytes], bytes]:
    """Every member's name, the JSON files validation reads, and the skeleton for pyh5p."""
    skeleton = io.BytesIO()
    budget = InflationBudget()
    cap = app_settings.H5P_MAX_JSON_BYTES
    names: list[str] = []
    payloads: dict[str, bytes] = {}
    upload.seek(0)
    with zipfile.ZipFile(upload) as source, zipfile.ZipFile(skeleton, "w") as target:
        for info in source.infolist():
            if info.is_dir():
                continue
            names.append(info.filename)
            if not _kept(info.filename):
                continue
            if is_metadata(info.filename):
                payloads[info.filename] = budget.read(source, info, cap=cap)
            target.writestr(info.filename, payloads.get(info.filename, b""))
    return names, payloads, skeleton.getvalue()


def inspect_package(upload: BinaryIO | bytes) -> PackageInspection:
    """Validate the package and read it with pyh5p; `upload` is a seekable binary file (or bytes)."""
    if isinstance(upload, bytes | bytearray):
        upload = io.BytesIO(upload)
    result = PackageInspection()
    try:
        names, payloads, skeleton = _read(upload)
    except H5PPackageRejected as rejected:
        result.errors.extend(rejected.errors)
        return result
    except (zipfile.BadZipFile, OSError, EOFError):
        result.errors.append(CORRUPT)
        return result

    def installed(machine_names: set[str]) -> set[tuple[str, int, int]]:
        result.stored_libraries = {
            (lib.machine_name, lib.major_version, lib.minor_version): lib
            for lib in H5PLibrary.objects.filter(machine_name__in=machine_names)
        }
        return set(result.stored_libraries)

    validation = validate(names, payloads, installed=installed)
    result.problems = validation.problems
    result.errors = [str(problem) for problem in validation.errors]
    result.warnings = [str(problem) for problem in validation.warnings]
    if result.errors:
        return result
    kept = [name for name in names if _kept(name)]
    limits = pyh5p.PackageLimits(
        max_files=len(names) + 1,
        max_total_size=max(len(skeleton), 1) * 2,
        allowed_extensions=frozenset(extension_of(name) for name in kept),
    )
    try:
        package = pyh5p.read_package(skeleton, limits=limits)
    except pyh5p.H5PError as error:  # validation has passed everything pyh5p refuses
        result.errors.append(f"Pakken kan ikke leses: {error}.")
        return result
    result.package = package
    packaged = {library_key(lib.id): lib for lib in package.libraries}
    result.new_libraries = [lib for key, lib in packaged.items() if key not in result.stored_libraries]
    return result


def library_key(library_id: LibraryId) -> tuple[str, int, int]:
    """A library version as the store tells versions apart (the patch version is not part of it)."""
    return (library_id.machine_name, library_id.major, library_id.minor)
