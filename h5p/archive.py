"""Safety checks on an uploaded .h5p (ZIP) archive, before anything is extracted.

Every problem is reported in Norwegian; any problem rejects the package. Which files
H5P allows where (file types, the JSON files, libraries) is h5p.validation's part.
These checks read only the ZIP's central directory, whose sizes may lie: the
bytes actually inflated are counted while members are read (InflationBudget),
member by member in chunks, against the same limits, and a package that
overruns them is rejected as soon as it does, with nothing kept. Corruption
that shows only while inflating (a bad CRC, a truncated member, a broken
deflate stream) rejects the package the same way.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import BinaryIO

from . import app_settings


class H5PPackageRejected(Exception):
    """A package refused; `errors` are its messages, `problems` (h5p.validation.Problem) the
    same by file, with any warnings, when the package got as far as validation."""

    def __init__(self, errors: list[str], *, problems: list | None = None):
        super().__init__("; ".join(errors))
        self.errors = errors
        self.problems = problems or []


@dataclass(frozen=True)
class ArchiveLimits:
    max_upload_bytes: int
    max_entries: int
    max_compression_ratio: float
    max_inflated_bytes: int

    @classmethod
    def from_settings(cls) -> ArchiveLimits:
        return cls(
            max_upload_bytes=app_settings.H5P_MAX_UPLOAD_BYTES,
            max_entries=app_settings.H5P_MAX_ENTRIES,
            max_compression_ratio=app_settings.H5P_MAX_COMPRESSION_RATIO,
            max_inflated_bytes=app_settings.H5P_MAX_INFLATED_BYTES,
        )


@dataclass
class ArchiveReport:
    errors: list[str] = field(default_factory=list)


def _path_problem(name: str) -> str | None:
    if "\\" in name:
        return f"«{name}» bruker omvendt skråstrek i filstien."
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return f"«{name}» har en absolutt filsti."
    if any(part == ".." for part in PurePosixPath(name).parts):
        return f"«{name}» peker ut av pakken (../)."
    if "\x00" in name:
        return f"«{name!r}» har et ugyldig tegn i filnavnet."
    return None


def check_archive(upload: BinaryIO, *, size: int, limits: ArchiveLimits | None = None) -> ArchiveReport:
    """Check an uploaded archive; `report.errors` is empty when it is safe to read further."""
    limits = limits or ArchiveLimits.from_settings()
    report = ArchiveReport()
    if size > limits.max_upload_bytes:
        report.errors.append(
            f"Pakken er for stor ({size // 1_000_000} MB). Største tillatte størrelse er "
            f"{limits.max_upload_bytes // 1_000_000} MB."
        )
        return report
    try:
        upload.seek(0)
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        report.errors.append("Filen er ikke en gyldig H5P-pakke (den kan ikke åpnes som ZIP-arkiv).")
        return report
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_entries:
            report.errors.append(f"Pakken har {len(infos)} filer; grensen er {limits.max_entries}.")
            return report
        declared_total = 0
        for info in infos:
            problem = _path_problem(info.filename)
            if problem is None and stat.S_ISLNK(info.external_attr >> 16):
                problem = f"«{info.filename}» er en symbolsk lenke, og det er ikke tillatt."
            if (
                problem is None
                and info.compress_size
                and info.file_size / info.compress_size > limits.max_compression_ratio
            ):
                problem = _too_dense(info.filename)
            if problem:
                report.errors.append(problem)
            declared_total += info.file_size
        if declared_total > limits.max_inflated_bytes:
            report.errors.append(TOO_LARGE_INFLATED)
    return report


TOO_LARGE_INFLATED = "Pakken blir for stor når den pakkes ut (mulig ZIP-bombe)."
CORRUPT = "Pakken er skadet og kan ikke pakkes ut."
#: What zipfile and zlib raise for a member that cannot be inflated: a bad CRC or header
#: (BadZipFile), a broken deflate stream (zlib.error), a truncated member (EOFError), an
#: unsupported compression method (NotImplementedError), an encrypted member (RuntimeError).
INFLATE_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)
#: Members are inflated this much at a time: memory use does not grow with a member's size.
CHUNK_BYTES = 1024 * 1024


def _too_dense(name: str) -> str:
    return f"«{name}» er pakket mistenkelig tett (mulig ZIP-bombe)."


class InflationBudget:
    """Counts the bytes actually inflated across a package, member by member; the headers may lie.

    A member is read in chunks of CHUNK_BYTES; as soon as the package's total passes
    max_inflated_bytes, or a member inflates to more than max_compression_ratio times its
    compressed size, the package is rejected (H5PPackageRejected), before the next chunk.
    """

    def __init__(self, limits: ArchiveLimits | None = None):
        self.limits = limits or ArchiveLimits.from_settings()
        self.left = self.limits.max_inflated_bytes

    def open(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> BudgetedMember:
        try:
            stream = archive.open(info)
        except INFLATE_ERRORS:
            raise H5PPackageRejected([CORRUPT]) from None
        return BudgetedMember(self, stream, info)

    def read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, cap: int | None = None) -> bytes:
        """Inflate one (small) member whole, in chunks; more than `cap` bytes rejects the package."""
        parts = []
        total = 0
        with self.open(archive, info) as member:
            while chunk := member.read(CHUNK_BYTES):
                total += len(chunk)
                if cap is not None and total > cap:
                    raise H5PPackageRejected(
                        [
                            f"«{info.filename}» er for stor; en JSON-fil i pakken kan være høyst "
                            f"{cap // 1_000_000} MB."
                        ]
                    )
                parts.append(chunk)
        return b"".join(parts)


class BudgetedMember:
    """A readable member whose every chunk is counted against the budget; reading to its end
    makes zipfile verify the CRC."""

    def __init__(self, budget: InflationBudget, stream, info: zipfile.ZipInfo):
        self.budget, self.stream, self.info = budget, stream, info
        self.inflated = 0
        self.most = max(info.compress_size, 1) * budget.limits.max_compression_ratio

    def read(self, size: int = CHUNK_BYTES) -> bytes:
        """Up to `size` bytes, fewer only at the end: a reader such as the S3 uploader takes a short
        read for the end of the file. Never the whole member at once: no size means one chunk."""
        if size is None or size < 0:
            size = CHUNK_BYTES
        parts = []
        while size > 0 and (chunk := self._read_chunk(min(size, CHUNK_BYTES))):
            parts.append(chunk)
            size -= len(chunk)
        return b"".join(parts)

    def _read_chunk(self, size: int) -> bytes:
        try:
            chunk = self.stream.read(size)
        except INFLATE_ERRORS:
            raise H5PPackageRejected([CORRUPT]) from None
        self.inflated += len(chunk)
        self.budget.left -= len(chunk)
        if self.budget.left < 0:
            raise H5PPackageRejected([TOO_LARGE_INFLATED])
        if self.inflated > self.most:
            raise H5PPackageRejected([_too_dense(self.info.filename)])
        return chunk

    def close(self) -> None:
        self.stream.close()

    @property
    def closed(self) -> bool:
        return self.stream.closed

    def seekable(self) -> bool:
        return False  # read once, front to back: storages must not rewind it

    def __enter__(self) -> BudgetedMember:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
