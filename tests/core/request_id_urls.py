"""A view that logs and queues a task that logs, for tests/core/test_logging.py."""

import logging

from celery import shared_task
from django.http import HttpResponse, HttpResponseNotFound
from django.urls import path

logger = logging.getLogger("tests.core.request_id")


@shared_task(name="tests.core.log_from_task")
def log_from_task(word: str) -> None:
    logger.warning("task says %s", word)


def log_and_queue(request):
    logger.warning("view says hello")
    log_from_task.delay("hello")
    return HttpResponse("ok")


def not_found(request):
    return HttpResponseNotFound("finnes ikke")


urlpatterns = [
    path("logg/", log_and_queue, name="log_and_queue"),
    path("borte/", not_found, name="not_found"),
]
