"""Background extraction that survives lost workers and a broker that was down.

A package too large to extract during the upload is extracted by a Celery task
(tasks.extract_h5p_content), which runs `extraction_run`. The message is acknowledged only when
the task has finished and goes back on the queue if the worker process dies
(CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST), so the same package may be started
more than once. Here:

- one extraction of a package runs at a time: a PostgreSQL advisory lock, held for the run and
  released by the server if the worker dies; a second run finds it taken and leaves;
- each start is counted (H5PContent.attempts); content already «Klar» or «Feilet» is left alone,
  and after MAX_ATTEMPTS starts that never finished (a package that kills its worker, say) the
  content is marked failed with a message the course holder sees, instead of looping;
- `extractions_requeue_stuck` (beat, every 5 minutes) queues again what is still «Behandles»
  STUCK_AFTER after it was last queued or started: the broker was down at upload time, or the
  message was lost with its worker.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import timedelta

from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from .models import H5PContent, H5PStatus
from .services import _mark_failed, h5p_content_extract

logger = logging.getLogger(__name__)

# Starts of one package's extraction before it is marked failed.
MAX_ATTEMPTS = 3
# Longer than the task's hard time limit (CELERY_TASK_TIME_LIMIT, 12 minutes), so a package whose
# extraction is running is never taken for stuck.
STUCK_AFTER = timedelta(minutes=15)
# First key of the advisory locks (the second is the content id): "H5" in ASCII.
_LOCK_NAMESPACE = 0x4835


def _interrupted() -> str:
    return gettext(
        "Opplastingen ble avbrutt før pakken var pakket ut, og originalpakken ble ikke lagret. "
        "Last opp pakken på nytt."
    )


def _gave_up() -> str:
    return gettext(
        "Utpakkingen ble avbrutt %(count)s ganger uten å bli ferdig (for eksempel fordi serveren gikk "
        "tom for minne). Last opp pakken på nytt, eller kontakt en administrator hvis det skjer igjen."
    ) % {"count": MAX_ATTEMPTS}


@contextmanager
def _extraction_lock(content_id: int):
    """Yield whether this process may extract the package now (no other run holds its lock).

    A session-level advisory lock: it outlives the transactions inside the extraction, and the
    server drops it when the worker's connection closes, so a killed run never leaves it behind.
    Other databases (SQLite in development, where tasks run in-process) always yield True.
    """
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_NAMESPACE, content_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_NAMESPACE, content_id])
            except DatabaseError:  # the connection is gone, and the lock with it
                logger.warning("Could not release the extraction lock of H5P content %s", content_id)


def _claim(content_id: int) -> bool:
    """Count a start of the extraction; False if there is nothing (more) to do."""
    with transaction.atomic():
        content = H5PContent.objects.select_for_update().filter(pk=content_id).first()
        if content is None or (content.status != H5PStatus.PROCESSING and content.pending_revision is None):
            return False  # deleted, extracted already (a redelivered message), or failed
        if content.attempts >= MAX_ATTEMPTS:
            _mark_failed(content, _gave_up())
            logger.error(
                "H5P content %s: extraction started %s times without finishing", content_id, MAX_ATTEMPTS
            )
            return False
        content.attempts += 1
        content.attempted_at = timezone.now()
        content.save(update_fields=["attempts", "attempted_at"])
    return True


def extraction_run(*, content_id: int) -> bool:
    """The task's body: extract the package unless it is done or failed.

    Returns False, having done nothing, while another run holds the package's lock: the task
    then tries again shortly. That other run may be a killed worker whose database connection the
    server has not yet noticed is gone; once it has, the lock is free."""
    with _extraction_lock(content_id) as acquired:
        if not acquired:
            logger.info("H5P content %s is being extracted by another worker", content_id)
            return False
        if _claim(content_id):
            h5p_content_extract(content_id=content_id)
    return True


def _being_extracted(content_id: int) -> bool:
    with _extraction_lock(content_id) as acquired:
        return not acquired


def _extracting() -> Q:
    """Content a worker should extract: new content «Behandles», or a replacement's new package
    (the item stays «Klar» on its current revision meanwhile; h5p.replacement)."""
    return Q(status=H5PStatus.PROCESSING) | Q(pending_revision__isnull=False)


def extractions_stuck(*, older_than: timedelta = STUCK_AFTER) -> list[int]:
    """Content still «Behandles» this long after it was last queued or started (or uploaded)."""
    cutoff = timezone.now() - older_than
    return list(
        H5PContent.objects.filter(_extracting())
        .filter(Q(attempted_at__lt=cutoff) | Q(attempted_at__isnull=True, created_at__lt=cutoff))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def extractions_requeue_stuck(*, older_than: timedelta = STUCK_AFTER) -> int:
    """Queue the stuck extractions again; returns how many were queued.

    Content with no stored original (its upload was extracted in a request that died) and content
    whose extraction was started MAX_ATTEMPTS times is marked failed instead, with the reason.
    """
    from .tasks import extract_h5p_content

    queued = 0
    for content_id in extractions_stuck(older_than=older_than):
        if _being_extracted(content_id):
            continue
        with transaction.atomic():
            content = (
                H5PContent.objects.select_for_update(skip_locked=True)
                .filter(_extracting(), pk=content_id)
                .first()
            )
            if content is None:
                continue
            if not (content.pending_package if content.pending_revision is not None else content.package):
                _mark_failed(content, _interrupted())
            elif content.attempts >= MAX_ATTEMPTS:
                _mark_failed(content, _gave_up())
            else:
                # Not counted as an attempt: a broker that is down is not the package's fault.
                content.attempted_at = timezone.now()
                content.save(update_fields=["attempted_at"])
                transaction.on_commit(lambda pk=content.pk: extract_h5p_content.delay(pk), robust=True)
                queued += 1
    return queued
