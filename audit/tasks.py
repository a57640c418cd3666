"""Celery tasks for the audit log. Safe to run twice: the purge deletes what is past retention."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def purge_expired_entries() -> int:
    return services.audit_purge_expired()
