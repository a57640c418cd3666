"""Reading an H5P package with pyh5p, after archive.check_archive has passed it.

Only the JSON files (h5p.json, content.json, library.json, semantics.json)
are inflated here: pyh5p reads a skeleton of the archive with those files
and an empty stand-in for every other member, which is all its validation
needs. Media and scripts are inflated once, while they are extracted. The JSON
files are inflated in chunks against an inflation budget and a size cap, so a
package whose content.json claims to be small but inflates to gigabytes is
rejected after the cap, not read whole.

Fatal problems (errors) reject the package; the kinds of irregularity real
packages often carry (unpackaged media, stray top-level files) are warnings.
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

WARNING_KEYWORDS = {"asset", "additionalProperties"}


@dataclass
class PackageInspection:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    package: pyh5p.H5PPackage | None = None
    new_libraries: list = field(default_factory=list)  # PackagedLibrary not yet in the store
    # The stored versions of the libraries the package names, by library_key: extraction reuses
    # them rather than asking the database once per library again.
    stored_libraries: dict[tuple[str, int, int], H5PLibrary] = field(default_factory=dict)


def _describe(issue) -> str:
    if issue.keyword == "asset":
        return f"Innholdet viser til en fil som ikke er med i pakken ({issue.path})."
    if issue.keyword == "additionalProperties":
        return f"Pakken har en fil som ikke hører til H5P-formatet: {issue.path.removeprefix('$.package.')}."
    if issue.keyword == "dependency":
        return "Hovedbiblioteket som h5p.json nevner, finnes ikke i pakken."
    return f"h5p.json: {issue.path.removeprefix('$.h5p.')} mangler eller har feil type."


def _dependencies(metadata: dict) -> list[LibraryId]:
    """The libraries that h5p.json or a library.json says must be loaded."""
    dependencies = metadata.get("preloadedDependencies") or []
    return [LibraryId.parse(dep) for dep in dependencies if isinstance(dep, dict)]


def _is_metadata(name: str) -> bool:
    return name in {"h5p.json", "content/content.json"} or name.endswith(("/library.json", "/semantics.json"))


def _skeleton(upload: BinaryIO) -> bytes:
    """The archive with its JSON files and an empty entry for every other member."""
    skeleton = io.BytesIO()
    budget = InflationBudget()
    cap = app_settings.H5P_MAX_JSON_BYTES
    upload.seek(0)
    with zipfile.ZipFile(upload) as source, zipfile.ZipFile(skeleton, "w") as target:
        for info in source.infolist():
            payload = budget.read(source, info, cap=cap) if _is_metadata(info.filename) else b""
            target.writestr(info.filename, payload)
    return skeleton.getvalue()


def inspect_package(upload: BinaryIO | bytes) -> PackageInspection:
    """Read the package's JSON files with pyh5p; `upload` is a seekable binary file (or bytes)."""
    if isinstance(upload, bytes | bytearray):
        upload = io.BytesIO(upload)
    result = PackageInspection()
    try:
        package = pyh5p.read_package(_skeleton(upload))
    except H5PPackageRejected as rejected:
        result.errors.extend(rejected.errors)
        return result
    except (zipfile.BadZipFile, OSError, EOFError):
        result.errors.append(CORRUPT)
        return result
    except pyh5p.H5PError as error:
        message = str(error)
        if "invalid H5P ZIP" in message:
            result.errors.append("Pakken er skadet og kan ikke pakkes ut.")
        elif "h5p.json" in message and "missing" in message:
            result.errors.append("Pakken mangler h5p.json.")
        elif "h5p.json" in message:
            result.errors.append("h5p.json er ikke gyldig JSON.")
        elif "content.json" in message:
            result.errors.append("content/content.json er ikke gyldig JSON.")
        elif "library definition" in message:
            result.errors.append(
                f"Et bibliotek i pakken har en ugyldig library.json ({message.rsplit(' ', 1)[-1]})."
            )
        else:
            result.errors.append(f"Pakken kan ikke leses: {message}.")
        return result
    result.package = package
    if package.content is None:
        result.errors.append("Pakken mangler content/content.json.")
    for issue in package.validate(require_content=False, allow_content_only=True):
        (result.warnings if issue.keyword in WARNING_KEYWORDS else result.errors).append(_describe(issue))

    packaged = {library_key(lib.id): lib for lib in package.libraries}
    required = {
        library_key(dep): dep
        for metadata in [package.metadata, *(lib.metadata for lib in package.libraries)]
        for dep in _dependencies(metadata)
    }
    names = {key[0] for key in [*packaged, *required]}
    result.stored_libraries = stored = {
        (lib.machine_name, lib.major_version, lib.minor_version): lib
        for lib in H5PLibrary.objects.filter(machine_name__in=names)
    }
    for name, major, minor in sorted(set(required) - set(packaged) - set(stored)):
        result.errors.append(
            f"Pakken trenger biblioteket {name} {major}.{minor}, som verken er med i pakken eller installert."
        )
    result.new_libraries = [lib for key, lib in packaged.items() if key not in stored]
    return result


def library_key(library_id: LibraryId) -> tuple[str, int, int]:
    """A library version as the store tells versions apart (the patch version is not part of it)."""
    return (library_id.machine_name, library_id.major, library_id.minor)
