"""Celery tasks for reports: each takes an id (or nothing), re-reads and is safe to run twice."""

from celery import shared_task

from . import exports


@shared_task(acks_late=True)
def build_report_export(export_id: int) -> None:
    exports.report_export_build(export_id=export_id)


@shared_task
def delete_expired_report_exports() -> int:
    return exports.report_exports_delete_expired()
