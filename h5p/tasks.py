"""Celery tasks of the H5P app. Each takes an id, re-reads the row and is safe to run twice."""

from celery import shared_task

from . import recovery

# Tries while another run holds the package's lock (5, 10, 20, 40, 80 s apart); after that the
# sweep (requeue_stuck_extractions) takes over.
MAX_LOCK_RETRIES = 5


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=MAX_LOCK_RETRIES)
def extract_h5p_content(self, content_id: int) -> None:
    """Extract a package too large for the upload request (see h5p.recovery)."""
    if recovery.extraction_run(content_id=content_id) or self.request.is_eager:
        return
    if self.request.retries < MAX_LOCK_RETRIES:
        raise self.retry(countdown=5 * 2**self.request.retries)


@shared_task
def requeue_stuck_extractions() -> int:
    """Periodic sweep: queue again the packages still «Behandles» (their task was lost)."""
    return recovery.extractions_requeue_stuck()
