"""Benchmark: the managers' dashboard and export on a large scope, versus its SQL alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helsepedagogikk \
        .venv/bin/python bench/dashboard.py [--staff 5000] [--courses 20] [--repeat 5]

Builds a throw-away test database (use PostgreSQL, as in production) with a
health trust of 10 clinics and 50 departments, STAFF people spread over the
departments, COURSES courses assigned to the whole trust (STAFF × COURSES
required-learning rows) and varied progress. Then, as the trust's manager:
  dashboard: the page as the server makes it (view, queries, template), median of REPEAT;
  sql:       the same SQL statements the page ran, sent straight to the database, median of REPEAT;
  export:    the full CSV export streamed to the end, with its time and peak Python memory.
The last line is `ratio: N.NN` (dashboard time over SQL time); the target is 2 or less.
"""

import argparse
import logging
import statistics
import time
import tracemalloc
from datetime import timedelta

from benchsetup import throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=5000)
    parser.add_argument("--courses", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    with throwaway_database(log_level=logging.WARNING, want_postgresql=True):
        run(args.staff, args.courses, args.repeat)


def build(staff: int, courses: int):
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from courses.models import Enrolment, ModuleProgress
    from courses.selectors import course_modules
    from people.models import Membership, OrganisationUnit, User
    from requirements.models import RequiredLearning
    from requirements.services import assignment_create
    from tests.factories import make_catalogue, make_course

    today = timezone.localdate()
    trust = OrganisationUnit.objects.create(name="Helseforetaket", unit_type="hf")
    departments = []
    for c in range(10):
        clinic = OrganisationUnit.objects.create(
            name=f"Klinikk {c + 1:02d}", unit_type="klinikk", parent=trust
        )
        for d in range(5):
            departments.append(
                OrganisationUnit.objects.create(
                    name=f"Avdeling {c + 1:02d}-{d + 1}", unit_type="avdeling", parent=clinic
                )
            )
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
        batch_size=2000,
    )
    # bulk_create sends no signals; assignment_create below gives everyone their rows in bulk instead.
    Membership.objects.bulk_create(
        [
            Membership(user=p, unit=departments[n % len(departments)], role="member", joined_at=today)
            for n, p in enumerate(people)
        ],
        batch_size=2000,
    )
    manager = User.objects.create(email="leder@bench.example", first_name="Leder", last_name="Bench")
    Membership.objects.create(user=manager, unit=trust, role="manager", joined_at=today)

    catalogue = make_catalogue()
    course_pages = [make_course(catalogue, modules=1, title=f"Kurs {n + 1:02d}") for n in range(courses)]
    for n, course in enumerate(course_pages):
        due = today + timedelta(days=30) if n % 3 else today - timedelta(days=10)
        assignment_create(
            by=None, course=course, unit=trust, due_date=due, renewal_months=12 if n % 4 == 0 else None
        )

    # Progress: every third person started each course, every fourth finished it.
    now = timezone.now()
    enrolments = []
    for n, person in enumerate(people):
        for c, course in enumerate(course_pages):
            if (n + c) % 3 == 0:
                enrolments.append(
                    Enrolment(user=person, course=course, completed_at=now if (n + c) % 4 == 0 else None)
                )
    enrolments = Enrolment.objects.bulk_create(enrolments, batch_size=5000)
    module_of = {course.pk: course_modules(course)[0] for course in course_pages}
    ModuleProgress.objects.bulk_create(
        [
            ModuleProgress(enrolment=e, module=module_of[e.course_id], completed_at=e.completed_at)
            for e in enrolments
        ],
        batch_size=5000,
    )
    # What the course services copy onto each requirement as learners go, here in two UPDATEs.
    taken = Enrolment.objects.filter(user_id=OuterRef("user_id"), course_id=OuterRef("course_id"))
    RequiredLearning.objects.filter(Exists(taken)).update(started_at=now)
    RequiredLearning.objects.filter(Exists(taken.filter(completed_at__isnull=False))).update(completed_at=now)
    return manager, RequiredLearning.objects.count()


def run(staff: int, courses: int, repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    manager, rows = build(staff, courses)
    print(
        f"data set: {staff} staff, {courses} courses, {rows} required-learning rows "
        f"(built in {time.perf_counter() - start:.1f} s, {connection.vendor})"
    )

    client = Client()
    client.force_login(manager)
    client.get("/leder/")  # warm caches a running server keeps

    dashboard_times, statements = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get("/leder/")
            dashboard_times.append(time.perf_counter() - start)
        assert response.status_code == 200
        # Form choices are read through a server-side cursor ("DECLARE … CURSOR … FOR SELECT …");
        # replay the SELECT itself.
        statements = [
            q["sql"].split(" FOR ", 1)[1] if q["sql"].startswith("DECLARE") else q["sql"]
            for q in captured.captured_queries
        ]

    # The same statements, sent straight to the database: what the page costs without Django around it.
    sql_times = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            start = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()
            sql_times.append(time.perf_counter() - start)

    tracemalloc.start()
    start = time.perf_counter()
    response = client.get("/leder/eksport.csv")
    exported_bytes = 0
    lines = 0
    for chunk in response.streaming_content:
        exported_bytes += len(chunk)
        lines += chunk.count(b"\n")
    export_time = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    dashboard = statistics.median(dashboard_times)
    sql = statistics.median(sql_times)
    print(f"dashboard: {dashboard * 1000:.0f} ms ({len(statements)} queries, median of {repeat})")
    print(f"sql alone: {sql * 1000:.0f} ms (the same {len(statements)} statements, median of {repeat})")
    print(
        f"export:    {export_time:.2f} s for {lines - 1} rows ({exported_bytes / 1e6:.1f} MB), "
        f"peak Python memory {peak / 1e6:.1f} MB"
    )
    print(f"ratio: {dashboard / sql:.2f}")


if __name__ == "__main__":
    main()
