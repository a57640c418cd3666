"""Background extraction is never lost: a broker down at upload, a redelivered message, a package
that never finishes, an upload whose request died. (The worker killed mid-task: tests/test_worker_loss.py.)"""

from datetime import timedelta
from unittest import mock

import pytest
from celery.exceptions import Retry, SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.db import connections
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.storage import private_storage
from h5p import recovery, tasks
from h5p.models import H5PContent, H5PStatus
from h5p.services import h5p_content_create
from tests.concurrency import run_concurrently
from tests.h5p.packages import build, valid_files
from tests.markers import requires_postgresql

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser(email="admin@test.example", password="x")


@pytest.fixture
def background(settings):
    """Every package goes to the worker, as one over H5P_EXTRACT_INLINE_BYTES does."""
    settings.H5P_EXTRACT_INLINE_BYTES = 0


def upload_with_broker_down(admin, capture):
    with (
        mock.patch.object(tasks.extract_h5p_content, "delay", side_effect=OperationalError("broker nede")),
        capture(execute=True),
    ):
        content = h5p_content_create(data=build(valid_files()), user=admin, title="Stor pakke")
    content.refresh_from_db()
    return content


def age(content, minutes: int) -> None:
    """Make the content look last queued (or uploaded) this many minutes ago."""
    then = timezone.now() - timedelta(minutes=minutes)
    H5PContent.objects.filter(pk=content.pk).update(created_at=then, attempted_at=None)


def test_upload_succeeds_with_the_broker_down_and_the_sweep_extracts_it(
    admin, background, django_capture_on_commit_callbacks
):
    content = upload_with_broker_down(admin, django_capture_on_commit_callbacks)
    assert content.status == H5PStatus.PROCESSING
    assert content.package and private_storage.exists(content.package.name)

    # Fresh uploads are left alone: their task may still be on its way.
    assert recovery.extractions_requeue_stuck() == 0
    age(content, 20)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.requeue_stuck_extractions() == 1

    content.refresh_from_db()
    assert content.status == H5PStatus.READY
    assert content.attempts == 1
    assert private_storage.exists(f"{content.content_prefix}content.json")


def test_the_sweep_does_not_queue_the_same_package_on_every_run(
    admin, background, django_capture_on_commit_callbacks
):
    content = upload_with_broker_down(admin, django_capture_on_commit_callbacks)
    age(content, 20)
    with (
        mock.patch.object(tasks.extract_h5p_content, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert recovery.extractions_requeue_stuck() == 1
        assert recovery.extractions_requeue_stuck() == 0  # queued a moment ago
    delay.assert_called_once_with(content.pk)
    content.refresh_from_db()
    assert content.status == H5PStatus.PROCESSING and content.attempts == 0  # queuing is no attempt


def test_a_redelivered_message_for_extracted_content_does_nothing(
    admin, background, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        content = h5p_content_create(data=build(valid_files()), user=admin, title="Stor pakke")
    content.refresh_from_db()
    assert content.status == H5PStatus.READY and content.attempts == 1
    files = sorted(private_storage.listdir(content.content_prefix)[1])

    with mock.patch("h5p.recovery.h5p_content_extract") as extract:
        tasks.extract_h5p_content(content.pk)
    extract.assert_not_called()
    content.refresh_from_db()
    assert content.attempts == 1 and content.status == H5PStatus.READY
    assert sorted(private_storage.listdir(content.content_prefix)[1]) == files


def test_a_package_that_never_finishes_is_marked_failed_for_the_course_holder(
    admin, background, django_capture_on_commit_callbacks
):
    content = upload_with_broker_down(admin, django_capture_on_commit_callbacks)
    # Three workers started on it and died (out of memory, say): the fourth delivery gives up.
    H5PContent.objects.filter(pk=content.pk).update(attempts=recovery.MAX_ATTEMPTS)
    with mock.patch("h5p.recovery.h5p_content_extract") as extract:
        tasks.extract_h5p_content(content.pk)
    extract.assert_not_called()
    content.refresh_from_db()
    assert content.status == H5PStatus.FAILED
    assert "avbrutt 3 ganger" in content.error and "Last opp pakken på nytt" in content.error


def test_the_sweep_marks_a_package_failed_after_the_last_attempt(
    admin, background, django_capture_on_commit_callbacks
):
    content = upload_with_broker_down(admin, django_capture_on_commit_callbacks)
    age(content, 20)
    H5PContent.objects.filter(pk=content.pk).update(attempts=recovery.MAX_ATTEMPTS)
    with (
        mock.patch.object(tasks.extract_h5p_content, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert recovery.extractions_requeue_stuck() == 0
    delay.assert_not_called()
    content.refresh_from_db()
    assert content.status == H5PStatus.FAILED and "avbrutt 3 ganger" in content.error


def test_an_upload_whose_request_died_mid_extraction_is_marked_failed(admin):
    # Extracted in the request (small), which died after saving the row: no original to retry with.
    content = H5PContent.objects.create(title="Liten pakke", uploaded_by=admin)
    age(content, 20)
    assert recovery.extractions_requeue_stuck() == 0
    content.refresh_from_db()
    assert content.status == H5PStatus.FAILED
    assert "Opplastingen ble avbrutt" in content.error


def test_the_admin_shows_the_course_holder_why(client, admin, background, django_capture_on_commit_callbacks):
    content = upload_with_broker_down(admin, django_capture_on_commit_callbacks)
    age(content, 20)
    H5PContent.objects.filter(pk=content.pk).update(attempts=recovery.MAX_ATTEMPTS)
    recovery.extractions_requeue_stuck()
    client.force_login(admin)
    listing = client.get("/admin/snippets/content/h5pcontent/")
    assert listing.status_code == 200 and "Feilet" in listing.content.decode()
    inspect = client.get(f"/admin/snippets/content/h5pcontent/inspect/{content.pk}/")
    assert inspect.status_code == 200
    assert "Last opp pakken på nytt" in inspect.content.decode()


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_only_one_worker_extracts_a_package_at_a_time(admin, background, django_capture_on_commit_callbacks):
    content = upload_with_broker_down(admin, django_capture_on_commit_callbacks)
    # Another worker holds the package's lock (is extracting it): this delivery leaves it alone,
    # and so does the sweep.
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [recovery._LOCK_NAMESPACE, content.pk])
        outcome = []
        with mock.patch("h5p.recovery.h5p_content_extract") as extract:
            errors = run_concurrently(
                [lambda: outcome.append(recovery.extraction_run(content_id=content.pk))]
            )
        assert errors == [] and outcome == [False]  # the task tries again shortly
        extract.assert_not_called()
        age(content, 20)
        assert recovery.extractions_requeue_stuck() == 0
    finally:
        with other.cursor() as cursor:  # that worker is done
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [recovery._LOCK_NAMESPACE, content.pk])
        other.close()
    content.refresh_from_db()
    assert content.status == H5PStatus.PROCESSING and content.attempts == 0

    tasks.extract_h5p_content(content.pk)
    content.refresh_from_db()
    assert content.status == H5PStatus.READY and content.attempts == 1


def test_a_library_left_half_installed_by_a_lost_worker_is_completed(
    admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        h5p_content_create(data=build(valid_files()), user=admin, title="Første")
    script = "h5p/libraries/H5P.Test-1.0/test.js"
    whole = private_storage.open(script).read()
    # The worker died while writing the library's files: one is cut short, one never written.
    private_storage.delete(script)
    private_storage.save(script, ContentFile(whole[:3]))
    private_storage.delete("h5p/libraries/H5P.Test-1.0/library.json")

    with django_capture_on_commit_callbacks(execute=True):
        again = h5p_content_create(data=build(valid_files()), user=admin, title="Andre")
    again.refresh_from_db()
    assert again.status == H5PStatus.READY
    assert private_storage.open(script).read() == whole
    assert private_storage.exists("h5p/libraries/H5P.Test-1.0/library.json")
    assert sorted(private_storage.listdir("h5p/libraries/H5P.Test-1.0/")[1]) == ["library.json", "test.js"]


def test_an_extraction_stopped_at_the_time_limit_tells_the_course_holder(
    admin, background, django_capture_on_commit_callbacks
):
    with (
        mock.patch("h5p.services._inflate_and_store_content", side_effect=SoftTimeLimitExceeded()),
        django_capture_on_commit_callbacks(execute=True),
    ):
        content = h5p_content_create(data=build(valid_files()), user=admin, title="Stor pakke")
    content.refresh_from_db()
    assert content.status == H5PStatus.FAILED
    assert content.error == "Utpakkingen tok for lang tid og ble stoppet. Last opp pakken på nytt."


def test_the_task_tries_again_shortly_while_another_run_holds_the_lock():
    with (
        mock.patch("h5p.recovery.extraction_run", return_value=False),
        mock.patch.object(tasks.extract_h5p_content, "retry", side_effect=Retry()) as retry,
        pytest.raises(Retry),
    ):
        tasks.extract_h5p_content(1)
    retry.assert_called_once_with(countdown=5)
