"""Celery tasks for required learning. Each is safe to run twice.

The periodic ones are scheduled in CELERY_BEAT_SCHEDULE; sync_required_learning is queued on
commit by sync.sync_job_start, with the id of the job it runs.
"""

from celery import shared_task

from . import reminders, sync

MAX_SYNC_RETRIES = 3


@shared_task
def send_required_learning_reminders() -> int:
    return reminders.learner_reminders_send()


@shared_task
def send_manager_digests() -> int:
    return reminders.manager_digests_send()


@shared_task(bind=True, max_retries=MAX_SYNC_RETRIES, acks_late=True)
def sync_required_learning(self, job_id: int) -> None:
    """Re-check the required learning of everyone in a SyncJob (a unit moved, an import, …)."""
    try:
        sync.sync_job_run(job_id=job_id)
    except Exception as error:
        # Run in-process (no broker): a retry would only raise, so the job shows as failed at once.
        if self.request.retries >= MAX_SYNC_RETRIES or self.request.is_eager:
            sync.sync_job_failed(job_id=job_id, error=repr(error))
            return
        # A deadlock or a lost connection usually passes: 30 s, 60 s, 120 s.
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


@shared_task
def requeue_stalled_sync_jobs() -> int:
    """Queue again the jobs whose task never arrived (the broker was down when they were made)."""
    ids = sync.sync_jobs_stalled()
    for job_id in ids:
        sync.sync_job_restart(job_id=job_id)
    return len(ids)
