"""Private storage (certificate PDFs, H5P packages): outside MEDIA_ROOT and never served by URL.

Files are only handed out by views that check who is asking. The location
is read from PRIVATE_MEDIA_ROOT (core.app_settings) on every use, so tests can move it.
"""

import os

from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible

from . import app_settings


@deconstructible(path="core.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    @property
    def base_location(self):
        return app_settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view that checks access.")


private_storage = PrivateStorage()
