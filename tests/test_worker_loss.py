"""A worker's pool process killed mid-task loses no work and does none of it twice.

A real Celery worker (prefork, one pool process) runs against real Redis and this test's
PostgreSQL database, with the settings in tests/worker_loss/settings.py. Each test arms a barrier
(tests/worker_loss/hooks.py) so the task stops at a known point, SIGKILLs the pool process there
(not the worker), and checks that the message came back at once (CELERY_TASK_ACKS_LATE with
CELERY_TASK_REJECT_ON_WORKER_LOST: the visibility timeout is 30 minutes, so nothing else could
bring it back within the test's bounds) and that the work was done exactly once: one PDF and one
e-mail, one extraction with every file once, one reminder per learner.

The broker is TEST_CELERY_BROKER_URL (default redis://127.0.0.1:6379/7); its database is emptied.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from unittest import mock

import pytest
from celery import Celery
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from tests.markers import requires_postgresql

BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")
ROOT = Path(__file__).resolve().parent.parent
START_SECONDS = 60  # a worker importing Django and Wagtail on a busy machine
STEP_SECONDS = 30  # each task reaching its barrier, and finishing after the kill

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]


def wait_for(condition, *, seconds: float, what: str, worker=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if worker is not None and worker.process.poll() is not None:
            pytest.fail(f"the worker exited while waiting for {what}:\n{worker.log()}")
        time.sleep(0.1)
    pytest.fail(f"timed out after {seconds} s waiting for {what}" + (f":\n{worker.log()}" if worker else ""))


class Worker:
    def __init__(self, folder: Path, database: str):
        self.folder = folder
        self.log_path = folder / "worker.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_loss.settings",
            "CELERY_BROKER_URL": BROKER_URL,
            "DATABASE_URL": database,
            "PRIVATE_MEDIA_ROOT": str(folder / "private-media"),
            "MEDIA_ROOT": str(folder / "media"),
            "WORKER_LOSS_DIR": str(folder),
            "PYTHONPATH": str(ROOT),
        }
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "prefork",
                "--concurrency", "1", "--loglevel", "info", "--hostname", f"loss{os.getpid()}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log_path.open("wb"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.sender = Celery(broker=BROKER_URL)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]

    def ready(self) -> bool:
        return "ready." in self.log()

    def send(self, name: str, *args) -> None:
        self.sender.send_task(name, args=args)

    def stop(self) -> None:
        self.sender.close()
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    import redis

    client = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REQUIRE_POSTGRESQL"):  # CI starts Redis: a missing one is an error there
            raise
        pytest.skip(f"trenger Redis på {BROKER_URL} (sett TEST_CELERY_BROKER_URL)")
    client.flushdb()  # no message left over from an earlier run
    with django_db_blocker.unblock():
        database = connection.settings_dict
        url = "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
            **{key: database[key] or "" for key in ("USER", "PASSWORD", "HOST", "PORT", "NAME")}
        )
    folder = tmp_path_factory.mktemp("worker-loss")
    running = Worker(folder, url)
    try:
        wait_for(running.ready, seconds=START_SECONDS, what="the worker to start", worker=running)
        yield running
    finally:
        running.stop()
        client.flushdb()
        client.close()


@pytest.fixture
def shared(worker, settings):
    """This test process and the worker use the same private storage; barriers and mail start empty."""
    settings.PRIVATE_MEDIA_ROOT = worker.folder / "private-media"
    for leftover in [*worker.folder.glob("*.armed"), *worker.folder.glob("*.reached")]:
        leftover.unlink()
    outbox = worker.folder / "mail"
    outbox.mkdir(exist_ok=True)
    for message in outbox.iterdir():
        message.unlink()
    return worker


def kill_at(worker: Worker, point: str, start) -> int:
    """Arm the barrier, start the task, SIGKILL the pool process stopped there; its pid."""
    (worker.folder / f"{point}.armed").touch()
    start()
    reached = worker.folder / f"{point}.reached"
    wait_for(
        lambda: reached.exists() and reached.read_text(), seconds=STEP_SECONDS, what=point, worker=worker
    )
    pid = int(reached.read_text())
    assert pid != worker.process.pid, "the barrier must stop a pool process, not the worker"
    os.kill(pid, signal.SIGKILL)
    return pid


def mails(worker: Worker) -> list:
    return [message_from_bytes(path.read_bytes()) for path in sorted((worker.folder / "mail").glob("*.eml"))]


def test_a_certificate_render_killed_midway_is_rendered_and_announced_once(shared, user, course):
    from certificates.models import Certificate, PdfStatus
    from tests.factories import complete_course, make_certificate_template

    make_certificate_template(course)
    with mock.patch("certificates.services._queue_render"):  # the worker renders it, not this process
        complete_course(user, course)
    certificate = Certificate.objects.get(user=user)
    assert certificate.pdf_status == PdfStatus.PENDING

    killed = kill_at(
        shared,
        "certificate-pdf",
        lambda: shared.send("certificates.tasks.render_certificate_pdf", certificate.pk),
    )

    def rendered():
        certificate.refresh_from_db()
        return certificate.pdf_status == PdfStatus.READY and certificate.learner_notified_at

    wait_for(rendered, seconds=STEP_SECONDS, what="the redelivered render", worker=shared)
    assert f"pid {killed}" in shared.log() or "WorkerLostError" in shared.log()  # the loss was noticed
    # Killed after storing the file and before committing: the second render found it unreferenced.
    assert "Removing the PDF an interrupted render left" in shared.log()
    pdfs = list((shared.folder / "private-media").rglob(f"{certificate.public_id}*.pdf"))
    assert [path.name for path in pdfs] == [f"{certificate.public_id}.pdf"]
    assert pdfs[0].read_bytes().startswith(b"%PDF")
    time.sleep(1)  # a second, wrongly repeated e-mail would arrive about now
    assert [message["To"] for message in mails(shared)] == [user.email]
    assert shared.process.poll() is None  # the worker itself lives on


def test_an_h5p_extraction_killed_midway_is_extracted_once(shared, settings, django_user_model):
    from core.storage import private_storage
    from h5p import tasks
    from h5p.models import H5PStatus
    from h5p.services import h5p_content_create
    from tests.h5p.packages import build, valid_files

    settings.H5P_EXTRACT_INLINE_BYTES = 0  # a "large" package: extracted by the worker
    admin = django_user_model.objects.create_superuser(email="admin@test.example", password="x")
    # Incompressible media (compressed as tightly as repeated bytes, they would look like a ZIP bomb).
    media = {
        f"content/images/bilde-{number}.png": random.Random(number).randbytes(4000) for number in range(8)
    }
    with mock.patch.object(tasks.extract_h5p_content, "delay"):  # sent to the worker below
        content = h5p_content_create(data=build(valid_files(**media)), user=admin, title="Stor pakke")
    assert content.status == H5PStatus.PROCESSING

    kill_at(shared, "h5p-content-file", lambda: shared.send("h5p.tasks.extract_h5p_content", content.pk))

    def extracted():
        content.refresh_from_db()
        return content.status != H5PStatus.PROCESSING

    wait_for(extracted, seconds=STEP_SECONDS, what="the redelivered extraction", worker=shared)
    assert (content.status, content.error) == (H5PStatus.READY, "")
    assert content.attempts == 2  # the killed start and the redelivered one
    root = Path(private_storage.location) / content.content_prefix
    stored = sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
    expected = sorted(["content.json", *(name.removeprefix("content/") for name in media)])
    assert stored == expected  # every file once: none stored beside a half-written one
    for name, payload in media.items():
        assert (root / name.removeprefix("content/")).read_bytes() == payload
    assert private_storage.exists("h5p/libraries/H5P.Test-1.0/test.js")


def test_a_reminder_run_killed_midway_reminds_each_learner_once(shared, catalogue):
    from requirements.models import RequiredLearning
    from requirements.services import assignment_create
    from tests.factories import UserFactory, add_member, make_course, make_unit

    ward = make_unit("Avdeling")
    first, second = UserFactory(), UserFactory()
    today = timezone.localdate()
    course = make_course(catalogue, modules=1, title="Smittevern")
    for person in (first, second):
        add_member(person, ward, joined_at=today)
        assignment_create(by=None, course=course, user=person, due_date=today + timedelta(days=3))

    kill_at(shared, "second-mail", lambda: shared.send("requirements.tasks.send_required_learning_reminders"))

    def reminded():
        return RequiredLearning.objects.filter(due_reminder_sent_at__isnull=True).count() == 0

    wait_for(reminded, seconds=STEP_SECONDS, what="the redelivered reminder run", worker=shared)
    time.sleep(1)  # a repeated reminder would arrive about now
    recipients = sorted(message["To"] for message in mails(shared))
    assert recipients == sorted([first.email, second.email])
    subjects = {str(make_header(decode_header(message["Subject"]))) for message in mails(shared)}
    assert subjects == {"Frist snart: «Smittevern»"}


def test_settings_requeue_on_worker_loss():
    assert django_settings.CELERY_TASK_ACKS_LATE and django_settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert django_settings.CELERY_TASK_SOFT_TIME_LIMIT < django_settings.CELERY_TASK_TIME_LIMIT
    assert visibility > django_settings.CELERY_TASK_TIME_LIMIT + 2 * 60
