"""Private storage (certificate PDFs, H5P packages and their files, «Mine data» exports): never served by URL.

Files are only handed out by views that check who is asking. The apps' FileFields use
`private_storage`, which hands every call to the "private" entry of settings.STORAGES, looked up on
each use (Django resets its storages when STORAGES changes, so tests and sites can swap the
backend). The fields deconstruct to `core.storage.PrivateStorage()` whatever the backend, so
switching to object storage needs no migration. A site without a "private" entry gets
PrivateFileSystemStorage under PRIVATE_MEDIA_ROOT, as before named storages existed.
"""

import os

from django.core.files.storage import FileSystemStorage, InvalidStorageError, Storage, storages
from django.utils.deconstruct import deconstructible

from . import app_settings

PRIVATE_ALIAS = "private"


@deconstructible(path="core.storage.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """The filesystem backend for private files: PRIVATE_MEDIA_ROOT, read on every use (so tests can
    move it), and no URL."""

    @property
    def base_location(self):
        return app_settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view that checks access.")


_fallback = PrivateFileSystemStorage()


def private_backend() -> Storage:
    """The configured private storage (settings.STORAGES["private"]), or the filesystem one."""
    try:
        return storages[PRIVATE_ALIAS]
    except InvalidStorageError:
        return _fallback


@deconstructible(path="core.storage.PrivateStorage")
class PrivateStorage(Storage):
    """Stands for the private backend; every call goes to private_backend(). Only url() is refused,
    whatever the backend: a signed or public address would bypass the views' access checks."""

    @property
    def backend(self) -> Storage:
        return private_backend()

    def open(self, name, mode="rb"):
        return self.backend.open(name, mode)

    def save(self, name, content, max_length=None):
        return self.backend.save(name, content, max_length=max_length)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_alternative_name(self, file_root, file_ext):
        return self.backend.get_alternative_name(file_root, file_ext)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def path(self, name):
        return self.backend.path(name)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view that checks access.")

    def get_accessed_time(self, name):
        return self.backend.get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend.get_created_time(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)

    def __getattr__(self, name):
        # Backend-specific attributes (a filesystem's `location`, a bucket's `bucket_name`).
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.backend, name)


private_storage = PrivateStorage()
