"""ops/backup.sh and ops/restore.sh, for real: the demo is dumped, restored into an empty database
with its files, and the platform running on the copy shows the same demo."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import home_page
from tests.markers import requires_postgresql

ROOT = Path(__file__).resolve().parent.parent.parent

# Run against the restored copy by the platform itself (test settings, the copy's DATABASE_URL).
CHECK_THE_COPY = """
from django.test import Client
from django.urls import reverse
from certificates.models import Certificate
from courses.models import CoursePage, ModulePage
from people.models import User

client = Client()
courses = list(CoursePage.objects.live())
assert courses, "no courses"
for course in courses:
    assert client.get(course.url).status_code == 200, course.url
learner = User.objects.get(email="helsepersonell@demo.example")
certificate = Certificate.objects.get(user=learner)
page = client.get(reverse("certificates:verify_code", args=[certificate.verification_code]))
text = page.content.decode()
assert page.status_code == 200 and certificate.serial in text and certificate.holder_name in text, text
assert certificate.pdf and certificate.pdf.storage.exists(certificate.pdf.name), "the PDF is missing"
client.force_login(learner)
module = ModulePage.objects.live().child_of(certificate.course).first()
assert client.get(module.url).status_code == 200, module.url
assert client.get(reverse("certificates:pdf", args=[certificate.public_id])).status_code == 200
print("demo intact:", len(courses), "courses,", certificate.serial)
"""


def database_url(name: str) -> str:
    settings = connection.settings_dict
    user, password = settings.get("USER") or "postgres", settings.get("PASSWORD") or ""
    credentials = f"{user}:{password}" if password else user
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{name}"


def run(command: list[str], **env) -> subprocess.CompletedProcess:
    base = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    return subprocess.run(  # noqa: S603 - fixed commands
        command, cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=600
    )


def row_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as database:
        tables = [
            row[0] for row in database.execute("select tablename from pg_tables where schemaname = 'public'")
        ]
        return {table: database.execute(f'select count(*) from "{table}"').fetchone()[0] for table in tables}  # noqa: S608


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_demo_survives_a_backup_restored_into_an_empty_database(settings, tmp_path):
    home_page()  # the data migrations' page tree, in case a transactional test before flushed it
    call_command("load_demo", stdout=StringIO())
    source = database_url(connection.settings_dict["NAME"])
    copy_name = f"{connection.settings_dict['NAME']}_restored"
    backup = tmp_path / "backup"
    restored_media, restored_private = tmp_path / "restored-media", tmp_path / "restored-private"

    at_backup = row_counts(source)
    made = run(
        ["sh", "ops/backup.sh", str(backup)],
        DATABASE_URL=source,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT),
    )
    assert made.returncode == 0, made.stderr
    assert {path.name for path in backup.iterdir()} >= {"database.dump", "private-media.tar", "manifest.txt"}

    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{copy_name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{copy_name}"')
    try:
        copy = database_url(copy_name)
        environment = {"MEDIA_ROOT": str(restored_media), "PRIVATE_MEDIA_ROOT": str(restored_private)}
        restored = run(["sh", "ops/restore.sh", str(backup)], DATABASE_URL=copy, **environment)
        assert restored.returncode == 0, restored.stderr

        counts = row_counts(copy)
        assert counts == at_backup
        assert counts["certificates_certificate"] > 0 and counts["people_user"] >= 46

        checked = run(
            [sys.executable, "manage.py", "shell", "-c", CHECK_THE_COPY],
            DJANGO_SETTINGS_MODULE="config.settings.test",
            DATABASE_URL=copy,
            **environment,
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert "demo intact:" in checked.stdout

        # Restoring again would mix the backup into data: refused, nothing changed.
        before = row_counts(copy)  # the check's sign-in added a session
        again = run(["sh", "ops/restore.sh", str(backup)], DATABASE_URL=copy, **environment)
        assert again.returncode != 0 and "tom database" in again.stderr
        assert row_counts(copy) == before
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{copy_name}" WITH (FORCE)')
