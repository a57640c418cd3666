"""Creating H5P content from an upload, and extracting it into storage."""

from __future__ import annotations

import io
import logging
import tempfile
import time
import zipfile
from pathlib import PurePosixPath
from typing import BinaryIO

import pyh5p
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from core.metrics import observe
from core.storage import private_storage

from . import app_settings, metrics
from .archive import CHUNK_BYTES, CORRUPT, H5PPackageRejected, InflationBudget, check_archive
from .models import H5PContent, H5PLibrary, H5PPlayerFailure, H5PResult, H5PStatus
from .package import PackageInspection, inspect_package, library_key
from .validation import PACKAGE, Problem, is_ignored

logger = logging.getLogger(__name__)

# The progress shown in the admin is written at most this often (seconds): one UPDATE per
# file would cost more than writing a small file, and nobody reads progress that fast.
PROGRESS_INTERVAL = 0.5
# Library files up to this size are kept in memory until the libraries are installed; larger
# ones wait in a temporary file on disk.
SPOOL_BYTES = CHUNK_BYTES

__all__ = ["CORRUPT", "H5PPackageRejected", "h5p_content_create", "h5p_content_extract", "h5p_package_check"]


def _source(data: bytes | None, upload: BinaryIO | None) -> tuple[BinaryIO, int]:
    """The package as a seekable binary file and its size, without reading it.

    An upload (Django keeps large ones in a temporary file on disk) is used as it is: the
    package is never read into memory whole; its size comes from the upload, or from seeking."""
    if upload is None:
        if data is None:
            raise TypeError("h5p: pass data or upload")
        return io.BytesIO(data), len(data)
    size = getattr(upload, "size", None)
    if size is None:
        size = upload.seek(0, io.SEEK_END)
    upload.seek(0)
    return upload, size


def h5p_package_check(
    *, user, data: bytes | None = None, upload: BinaryIO | None = None
) -> PackageInspection:
    """All checks an upload must pass; nothing is stored. Raises H5PPackageRejected.

    The size is checked first, from the upload's size, before a byte of it is read."""
    upload, size = _source(data, upload)
    report = check_archive(upload, size=size)
    if report.errors:
        raise H5PPackageRejected(report.errors)
    inspection = inspect_package(upload)
    if not inspection.errors and inspection.new_libraries and not user.is_superuser:
        names = ", ".join(str(lib.id) for lib in inspection.new_libraries)
        message = (
            f"Pakken inneholder biblioteker som ikke er installert ({names}). Bare administratorer "
            "kan legge til biblioteker; be en administrator laste opp pakken første gang."
        )
        inspection.errors.append(message)
        inspection.problems.append(Problem(PACKAGE, message))
    if inspection.errors:
        raise H5PPackageRejected(inspection.errors, problems=inspection.problems)
    return inspection


def h5p_content_create(
    *,
    user,
    data: bytes | None = None,
    upload: BinaryIO | None = None,
    title: str,
    description: str = "",
    licence: str = "",
    source: str = "",
    inspection: PackageInspection | None = None,
):
    """Check the package and extract it: now if it is small, otherwise by a Celery worker,
    which reads the original from private storage.

    The package is `data` (bytes) or `upload` (a seekable binary file, such as Django's
    UploadedFile); an upload is streamed, never read into memory whole.
    `inspection` is h5p_package_check's result for this same package, when the caller (the admin
    form's clean()) has just made it; otherwise the package is checked here."""
    upload, size = _source(data, upload)
    if inspection is None:
        inspection = h5p_package_check(upload=upload, user=user)
    extract_now = size <= app_settings.H5P_EXTRACT_INLINE_BYTES
    with transaction.atomic():
        content = H5PContent(
            title=title,
            description=description,
            licence=licence,
            source=source,
            uploaded_by=user,
            warnings=inspection.warnings,
            h5p_json=inspection.package.metadata,
        )
        if extract_now:
            # Wagtail's reference index records the item's links (uploader, main library) once,
            # when extraction saves it as ready or failed, rather than here and again then.
            with disable_reference_index_auto_update():
                content.save()
        else:
            upload.seek(0)
            content.package.save("pakke.h5p", File(upload), save=False)  # copied in chunks
            content.save()
    if extract_now:  # from the package already checked; a failure here stores nothing
        try:
            # The row and the inspection are already at hand: no need to read them again.
            return _extract_observed(content, upload=upload, inspection=inspection, strict=True)
        except H5PPackageRejected:
            _discard(content)
            raise
    from h5p.tasks import extract_h5p_content

    transaction.on_commit(lambda: extract_h5p_content.delay(content.pk), robust=True)
    return content


class _StreamedFile(File):
    """A file the storage copies in chunks of CHUNK_BYTES (rather than Django's 64 KB)."""

    DEFAULT_CHUNK_SIZE = CHUNK_BYTES


def _spool(member) -> tempfile.SpooledTemporaryFile:
    """A member inflated into a temporary file: in memory while small, on disk once large."""
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed after install
    while chunk := member.read(CHUNK_BYTES):
        spooled.write(chunk)
    spooled.seek(0)
    return spooled


class _Progress:
    """Reports extraction progress (0–90 %) on the content row, at most every PROGRESS_INTERVAL."""

    def __init__(self, content_id: int, *, steps: int):
        self.content_id, self.steps, self.done = content_id, max(steps, 1), 0
        self.last_write = time.monotonic()

    def step(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.last_write >= PROGRESS_INTERVAL:
            H5PContent.objects.filter(pk=self.content_id).update(progress=int(90 * self.done / self.steps))
            self.last_write = now


def _write_files(prefix: str, files: dict, *, replace: bool) -> None:
    """Store files under prefix through the storage API (filesystem now, S3-compatible later).

    A file is bytes (the JSON files pyh5p read) or a spooled temporary file (see _spool)."""
    for name, payload in files.items():
        path = prefix + name
        if replace and private_storage.exists(path):
            private_storage.delete(path)
        if isinstance(payload, bytes | bytearray):
            private_storage.save(path, ContentFile(payload))
        else:
            payload.seek(0)
            private_storage.save(path, _StreamedFile(payload))


def _delete_files(prefix: str, names: list[str]) -> None:
    """Remove files written under prefix, then the folders they were in (deepest first).

    On the filesystem, delete() removes a folder once it is empty; object stores have none."""
    folders = {prefix.rstrip("/")}
    for name in names:
        private_storage.delete(name)
        folder = PurePosixPath(name).parent
        while str(folder).startswith(prefix):
            folders.add(str(folder))
            folder = folder.parent
    for folder in sorted(folders, key=len, reverse=True):
        private_storage.delete(folder)


def _discard(content: H5PContent) -> None:
    """Remove a content item whose package failed while inflating (its files are already gone)."""
    content.delete()


def _install_library(packaged, *, existing: H5PLibrary | None, user) -> H5PLibrary:
    """Store a library version once. An existing version is never replaced by a course holder;
    an administrator's package with a higher patch version upgrades it."""
    lib_id = packaged.id
    if existing is not None:
        if user is not None and user.is_superuser and lib_id.patch > existing.patch_version:
            _write_files(existing.storage_prefix, packaged.files, replace=True)
            existing.patch_version, existing.metadata = lib_id.patch, packaged.metadata
            existing.save(update_fields=["patch_version", "metadata"])
        elif lib_id.patch == existing.patch_version:
            # Only whoever installed the version (or an administrator) may rewrite a file that is
            # there: anyone else's package with a different build of it could swap its scripts.
            may_rewrite = user is not None and (user.is_superuser or existing.installed_by_id == user.pk)
            _complete_library_files(existing.storage_prefix, packaged.files, rewrite_cut_short=may_rewrite)
        return existing
    library = H5PLibrary(
        machine_name=lib_id.machine_name,
        major_version=lib_id.major,
        minor_version=lib_id.minor,
        patch_version=lib_id.patch,
        title=str(packaged.metadata.get("title", ""))[:255],
        metadata=packaged.metadata,
        installed_by=user,
    )
    try:
        with transaction.atomic():
            library.save()
    except IntegrityError:  # installed by a parallel upload meanwhile
        return H5PLibrary.objects.get(
            machine_name=lib_id.machine_name, major_version=lib_id.major, minor_version=lib_id.minor
        )
    _write_files(library.storage_prefix, packaged.files, replace=False)
    return library


def _complete_library_files(prefix: str, files: dict, *, rewrite_cut_short: bool) -> None:
    """Store again the files of an installed library version that are missing or cut short.

    The row is saved before the files are written, so an extraction whose worker died while
    installing a library leaves the row with only some of its files; the redelivered task (or the
    next package using that library) completes them. Files that are whole are not touched; a file
    of another size is rewritten only with `rewrite_cut_short` (the installer's own package)."""
    for name, payload in files.items():
        size = len(payload) if isinstance(payload, bytes | bytearray) else payload.seek(0, io.SEEK_END)
        path = prefix + name
        if not private_storage.exists(path) or (rewrite_cut_short and private_storage.size(path) != size):
            logger.warning("Completing file %s of an installed H5P library", path)
            _write_files(prefix, {name: payload}, replace=True)


def _inflate_and_store_content(
    upload: BinaryIO, package: pyh5p.H5PPackage, content: H5PContent, progress: _Progress, *, replace: bool
) -> None:
    """Inflate every member within the inflation budget, storing the content folder as it goes.

    Members outside content/ (h5p.json, the libraries) are inflated first, each into a spooled
    temporary file (memory while small, disk once large); the libraries are installed afterwards,
    once every member has inflated cleanly. Each file of the content folder is streamed into
    storage as it is inflated, chunk by chunk: neither the package nor any one member is ever
    held in memory whole, and the budget stops a member the moment it overruns. Should a later
    member fail, the files already written are deleted, so a rejected package still leaves
    nothing behind. With `replace` (a retried background task), a file a previous run left is
    overwritten rather than stored beside it under another name.
    """
    budget = InflationBudget()
    libraries_by_folder: dict[str, list] = {}
    for library in package.libraries:
        # H5P allows a library's folder to be named machineName-major.minor or just machineName.
        folder = library.id.directory_name
        if f"{folder}/library.json" not in package.files:
            folder = library.id.machine_name
        libraries_by_folder.setdefault(folder, []).append(library)
    try:
        upload.seek(0)
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise H5PPackageRejected([CORRUPT]) from None
    written: list[str] = []
    with archive:
        # What H5P skips (names starting with «.» or «_») and top-level files other than h5p.json
        # are neither inflated nor stored (h5p.validation has warned about them).
        members = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not is_ignored(info.filename)
            and ("/" in info.filename or info.filename == "h5p.json")
        ]
        for info in members:
            if info.filename.startswith("content/"):
                continue
            folder, slash, rest = info.filename.partition("/")
            targets = libraries_by_folder.get(folder, []) if slash else []
            with budget.open(archive, info) as member:
                if not targets:  # h5p.json and the like: inflated only to check them
                    while member.read(CHUNK_BYTES):
                        pass
                    continue
                payload = _spool(member)
            for library in targets:
                library.files[rest] = payload
        try:
            for info in members:
                if not info.filename.startswith("content/"):
                    continue
                # The uuid folder is new, so save() keeps these names.
                name = content.content_prefix + str(PurePosixPath(info.filename).relative_to("content"))
                if replace and private_storage.exists(name):
                    private_storage.delete(name)
                with budget.open(archive, info) as member:
                    try:
                        written.append(private_storage.save(name, _StreamedFile(member, name=name)))
                    except BaseException:
                        written.append(name)  # the part written before the member failed
                        raise
                progress.step()
        except BaseException:
            try:
                _delete_files(content.content_prefix, [n for n in written if private_storage.exists(n)])
            except Exception:  # the original error is the one to report
                logger.exception("Could not remove the files of H5P content %s", content.pk)
            raise


def h5p_content_extract(*, content_id: int) -> H5PContent:
    """The worker's step: read the stored original, inspect it again and extract it.

    Idempotent: content already extracted is left as it is, and a run after an interrupted one
    overwrites the files that one left."""
    content = H5PContent.objects.select_related("uploaded_by").get(pk=content_id)
    if content.pending_revision is not None:  # a replacement (h5p.replacement): the new package
        live_revision = content.revision
        content.revision = content.pending_revision  # content_prefix is the new revision's folder
        content = _extract_observed(content, replacing=True)
        if content.pending_revision is not None:  # neither switched nor failed (should not happen)
            content.revision = live_revision
        return content
    if content.status == H5PStatus.READY:
        return content
    return _extract_observed(content)


def _extract_observed(content: H5PContent, **options) -> H5PContent:
    """_extract, counted by outcome and timed (h5p.metrics)."""
    with observe(metrics.EXTRACTIONS, metrics.EXTRACTION_SECONDS) as outcome:
        try:
            content = _extract(content, **options)
        except H5PPackageRejected:
            outcome["outcome"] = "rejected"
            raise
        outcome["outcome"] = "ready" if content.status == H5PStatus.READY else "failed"
        return content


def _extract(
    content: H5PContent,
    *,
    upload: BinaryIO | None = None,
    inspection: PackageInspection | None = None,
    strict: bool = False,
    replacing: bool = False,
) -> H5PContent:
    """Write the content folder and any new libraries into storage, reporting progress.

    The worker reads the stored original. An upload small enough to extract
    in the request passes its file and the inspection it has made; with
    strict, a problem found while inflating rejects the upload instead of
    marking the content failed. With replacing (the worker's part of a
    replacement: content.revision is the pending one), the pending package is
    read and the item switches to it only once all of it is stored; a failure
    leaves the current revision as it was (_replacement_failed)."""
    spooled: list = []
    try:
        if upload is None:
            source = content.pending_package if replacing else content.package
            with source.open("rb") as handle:
                return _extract(content, upload=handle, strict=strict, replacing=replacing)
        if inspection is None:
            inspection = inspect_package(upload)
            if inspection.package is None:
                raise H5PPackageRejected(inspection.errors or ["Pakken kan ikke leses."])
        package = inspection.package
        content_files = sum(1 for name in package.files if name.startswith("content/"))
        progress = _Progress(content.pk, steps=content_files + len(package.libraries))
        try:
            _inflate_and_store_content(upload, package, content, progress, replace=not strict)
        finally:
            spooled = [f for lib in package.libraries for f in lib.files.values() if not isinstance(f, bytes)]
        user = content.uploaded_by
        libraries = []
        for packaged in package.libraries:
            # Looked up once, with the inspection's query for every library the package names.
            existing = inspection.stored_libraries.get(library_key(packaged.id))
            libraries.append(_install_library(packaged, existing=existing, user=user))
            progress.step()
        main = next(
            (lib for lib in libraries if lib.machine_name == package.metadata.get("mainLibrary")), None
        )
        if main is None:
            main = H5PLibrary.objects.filter(machine_name=package.metadata.get("mainLibrary")).first()
        if replacing:
            return _switch_to_replacement(content, libraries=libraries, main=main, inspection=inspection)
        # The links and the ready status are written together: content is never ready without them.
        with transaction.atomic():
            # add() rather than set(): new content links no library yet, so set() would only spend
            # a query on finding none to remove (a retried task adds the same links, harmlessly).
            content.libraries.add(*libraries)
            content.main_library = main
            content.status, content.progress, content.error = H5PStatus.READY, 100, ""
            content.save(update_fields=["main_library", "status", "progress", "error"])
    except H5PPackageRejected as rejected:
        if strict:
            raise
        _mark_failed(content, "; ".join(rejected.errors))
    except SoftTimeLimitExceeded:  # the worker's time limit (CELERY_TASK_SOFT_TIME_LIMIT)
        logger.error("Extracting H5P content %s took too long", content.pk)
        _mark_failed(
            content, gettext("Utpakkingen tok for lang tid og ble stoppet. Last opp pakken på nytt.")
        )
    except Exception as error:
        logger.exception("Extracting H5P content %s failed", content.pk)
        _mark_failed(content, str(error)[:2000])
    finally:
        for handle in spooled:
            handle.close()
    return content


def delete_folder(prefix: str) -> None:
    """Remove every file under prefix (a revision's content folder), then its folders."""
    folder = prefix.rstrip("/")
    try:
        directories, files = private_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in files:
        private_storage.delete(f"{folder}/{name}")
    for name in directories:
        delete_folder(f"{folder}/{name}/")
    private_storage.delete(folder)  # the filesystem's empty folder; object stores have none


def delete_folder_quietly(prefix: str) -> None:
    try:
        delete_folder(prefix)
    except Exception:
        logger.exception("Could not remove the H5P content folder %s", prefix)


def _delete_file_quietly(name: str) -> None:
    try:
        private_storage.delete(name)
    except Exception:
        logger.exception("Could not remove the H5P package %s", name)


def _switch_to_replacement(
    content: H5PContent, *, libraries: list[H5PLibrary], main: H5PLibrary | None, inspection
) -> H5PContent:
    """The new package is stored whole: switch the item to it in one transaction (revision, package,
    h5p.json, libraries, and saved state cleared if the content type changed), then remove the old
    revision's folder and package once that commits."""
    with transaction.atomic():
        row = (
            H5PContent.objects.select_for_update(of=("self",))
            .select_related("main_library")
            .get(pk=content.pk)
        )
        if row.pending_revision != content.revision:  # switched or given up meanwhile
            return row
        old_prefix, old_package = row.content_prefix, row.package.name
        before = (row.main_library.machine_name, row.main_library.major_version) if row.main_library else None
        after = (main.machine_name, main.major_version) if main else None
        row.revision, row.pending_revision = content.revision, None
        if before != after:  # results from here on are the new type's (results.result_for_content)
            row.type_revision = row.revision
        row.package, row.pending_package = row.pending_package.name, ""
        row.h5p_json, row.warnings, row.main_library = inspection.package.metadata, inspection.warnings, main
        row.status, row.progress, row.error, row.replacement_error = H5PStatus.READY, 100, "", ""
        row.save()
        row.libraries.set(libraries)
        H5PPlayerFailure.objects.filter(content=row).delete()  # they were the old package's
        if before != after:
            H5PResult.objects.filter(content=row).exclude(state="").update(state="")
        transaction.on_commit(lambda: delete_folder_quietly(old_prefix), robust=True)
        if old_package and old_package != row.package.name:
            transaction.on_commit(lambda: _delete_file_quietly(old_package), robust=True)
    return row


def _replacement_failed(content: H5PContent, error: str) -> None:
    """The new package could not be extracted: the item keeps its current revision, playable as
    before; the new package and whatever of it was stored are removed, and the admin shows why."""
    with transaction.atomic():
        row = H5PContent.objects.select_for_update(of=("self",)).get(pk=content.pk)
        if row.pending_revision is None:
            content.refresh_from_db()
            return
        pending_prefix, pending_package = row.prefix_of(row.pending_revision), row.pending_package.name
        message = gettext(
            "Den nye pakken kunne ikke pakkes ut, så innholdet er ikke erstattet: deltakerne har "
            "fortsatt den forrige versjonen. Årsak: %(error)s"
        ) % {"error": error}
        H5PContent.objects.filter(pk=row.pk).update(
            pending_revision=None, pending_package="", replacement_error=message, progress=100
        )
        transaction.on_commit(lambda: delete_folder_quietly(pending_prefix), robust=True)
        if pending_package:
            transaction.on_commit(lambda: _delete_file_quietly(pending_package), robust=True)
    content.refresh_from_db()


def _mark_failed(content: H5PContent, error: str) -> None:
    """Record why extraction failed; the admin shows the item as failed, with the reason.

    For a replacement in the background the item is not failed: it keeps its current revision."""
    if content.pending_revision is not None:
        _replacement_failed(content, error)
        return
    H5PContent.objects.filter(pk=content.pk).update(status=H5PStatus.FAILED, error=error)
    content.refresh_from_db()
    # update() sends no signal, and content extracted in the request has not been indexed yet.
    with transaction.atomic():
        ReferenceIndex.create_or_update_for_object(content)
