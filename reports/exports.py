"""Exports of the dashboard's rows: CSV streams from the request; XLSX is built in the request when
small and by a Celery task above XLSX_INLINE_MAX_ROWS, since a workbook (a zip archive) cannot be
sent before it is finished: a large one would hold a web worker past the server's timeout.
"""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from core.exports import xlsx_write

from . import selectors
from .forms import DashboardFilterForm
from .models import ReportExport

logger = logging.getLogger(__name__)


def xlsx_inline_max_rows() -> int:
    """Up to this many rows an XLSX export is built while the manager waits (about a second per
    10,000 rows here); above it, by a task."""
    return getattr(settings, "REPORTS_XLSX_INLINE_MAX_ROWS", 10_000)


def export_hours() -> int:
    """How long a finished export can be downloaded before the periodic clean-up deletes it."""
    return getattr(settings, "REPORTS_EXPORT_EXPIRY_HOURS", 24)


def filter_params(form: DashboardFilterForm, query) -> dict[str, str]:
    """The filters as the dashboard's form took them (ids and keys), to apply again later."""
    return {key: query[key] for key in form.fields if query.get(key)}


def report_export_request(*, viewer, file_format: str, filters: dict[str, str]) -> ReportExport:
    """Queue an export of what `filters` show within the viewer's scope; the task builds it."""
    with transaction.atomic():
        export = ReportExport.objects.create(requested_by=viewer, file_format=file_format, filters=filters)
        transaction.on_commit(lambda: _queue_build(export.pk), robust=True)
    return export


def _queue_build(export_id: int) -> None:
    from .tasks import build_report_export

    build_report_export.delay(export_id)


def report_export_build(*, export_id: int) -> ReportExport | None:
    """Write the workbook to private storage. Safe to run twice: only a pending export is claimed.

    The scope and filters are applied as they are now, for the manager who asked, so someone who
    has lost their manager role since gets an empty file, not their old staff's records."""
    claimed = ReportExport.objects.filter(pk=export_id, status=ReportExport.Status.PENDING).update(
        status=ReportExport.Status.RUNNING
    )
    export = ReportExport.objects.select_related("requested_by").filter(pk=export_id).first()
    if export is None or not claimed:
        return export  # gone, or built (or being built) by another run
    try:
        viewer = export.requested_by
        form = DashboardFilterForm(export.filters or None, viewer=viewer)
        header, rows = selectors.export_table(viewer=viewer, filters=form.filters())
        with tempfile.TemporaryFile() as handle:
            count = xlsx_write(handle, header=header, rows=rows)
            handle.seek(0)
            export.file.save(f"{export.public_id}.xlsx", File(handle), save=False)
    except Exception:
        logger.exception("Report export %s failed", export_id)
        ReportExport.objects.filter(pk=export_id).update(status=ReportExport.Status.FAILED)
        raise
    now = timezone.now()
    export.status, export.rows, export.finished_at = ReportExport.Status.READY, count, now
    export.expires_at = now + timedelta(hours=export_hours())
    export.save(update_fields=["status", "rows", "file", "finished_at", "expires_at"])
    return export


def report_exports_stuck(*, older_than: timedelta) -> list[int]:
    """Exports still queued or being built long after they were asked for (broker down, worker lost):
    for `manage.py stuck_work`. The claim marks an export «Lages» before it is built, so a worker
    that died while building leaves it so until the nightly clean-up; the manager can ask again."""
    return list(
        ReportExport.objects.filter(
            status__in=ReportExport.ACTIVE, requested_at__lte=timezone.now() - older_than
        ).values_list("pk", flat=True)
    )


def report_exports_delete_expired(*, now=None) -> int:
    """Delete exports past their expiry, and those whose task never finished within a day."""
    now = now or timezone.now()
    stale = ReportExport.objects.filter(expires_at__lte=now) | ReportExport.objects.filter(
        expires_at__isnull=True, requested_at__lte=now - timedelta(days=1)
    )
    count = 0
    for export in stale:
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count
