"""Settings for the real Celery worker that tests/test_worker_loss.py starts and kills.

The test settings, with a real broker (CELERY_BROKER_URL) and the pytest test database
(DATABASE_URL, set by the test), e-mail written to files the test counts, and the barrier
hooks (hooks.py) that make a task stop at a known point until the test kills its process.
"""

import os

from config.settings.test import *  # noqa: F403

CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "tests.worker_loss.hooks.OneFilePerMessageBackend"

from tests.worker_loss import hooks  # noqa: E402, F401 - connects the worker_process_init receiver
