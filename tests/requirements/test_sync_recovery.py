"""Required-learning jobs are never lost: one whose worker and message were both lost (still
«Pågår» long after any run could end) is run again by the sweep, and a redelivered run of a
finished job does nothing."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from requirements import sync, tasks
from requirements.models import SyncJob
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_job_left_running_by_a_lost_worker_is_run_again(django_capture_on_commit_callbacks):
    nurse = UserFactory()
    job = SyncJob.objects.create(
        kind="unit_moved", user_ids=[nurse.pk], total=1, status=SyncJob.Status.RUNNING
    )
    assert tasks.requeue_stalled_sync_jobs() == 0  # it may still be running
    SyncJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.requeue_stalled_sync_jobs() == 1
    job.refresh_from_db()
    assert (job.status, job.done) == (SyncJob.Status.DONE, 1)
    assert tasks.requeue_stalled_sync_jobs() == 0


def test_a_redelivered_message_for_a_finished_job_does_nothing(django_capture_on_commit_callbacks):
    nurse = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        job = sync.sync_job_start(kind="unit_moved", user_ids=[nurse.pk])
    job.refresh_from_db()
    assert job.status == SyncJob.Status.DONE
    with mock.patch.object(sync, "requirements_sync_users") as rerun:
        tasks.sync_required_learning(job.pk)
    rerun.assert_not_called()
