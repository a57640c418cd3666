"""Celery tasks of the H5P app. Each takes an id and re-reads the row."""

from celery import shared_task

from .services import h5p_content_extract


@shared_task(acks_late=True)
def extract_h5p_content(content_id: int) -> None:
    h5p_content_extract(content_id=content_id)
