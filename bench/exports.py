"""Benchmark: the managers' export of 100,000 rows, as CSV (streamed), as XLSX in the request and as
XLSX built by the task, versus reading the same rows with a bare cursor.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helsepedagogikk \
        .venv/bin/python bench/exports.py [--staff 5000] [--courses 20]

Builds a throw-away test database (use PostgreSQL, as in production) with STAFF people in one unit
and COURSES courses assigned to it (STAFF × COURSES rows, 100,000 by default), then, as the unit's
manager, for each way of exporting: the time to the first byte of the response and to the last,
and, in a second run, the peak Python memory (tracemalloc). The bare read fetches the export's
rows (the same ORM query's SQL) with a plain cursor, 2,000 at a time. The last line is
`ratio: N.NN`, the streamed CSV's total time over the bare read.
"""

import argparse
import logging
import time
import tracemalloc
from datetime import timedelta

from benchsetup import throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=5000)
    parser.add_argument("--courses", type=int, default=20)
    args = parser.parse_args()

    with throwaway_database(log_level=logging.WARNING, private_media="bench-exports-", want_postgresql=True):
        run(args.staff, args.courses)


def build(staff: int, courses: int):
    from django.db import connection
    from django.utils import timezone

    from people.models import Membership, OrganisationUnit, User
    from requirements.services import assignment_create
    from tests.factories import make_catalogue, make_course

    today = timezone.localdate()
    unit = OrganisationUnit.objects.create(name="Helseforetaket", unit_type="hf")
    people = User.objects.bulk_create(
        [
            User(
                email=f"ansatt{n:05d}@bench.example",
                first_name=f"Ansatt{n:05d}",
                last_name="Bench",
                password="!",  # noqa: S106 - an unusable password, not a secret
            )
            for n in range(staff)
        ],
        batch_size=5000,
    )
    Membership.objects.bulk_create(
        [Membership(user=p, unit=unit, role="member", joined_at=today) for p in people], batch_size=5000
    )
    manager = User.objects.create(email="leder@bench.example", first_name="Leder", last_name="Bench")
    Membership.objects.create(user=manager, unit=unit, role="manager", joined_at=today)
    catalogue = make_catalogue()
    for n in range(courses):
        course = make_course(catalogue, modules=1, title=f"Kurs {n + 1:02d}")
        assignment_create(by=None, course=course, unit=unit, due_date=today + timedelta(days=30))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return manager


def measure(label: str, consume) -> float:
    """Run `consume(first_byte)` twice: timed, then under tracemalloc (which slows Python down several
    times, so it would distort the times) for the peak memory. `consume` calls first_byte() when the
    first byte is out and returns the size it received."""
    marks = {}
    start = time.perf_counter()
    size = consume(lambda: marks.setdefault("first", time.perf_counter() - start))
    total = time.perf_counter() - start
    tracemalloc.start()
    consume(lambda: None)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label:<28} first byte {marks.get('first', total) * 1000:7.0f} ms, last {total:6.2f} s, "
        f"{size / 1e6:5.1f} MB, peak Python memory {peak / 1e6:5.1f} MB"
    )
    return total


def run(staff: int, courses: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from reports import exports, selectors
    from reports.exports import report_export_build
    from requirements.selectors import Filters

    manager = build(staff, courses)
    rows = staff * courses
    print(f"data set: {staff} staff × {courses} courses = {rows} rows ({connection.vendor})")
    client = Client()
    client.force_login(manager)

    def bare(first_byte):
        sql, params = selectors.export_rows(viewer=manager, filters=Filters()).query.sql_with_params()
        count = 0
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(2000):
                first_byte()
                count += len(batch)
        assert count == rows, count
        return 0

    def streamed(url):
        def consume(first_byte):
            response = client.get(url)
            size = 0
            for chunk in response.streaming_content:
                first_byte()
                size += len(chunk)
            return size

        return consume

    base = measure("bare read (cursor)", bare)
    csv_total = measure("CSV, streamed", streamed("/leder/eksport.csv"))
    settings.REPORTS_XLSX_INLINE_MAX_ROWS = rows
    measure("XLSX in the request", streamed("/leder/eksport.xlsx"))

    settings.REPORTS_XLSX_INLINE_MAX_ROWS = 10_000
    queued = []
    # Celery runs tasks eagerly in the bench's settings: the request would wait for the build. Note the
    # task instead, and run it after the response, as a worker would.
    exports._queue_build = queued.append

    def by_task(first_byte):
        response = client.get("/leder/eksport.xlsx")  # rows counted, export row made, task queued
        first_byte()
        assert response.status_code == 302, response.status_code
        built = report_export_build(export_id=queued.pop())
        assert built.rows == rows, built.rows
        return built.file.size

    measure("XLSX by the task (redirect)", by_task)
    print(f"ratio: {csv_total / base:.2f}")


if __name__ == "__main__":
    main()
