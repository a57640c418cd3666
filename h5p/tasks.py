"""Celery tasks of the H5P app. Each takes an id, re-reads the row and is safe to run twice."""

from celery import shared_task

from . import recovery


@shared_task(acks_late=True, reject_on_worker_lost=True)
def extract_h5p_content(content_id: int) -> None:
    """Extract a package too large for the upload request (see h5p.recovery)."""
    recovery.extraction_run(content_id=content_id)


@shared_task
def requeue_stuck_extractions() -> int:
    """Periodic sweep: queue again the packages still «Behandles» (their task was lost)."""
    return recovery.extractions_requeue_stuck()
