"""Celery tasks for people. Each takes an id (or nothing), re-reads and is safe to run twice."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def build_data_export(export_id: int) -> None:
    services.data_export_build(export_id=export_id)


@shared_task
def delete_expired_data_exports() -> int:
    return services.data_exports_delete_expired()


@shared_task
def process_inactive_accounts() -> tuple[int, int]:
    return services.inactive_accounts_process()
