"""Celery tasks for certificates. Each takes an id, re-reads the row and is safe to run twice."""

from celery import shared_task

from . import services

MAX_RENDER_RETRIES = 3


def _render_with_retries(task, certificate_id: int, *, force: bool) -> None:
    try:
        services.certificate_render(certificate_id=certificate_id, force=force)
    except Exception as error:
        if task.request.retries >= MAX_RENDER_RETRIES:
            services.certificate_render_failed(certificate_id=certificate_id, error=repr(error))
            return
        # Exponential backoff: 30 s, 60 s, 120 s.
        raise task.retry(exc=error, countdown=30 * 2**task.request.retries) from error


# A render takes about a second; these limits only stop one that hangs (a template's image URL
# that never answers, say). Both stay below CELERY_TASK_TIME_LIMIT and the visibility timeout.
RENDER_LIMITS = {"soft_time_limit": 2 * 60, "time_limit": 3 * 60}


@shared_task(
    bind=True, max_retries=MAX_RENDER_RETRIES, acks_late=True, reject_on_worker_lost=True, **RENDER_LIMITS
)
def render_certificate_pdf(self, certificate_id: int) -> None:
    _render_with_retries(self, certificate_id, force=False)


@shared_task(
    bind=True, max_retries=MAX_RENDER_RETRIES, acks_late=True, reject_on_worker_lost=True, **RENDER_LIMITS
)
def rerender_certificate_pdf(self, certificate_id: int) -> None:
    _render_with_retries(self, certificate_id, force=True)


@shared_task
def render_missing_pdfs() -> int:
    """Periodic sweep: queue every certificate that still has no PDF (its task was lost)."""
    ids = services.certificates_missing_pdf()
    for certificate_id in ids:
        render_certificate_pdf.delay(certificate_id)
    return len(ids)


@shared_task
def send_expiry_reminders() -> int:
    return services.expiry_reminders_send()
