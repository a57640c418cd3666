"""A large export built by a task: an XLSX file cannot be streamed before it is finished, so above
a size the manager gets a page to come back to and a download link when the file is ready."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.exports import BuiltFileMixin
from core.storage import private_storage


def report_export_path(export: "ReportExport", filename: str) -> str:
    return f"rapporter/eksport/{export.public_id}.{export.file_format}"


class ReportExport(BuiltFileMixin, models.Model):
    """One manager's export of what the dashboard's filter showed, written to private storage.

    Only the manager who asked may see or download it, until `expires_at`; a periodic task
    deletes it after that. The filters are kept as the ids the dashboard's form took, and the
    task applies them again within the manager's scope as it is when the file is built.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("I kø")
        RUNNING = "running", _("Lages")
        READY = "ready", _("Klar")
        FAILED = "failed", _("Feilet")

    ACTIVE = (Status.PENDING, Status.RUNNING)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_exports"
    )
    file_format = models.CharField(max_length=4)
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    rows = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=private_storage, upload_to=report_export_path, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rapporteksport")
        verbose_name_plural = _("rapporteksporter")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.requested_by_id} {self.file_format} {self.requested_at:%Y-%m-%d %H:%M}"
