"""Test-only hooks for the worker-loss test, loaded by its worker's settings (settings.py).

Each pool process (worker_process_init) wraps three functions with a barrier. A barrier stops
the task only when the test has armed it (a file `<point>.armed` in WORKER_LOSS_DIR) and only
the first time it is reached: that process writes its id to `<point>.reached` and waits there
until the test kills it. The redelivered task finds `<point>.reached` and runs through.

    certificate-pdf     after a certificate's PDF file is stored, before its transaction (holding
                        the row lock) commits
    h5p-content-file    after the first file of an H5P content folder is stored
    second-mail         before a second e-mail is delivered (the first one is delivered)
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from celery.signals import task_prerun, worker_process_init
from django.core.mail.backends.base import BaseEmailBackend

# The test kills the process well within this; if it does not, the task fails loudly.
WAIT_SECONDS = 60


def _dir() -> Path:
    return Path(os.environ["WORKER_LOSS_DIR"])


def barrier(point: str) -> None:
    folder = _dir()
    if not (folder / f"{point}.armed").exists():
        return
    temporary = folder / f"{point}.{os.getpid()}.tmp"
    temporary.write_text(str(os.getpid()))
    try:
        os.link(temporary, folder / f"{point}.reached")  # fails if it exists: reached before
    except FileExistsError:
        return
    finally:
        temporary.unlink()
    time.sleep(WAIT_SECONDS)
    raise RuntimeError(f"worker-loss test: the process stopped at {point} was not killed")


class OneFilePerMessageBackend(BaseEmailBackend):
    """Writes each message to its own file in WORKER_LOSS_DIR/mail (renamed into place whole)."""

    def send_messages(self, email_messages):
        outbox = _dir() / "mail"
        outbox.mkdir(exist_ok=True)
        for message in email_messages:
            if any(outbox.iterdir()):
                barrier("second-mail")
            name = uuid.uuid4().hex
            (outbox / f"{name}.tmp").write_bytes(message.message().as_bytes())
            (outbox / f"{name}.tmp").rename(outbox / f"{name}.eml")
        return len(email_messages)


@worker_process_init.connect
def _install_barriers(**kwargs) -> None:
    from core.storage import PrivateStorage

    save = PrivateStorage.save

    def save_then_wait(self, name, content, *args, **kwargs):
        stored = save(self, name, content, *args, **kwargs)
        if stored.startswith("h5p/content/"):
            barrier("h5p-content-file")
        elif stored.startswith("kursbevis/"):
            barrier("certificate-pdf")
        return stored

    PrivateStorage.save = save_then_wait


@task_prerun.connect
def _forget_content_types(**kwargs) -> None:
    """The test database is flushed between tests, which makes new content type ids: a worker
    process that lives across tests must not use the ids it cached before."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
