"""Exports at scale: CSV streams, a large XLSX is built by a task for the manager who asked, and the
audit log records what was handed out."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEntry
from reports.exports import report_exports_delete_expired
from reports.models import ReportExport
from requirements.services import assignment_create
from tests.factories import UserFactory, add_member, make_course, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(catalogue):
    ward = make_unit("Avdeling A")
    other = make_unit("Avdeling B")
    staff = [UserFactory(email=f"ansatt{n}@test.example") for n in range(3)]
    for person in staff:
        add_member(person, ward)
    outsider = UserFactory(email="b@test.example")
    add_member(outsider, other)
    manager, other_manager = UserFactory(), UserFactory()
    add_member(manager, ward, role="manager")
    add_member(other_manager, other, role="manager")
    courses = [make_course(catalogue, title=title) for title in ("Kurs 1", "Kurs 2")]
    due = timezone.localdate() + timedelta(days=30)
    for course in courses:
        for unit in (ward, other):
            assignment_create(by=None, course=course, unit=unit, due_date=due)
    return {
        "ward": ward,
        "staff": staff,
        "courses": courses,
        "manager": manager,
        "other_manager": other_manager,
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_csv_export_streams_its_first_rows_before_the_last_are_read(world, monkeypatch):
    monkeypatch.setattr("core.exports.CSV_LINES_PER_CHUNK", 2)  # header and one row in the first chunk
    response = client_for(world["manager"]).get(reverse("reports:export", args=["csv"]))
    assert response.streaming
    chunks = iter(response.streaming_content)
    first = next(chunks).decode("utf-8-sig")
    assert first.startswith("Fornavn;Etternavn;E-post")
    # Logged when the last row is out: after the first chunk nothing is recorded yet.
    assert not AuditEntry.objects.filter(event="staff_export").exists()
    rest = b"".join(chunks).decode()
    assert len(list(csv.reader(io.StringIO(first + rest), delimiter=";"))) == 1 + 3 * 2
    entry = AuditEntry.objects.get(event="staff_export")
    assert entry.additional_data["rows"] == 6 and entry.additional_data["complete"] is True


def test_small_xlsx_export_is_sent_at_once(world, settings):
    settings.REPORTS_XLSX_INLINE_MAX_ROWS = 6
    response = client_for(world["manager"]).get(reverse("reports:export", args=["xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    assert len(list(sheet.iter_rows(min_row=2, values_only=True))) == 6
    assert not ReportExport.objects.exists()


def test_large_xlsx_export_is_built_by_a_task_for_the_manager_who_asked(
    world, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_XLSX_INLINE_MAX_ROWS = 5
    manager = client_for(world["manager"])
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = manager.get(reverse("reports:export", args=["xlsx"]), {"course": "", "status": ""})
    assert len(queued) == 1  # the build task, queued once the export row is committed
    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:export_status", args=[export.public_id])
    assert export.status == ReportExport.Status.READY and export.rows == 6

    page = manager.get(response["Location"])
    download_url = reverse("reports:export_download", args=[export.public_id])
    assert download_url in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    assert not AuditEntry.objects.filter(event="staff_export").exists()  # nothing handed out yet

    file = manager.get(download_url)
    sheet = load_workbook(io.BytesIO(b"".join(file.streaming_content)), read_only=True).active
    emails = {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert emails == {person.email for person in world["staff"]}
    entry = AuditEntry.objects.get(event="staff_export")
    assert entry.actor == world["manager"]
    assert entry.additional_data["rows"] == 6 and entry.additional_data["format"] == "xlsx"

    # Another unit's manager, and an administrator, get "not found" for both addresses.
    admin = UserFactory(is_superuser=True, is_staff=True)
    for someone in (world["other_manager"], admin):
        client = client_for(someone)
        assert client.get(response["Location"]).status_code == 404
        assert client.get(download_url).status_code == 404


def test_a_large_export_is_built_within_the_scope_and_filters_of_its_manager(
    world, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_XLSX_INLINE_MAX_ROWS = 0
    course = world["courses"][0]
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world["manager"]).get(
            reverse("reports:export", args=["xlsx"]), {"course": course.pk, "status": "ikke_startet"}
        )
    export = ReportExport.objects.get()
    assert export.filters == {"course": str(course.pk), "status": "ikke_startet"}
    with export.file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()), read_only=True).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {row[2] for row in rows} == {person.email for person in world["staff"]}  # not the other unit's
    assert {row[5] for row in rows} == {course.title} and export.rows == 3


def test_expired_exports_are_not_handed_out_and_their_files_are_deleted(
    world, settings, django_capture_on_commit_callbacks
):
    settings.REPORTS_XLSX_INLINE_MAX_ROWS = 0
    manager = client_for(world["manager"])
    with django_capture_on_commit_callbacks(execute=True):
        manager.get(reverse("reports:export", args=["xlsx"]))
    export = ReportExport.objects.get()
    name = export.file.name
    storage = export.file.storage
    assert storage.exists(name)
    ReportExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert manager.get(reverse("reports:export_download", args=[export.public_id])).status_code == 404
    assert report_exports_delete_expired() == 1
    assert not ReportExport.objects.exists() and not storage.exists(name)


def test_the_task_runs_once_whatever_the_broker_redelivers(
    world, settings, django_capture_on_commit_callbacks
):
    from reports.exports import report_export_build

    settings.REPORTS_XLSX_INLINE_MAX_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world["manager"]).get(reverse("reports:export", args=["xlsx"]))
    export = ReportExport.objects.get()
    finished_at = export.finished_at
    again = report_export_build(export_id=export.pk)
    assert again.finished_at == finished_at and again.file.name == export.file.name
