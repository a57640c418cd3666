"""The Celery application.

Start a worker against Redis with:
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 DJANGO_SETTINGS_MODULE=config.settings.production \
        celery -A config worker -l info
Without CELERY_BROKER_URL, settings make every task run eagerly in-process.
"""

import os

from celery import Celery

from core.task_signals import connect_task_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("helsepedagogikk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# The request id follows a request into the tasks it queues; task outcomes are counted; the worker
# logs as the web processes do and serves its metrics on CELERY_METRICS_PORT (core/task_signals.py).
connect_task_signals()
