"""The Celery application.

Start a worker against Redis with:
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 DJANGO_SETTINGS_MODULE=config.settings.production \
        celery -A config worker -l info
Without CELERY_BROKER_URL, settings make every task run eagerly in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("helsepedagogikk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
