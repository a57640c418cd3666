"""Benchmark: a staff import with its required-learning re-check, versus inserting its rows in bulk SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/import_bench \
        .venv/bin/python bench/import_staff.py [--staff 5000] [--repeat 3]

Builds a throw-away test database (use PostgreSQL, as in production) with a health trust of 20
units (the trust, 4 clinics, 15 departments) and 5 courses assigned to the whole trust (fixed,
relative and renewed due dates), so every imported person gets 5 required-learning rows. A CSV
file of STAFF people (spread over the 20 units, with start dates) is then
  import:   imported through people.importing.staff_import, the service the admin's «Importer»
            button calls: every row checked by its form, people, e-mail addresses and memberships
            written, and the required-learning job queued on commit and run there (Celery runs
            eagerly here, as in development); median of REPEAT, each on an empty organisation;
  preview:  for information, the upload step before it (staff_preview: read and check, no writes);
  baseline: the same users, memberships and required-learning rows inserted with multi-row
            INSERT statements of precomputed values, in one transaction; median of REPEAT.
The «Importer» request's own part (check again, write in bulk) is printed apart from the re-check
job, which a Celery worker runs after the request: the request must stay well under gunicorn's
30 s timeout. The last line is `ratio: N.NN` (import time, job included, over baseline time); the
target is 3 or less, and the import must finish in under 60 s.
"""

import argparse
import logging
import statistics
import time
from datetime import date, timedelta

from benchsetup import throwaway_database

EMAIL_DOMAIN = "bench.example"
ROWS_PER_STATEMENT = 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with throwaway_database(log_level=logging.WARNING, want_postgresql=True):
        run(args.staff, args.repeat)


def build():
    """The organisation, five courses assigned to all of it, and the administrator who imports."""
    from people.models import OrganisationUnit, User
    from requirements.services import assignment_create
    from tests.factories import make_catalogue, make_course

    trust = OrganisationUnit.objects.create(name="Helseforetaket", unit_type="hf", code="HF")
    units = [trust]
    for c in range(4):
        clinic = OrganisationUnit.objects.create(
            name=f"Klinikk {c + 1}", unit_type="klinikk", parent=trust, code=f"K{c + 1}"
        )
        units.append(clinic)
        for d in range(4 if c < 3 else 3):
            units.append(
                OrganisationUnit.objects.create(
                    name=f"Avdeling {c + 1}-{d + 1}",
                    unit_type="avdeling",
                    parent=clinic,
                    code=f"A{c + 1}{d + 1}",
                )
            )
    assert len(units) == 20
    catalogue = make_catalogue()
    rules = [
        {"due_date": date(2026, 12, 31)},
        {"due_days": 30},
        {"due_days": 90, "renewal_months": 12},
        {"due_date": date(2026, 6, 30), "renewal_months": 24},
        {"due_days": 14},
    ]
    assignments = [
        assignment_create(
            by=None, course=make_course(catalogue, modules=1, title=f"Kurs {n + 1}"), unit=trust, **rule
        )
        for n, rule in enumerate(rules)
    ]
    admin = User.objects.create_superuser("admin@bench.example", "bench-admin")
    return units, assignments, admin


def staff_rows(staff: int, units) -> list[tuple[str, str, str, date]]:
    """(name, e-mail, unit code, start date) for each person in the file."""
    start = date(2025, 1, 1)
    return [
        (
            f"Ansatt{n:05d} Bench",
            f"ansatt{n:05d}@{EMAIL_DOMAIN}",
            units[n % len(units)].code,
            start + timedelta(n % 365),
        )
        for n in range(staff)
    ]


def as_csv(rows) -> str:
    lines = ["navn;e-post;enhet;deltakertype;rolle;startdato"]
    lines += [
        f"{name};{email};{code};helsepersonell;;{joined:%d.%m.%Y}" for name, email, code, joined in rows
    ]
    return "\r\n".join(lines) + "\r\n"


def baseline(rows, units, assignments) -> None:
    """The rows the import ends with, written as plain multi-row INSERTs in one transaction."""
    from django.db import connection, transaction
    from django.utils import timezone

    from people.models import Membership, User
    from requirements.models import RequiredLearning

    unit_ids = {unit.code: unit.pk for unit in units}
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        user_ids = []
        for chunk in _chunks(rows):
            sql, params = _insert(
                User._meta.db_table,
                [
                    "password",
                    "is_superuser",
                    "first_name",
                    "last_name",
                    "is_staff",
                    "is_active",
                    "date_joined",
                    "email",
                    "participant_type",
                    "profession",
                    "preferred_language",
                ],
                [
                    (
                        "!",
                        False,
                        name.split()[0],
                        name.split()[1],
                        False,
                        True,
                        now,
                        email,
                        "helsepersonell",
                        "",
                        "nb",
                    )
                    for name, email, _code, _joined in chunk
                ],
            )
            cursor.execute(sql + " RETURNING id", params)
            user_ids.extend(row[0] for row in cursor.fetchall())
        memberships = [
            (user_id, unit_ids[code], "member", joined)
            for user_id, (_name, _email, code, joined) in zip(user_ids, rows, strict=True)
        ]
        for chunk in _chunks(memberships):
            cursor.execute(
                *_insert(Membership._meta.db_table, ["user_id", "unit_id", "role", "joined_at"], chunk)
            )
        required = []
        for user_id, unit_id, _role, joined in memberships:
            for a in assignments:
                due = a.due_date or joined + timedelta(days=a.due_days)
                required.append((user_id, a.course_id, a.pk, unit_id, due, a.renewal_months))
        for chunk in _chunks(required):
            cursor.execute(
                *_insert(
                    RequiredLearning._meta.db_table,
                    ["user_id", "course_id", "assignment_id", "unit_id", "due_date", "renewal_months"],
                    chunk,
                )
            )


def _chunks(items):
    for start in range(0, len(items), ROWS_PER_STATEMENT):
        yield items[start : start + ROWS_PER_STATEMENT]


def _insert(table: str, columns: list[str], rows) -> tuple[str, list]:
    placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ' + ", ".join([placeholders] * len(rows))  # noqa: S608
    return sql, [value for row in rows for value in row]


def clear() -> None:
    """Remove everyone the bench added (and what hangs off them), keeping the organisation."""
    from allauth.account.models import EmailAddress
    from wagtail.models import ReferenceIndex

    from people.models import Membership, User
    from requirements.models import RequiredLearning, SyncJob

    people = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exclude(is_superuser=True)
    memberships = Membership.objects.filter(user__in=people)
    ReferenceIndex.objects.filter(
        base_content_type__model="membership",
        object_id__in=[str(pk) for pk in memberships.values_list("pk", flat=True)],
    )._raw_delete("default")
    RequiredLearning.objects.filter(user__in=people)._raw_delete("default")
    memberships._raw_delete("default")
    EmailAddress.objects.filter(user__in=people)._raw_delete("default")
    SyncJob.objects.all()._raw_delete("default")
    people._raw_delete("default")


def run(staff: int, repeat: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from people import importing
    from people.models import Membership
    from requirements import sync
    from requirements.models import RequiredLearning, SyncJob

    units, assignments, admin = build()
    rows = staff_rows(staff, units)
    text = as_csv(rows)
    print(
        f"data set: {staff} staff in {len(units)} units, {len(assignments)} assignments ({connection.vendor})"
    )

    baseline_times, import_times, preview_times, request_times = [], [], [], []
    queued = []
    sync._queue = queued.append  # the job is noted on commit instead of run eagerly inside the import
    expected = None
    for _ in range(repeat):
        start = time.perf_counter()
        baseline(rows, units, assignments)
        baseline_times.append(time.perf_counter() - start)
        expected = sorted(
            RequiredLearning.objects.filter(user__email__endswith=EMAIL_DOMAIN).values_list(
                "user__email", "course_id", "unit_id", "due_date"
            )
        )
        clear()

        start = time.perf_counter()
        preview = importing.staff_preview(text.encode("utf-8"))
        preview_times.append(time.perf_counter() - start)
        assert preview.is_valid, preview.errors[:3]

        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            # What the admin's «Importer» POST does; the re-check job is queued on commit and run
            # here right after, as a worker would, timed apart (the request does not wait for it).
            result = importing.staff_import(preview.text, by=admin)
            request_times.append(time.perf_counter() - start)
            sync.sync_job_run(job_id=queued.pop())
            import_times.append(time.perf_counter() - start)
        job = SyncJob.objects.get()
        assert (result.people_created, result.memberships_created) == (staff, staff)
        assert (job.status, job.done) == ("done", staff), (job.status, job.error)
        assert Membership.objects.filter(user__email__endswith=EMAIL_DOMAIN).count() == staff
        got = sorted(
            RequiredLearning.objects.filter(user__email__endswith=EMAIL_DOMAIN).values_list(
                "user__email", "course_id", "unit_id", "due_date"
            )
        )
        assert got == expected, "the import and the baseline disagree"
        queries = len(captured)
        clear()

    imported, base, previewed, requested = (
        statistics.median(t) for t in (import_times, baseline_times, preview_times, request_times)
    )
    print(
        f"import:   {imported:.2f} s ({queries} queries: check rows, write people and memberships, "
        f"re-check required learning; {staff * len(assignments)} rows; median of {repeat})"
    )
    print(f"preview:  {previewed:.2f} s (the upload step before it: read and check every row, no writes)")
    print(
        f"request:  {requested:.2f} s of it in the «Importer» request (check again, write in bulk); "
        f"{imported - requested:.2f} s in the re-check job (a Celery task)"
    )
    print(f"baseline: {base:.2f} s (the same users, memberships and required-learning rows in bulk SQL)")
    print(f"import + preview over baseline: {(imported + previewed) / base:.2f}")
    print(f"ratio: {imported / base:.2f}")


if __name__ == "__main__":
    main()
