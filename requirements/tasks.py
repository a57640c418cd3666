"""Periodic jobs for required learning (scheduled in CELERY_BEAT_SCHEDULE). Safe to run twice."""

from celery import shared_task

from . import reminders


@shared_task
def send_required_learning_reminders() -> int:
    return reminders.learner_reminders_send()


@shared_task
def send_manager_digests() -> int:
    return reminders.manager_digests_send()
