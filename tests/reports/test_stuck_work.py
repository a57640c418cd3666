"""`manage.py stuck_work` lists overdue background work and fails (for monitoring) when there is any."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from certificates.models import Certificate
from h5p.models import H5PContent
from reports.models import ReportExport
from requirements.models import SyncJob
from tests.factories import UserFactory, complete_course

pytestmark = pytest.mark.django_db


def run() -> str:
    out = StringIO()
    call_command("stuck_work", stdout=out)
    return out.getvalue()


def test_nothing_stuck_exits_cleanly(user, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(user, course)  # rendered at once: not stuck
    assert "Ingenting står fast." in run()


def test_each_kind_of_stuck_work_is_listed_and_the_command_fails(user, course):
    long_ago = timezone.now() - timedelta(hours=2)
    complete_course(user, course)  # the render task never ran (no commit in this test)
    certificate = Certificate.objects.get()
    Certificate.objects.filter(pk=certificate.pk).update(issued_at=long_ago)
    content = H5PContent.objects.create(title="Stor pakke")
    H5PContent.objects.filter(pk=content.pk).update(created_at=long_ago)
    job = SyncJob.objects.create(kind="unit_moved", user_ids=[UserFactory().pk], total=1)
    SyncJob.objects.filter(pk=job.pk).update(created_at=long_ago)
    H5PContent.objects.create(title="Nettopp lastet opp")  # recent: not stuck
    export = ReportExport.objects.create(requested_by=user, file_format="xlsx", status="running")
    ReportExport.objects.filter(pk=export.pk).update(requested_at=long_ago)
    ReportExport.objects.create(requested_by=user, file_format="xlsx", status="ready")  # done: not stuck
    ReportExport.objects.create(requested_by=user, file_format="xlsx")  # just asked for: not stuck

    out = StringIO()
    with pytest.raises(CommandError, match="4 oppgaver står fast"):
        call_command("stuck_work", stdout=out)
    text = out.getvalue()
    assert f"Kursbevis uten PDF: 1 (id {certificate.pk})" in text
    assert f"H5P-pakker som står i «Behandles»: 1 (id {content.pk})" in text
    assert f"Synkroniseringsjobber for påkrevd opplæring: 1 (id {job.pk})" in text
    assert f"Rapporteksporter som ikke ble laget: 1 (id {export.pk})" in text
