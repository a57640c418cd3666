"""Creating H5P content from an upload, and extracting it into storage."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import PurePosixPath

import pyh5p
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from content.storage import private_storage

from .archive import TOO_LARGE_INFLATED, check_archive
from .models import H5PContent, H5PLibrary, H5PStatus
from .package import PackageInspection, inspect_package

logger = logging.getLogger(__name__)


class H5PPackageRejected(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def h5p_package_check(*, data: bytes, user) -> PackageInspection:
    """All checks an upload must pass; nothing is stored. Raises H5PPackageRejected."""
    import io

    report = check_archive(io.BytesIO(data), size=len(data))
    if report.errors:
        raise H5PPackageRejected(report.errors)
    inspection = inspect_package(data)
    if not inspection.errors and inspection.new_libraries and not user.is_superuser:
        names = ", ".join(str(lib.id) for lib in inspection.new_libraries)
        inspection.errors.append(
            f"Pakken inneholder biblioteker som ikke er installert ({names}). Bare administratorer "
            "kan legge til biblioteker; be en administrator laste opp pakken første gang."
        )
    if inspection.errors:
        raise H5PPackageRejected(inspection.errors)
    return inspection


def h5p_content_create(
    *, data: bytes, user, title: str, description: str = "", licence: str = "", source: str = ""
):
    """Check the package and extract it: now if it is small, otherwise by a Celery worker,
    which reads the original from private storage."""
    inspection = h5p_package_check(data=data, user=user)
    extract_now = len(data) <= settings.H5P_EXTRACT_INLINE_BYTES
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
        if not extract_now:
            content.package.save("pakke.h5p", ContentFile(data), save=False)
        content.save()
    if extract_now:  # from the bytes already checked; a failure here stores nothing
        try:
            return h5p_content_extract(
                content_id=content.pk, data=data, package=inspection.package, strict=True
            )
        except H5PPackageRejected:
            _discard(content)
            raise
    from content.tasks import extract_h5p_content

    transaction.on_commit(lambda: extract_h5p_content.delay(content.pk), robust=True)
    return content


class _InflationBudget:
    """Counts the bytes actually inflated across a package; the headers may lie."""

    def __init__(self, limit: int):
        self.left = limit

    def read(self, member) -> bytes:
        payload = member.read(self.left + 1)
        self.left -= len(payload)
        if self.left < 0:
            raise H5PPackageRejected([TOO_LARGE_INFLATED])
        return payload


class _WholeFile(ContentFile):
    """An in-memory file the storage writes in one piece rather than in 64 KB chunks."""

    DEFAULT_CHUNK_SIZE = 16 * 1024 * 1024


def _write_files(prefix: str, files: dict[str, bytes], *, replace: bool) -> None:
    """Store files under prefix through the storage API (filesystem now, S3-compatible later)."""
    for name, payload in files.items():
        path = prefix + name
        if replace and private_storage.exists(path):
            private_storage.delete(path)
        private_storage.save(path, _WholeFile(payload))


def _discard(content: H5PContent) -> None:
    """Remove a content item whose package failed while inflating (before any file was written)."""
    content.delete()


def _install_library(packaged, *, user) -> H5PLibrary:
    """Store a library version once. An existing version is never replaced by a course holder;
    an administrator's package with a higher patch version upgrades it."""
    lib_id = packaged.id
    existing = H5PLibrary.objects.filter(
        machine_name=lib_id.machine_name, major_version=lib_id.major, minor_version=lib_id.minor
    ).first()
    if existing is not None:
        if user is not None and user.is_superuser and lib_id.patch > existing.patch_version:
            _write_files(existing.storage_prefix, packaged.files, replace=True)
            existing.patch_version, existing.metadata = lib_id.patch, packaged.metadata
            existing.save(update_fields=["patch_version", "metadata"])
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


def _inflate(data: bytes, package: pyh5p.H5PPackage) -> None:
    """Fill in the package's file payloads from the archive, within the inflation budget."""
    budget = _InflationBudget(settings.H5P_MAX_INFLATED_BYTES)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                with archive.open(info) as member:
                    payload = budget.read(member)
                package.files[info.filename] = payload
                top = info.filename.split("/", 1)
                for library in package.libraries:
                    if len(top) == 2 and top[0] == library.id.directory_name:
                        library.files[top[1]] = payload
    except (zipfile.BadZipFile, OSError, EOFError):
        raise H5PPackageRejected(["Pakken er skadet og kan ikke pakkes ut."]) from None


def h5p_content_extract(
    *,
    content_id: int,
    data: bytes | None = None,
    package: pyh5p.H5PPackage | None = None,
    strict: bool = False,
) -> H5PContent:
    """Write the content folder and any new libraries into storage, reporting progress.

    The worker reads the stored original. An upload small enough to extract
    in the request passes its bytes and the package it has inspected; with
    strict, a problem found while inflating rejects the upload instead of
    marking the content failed."""
    content = H5PContent.objects.select_related("uploaded_by").get(pk=content_id)
    try:
        if data is None:
            with content.package.open("rb") as handle:
                data = handle.read()
        if package is None:
            package = inspect_package(data).package
            if package is None:
                raise H5PPackageRejected(["Pakken kan ikke leses."])
        _inflate(data, package)
        user = content.uploaded_by
        content_files = {
            str(PurePosixPath(name).relative_to("content")): payload
            for name, payload in package.files.items()
            if name.startswith("content/")
        }
        steps = len(content_files) + len(package.libraries)
        libraries = []
        for done, packaged in enumerate(package.libraries, start=1):
            libraries.append(_install_library(packaged, user=user))
            H5PContent.objects.filter(pk=content.pk).update(progress=int(90 * done / steps))
        _write_files(content.content_prefix, content_files, replace=False)  # a fresh uuid folder
        main = next(
            (lib for lib in libraries if lib.machine_name == package.metadata.get("mainLibrary")), None
        )
        if main is None:
            main = H5PLibrary.objects.filter(machine_name=package.metadata.get("mainLibrary")).first()
        content.libraries.set(libraries)
        content.main_library = main
        content.status, content.progress, content.error = H5PStatus.READY, 100, ""
        content.save(update_fields=["main_library", "status", "progress", "error"])
    except H5PPackageRejected as rejected:
        if strict:
            raise
        H5PContent.objects.filter(pk=content_id).update(
            status=H5PStatus.FAILED, error="; ".join(rejected.errors)
        )
        content.refresh_from_db()
    except Exception as error:
        logger.exception("Extracting H5P content %s failed", content_id)
        H5PContent.objects.filter(pk=content_id).update(status=H5PStatus.FAILED, error=str(error)[:2000])
        content.refresh_from_db()
    return content
