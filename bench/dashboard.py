"""Benchmark: the managers' dashboard on a health trust, versus the bare SQL the page needs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/helsepedagogikk \
        .venv/bin/python bench/dashboard.py [--staff 25000] [--courses 30] [--rounds 7]

Builds a throw-away test database (use PostgreSQL, as in production) with a health trust of 10
clinics and 50 departments, STAFF people spread over the departments and COURSES courses assigned
to the whole trust (STAFF × COURSES required-learning rows, written in bulk), with varied progress,
then runs ANALYZE, as autovacuum would after a bulk load (a plan made without statistics is no
plan production would see). Then, as the trust's manager, ROUNDS alternating rounds of:
  dashboard: GET /leder/ (view, scope, filter form, queries, template), as the server answers it;
  bare sql:  the statements a hand-written page needs for the same figures, sent straight to the
             database: the grouped status counts, the number of people, one page of 50 people
             by name and their rows;
interleaved, so both see the same machine load; the medians are compared. The last lines are
`dashboard: N ms` (target under 1,000 ms) and `ratio: N.NN` (dashboard over bare SQL; target 1.5).
"""

# ruff: noqa: S608 - the bare SQL is built from the models' table names and the bench's own unit path
import argparse
import logging
import statistics
import time
from datetime import timedelta

from benchsetup import throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=25_000)
    parser.add_argument("--courses", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--explain", action="store_true", help="print the plan of each of the page's queries")
    args = parser.parse_args()

    with throwaway_database(log_level=logging.WARNING, want_postgresql=True):
        run(args.staff, args.courses, args.rounds, args.explain)


def build(staff: int, courses: int):
    """The trust, its staff and their required learning; returns the trust's manager and the trust."""
    from django.db import connection
    from django.db.models import F
    from django.db.models.functions import Mod
    from django.utils import timezone

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
                # Names in no particular order, so sorting them is real work.
                first_name=f"Ansatt{(n * 7919) % staff:05d}",
                last_name="Bench",
                password="!",  # noqa: S106 - an unusable password, not a secret
            )
            for n in range(staff)
        ],
        batch_size=5000,
    )
    # bulk_create sends no signals; assignment_create below gives everyone their rows in bulk instead.
    Membership.objects.bulk_create(
        [
            Membership(user=p, unit=departments[n % len(departments)], role="member", joined_at=today)
            for n, p in enumerate(people)
        ],
        batch_size=5000,
    )
    manager = User.objects.create(email="leder@bench.example", first_name="Leder", last_name="Bench")
    Membership.objects.create(user=manager, unit=trust, role="manager", joined_at=today)

    catalogue = make_catalogue()
    for n in range(courses):
        course = make_course(catalogue, modules=1, title=f"Kurs {n + 1:02d}")
        due = today + timedelta(days=30) if n % 3 else today - timedelta(days=10)
        assignment_create(
            by=None, course=course, unit=trust, due_date=due, renewal_months=12 if n % 4 == 0 else None
        )

    # Progress as the course services copy it onto each requirement: a third started, a quarter of
    # those finished (some expiring within the month), in three UPDATEs.
    now = timezone.now()
    rows = RequiredLearning.objects.annotate(k=Mod(F("user_id") + F("course_id"), 12))
    rows.filter(k__in=(0, 3, 6, 9)).update(started_at=now)
    rows.filter(k=0).update(completed_at=now, expires_at=today + timedelta(days=365))
    rows.filter(k=6).update(completed_at=now, expires_at=today + timedelta(days=20))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # what autovacuum does after a bulk load, before anyone looks
    return manager, trust, RequiredLearning.objects.count()


def bare_statements(trust, today) -> list[str]:
    """The SQL a hand-written dashboard would send for the same page: status counts per unit and
    course, the number of people with required courses, the first page of 50 of them by name, and
    their rows."""
    from people.models import Membership, OrganisationUnit, User
    from requirements.models import RequiredLearning

    rl, member, unit, user = (
        RequiredLearning._meta.db_table,
        Membership._meta.db_table,
        OrganisationUnit._meta.db_table,
        User._meta.db_table,
    )
    soon = today + timedelta(days=30)
    status = (
        "CASE WHEN completed_at IS NOT NULL AND certificate_revoked_at IS NOT NULL THEN 'r' "
        f"WHEN completed_at IS NOT NULL AND expires_at < '{today}' THEN 'x' "
        f"WHEN completed_at IS NOT NULL AND expires_at < '{soon}' THEN 'e' "
        f"WHEN completed_at IS NOT NULL THEN 'c' WHEN due_date < '{today}' THEN 'o' "
        "WHEN started_at IS NOT NULL THEN 's' ELSE 'n' END"
    )
    staff = (
        f"SELECT m.user_id FROM {member} m JOIN {unit} u ON u.id = m.unit_id "
        f"WHERE m.role = 'member' AND u.path LIKE '{trust.path}%'"
    )
    page = (
        f"SELECT id FROM {user} WHERE id IN (SELECT user_id FROM {rl} WHERE user_id IN ({staff})) "
        "ORDER BY first_name, last_name, id LIMIT 50"
    )
    return [
        f"SELECT unit_id, course_id, {status}, count(*) FROM {rl} WHERE user_id IN ({staff}) "
        "GROUP BY 1, 2, 3",
        f"SELECT count(DISTINCT user_id) FROM {rl} WHERE user_id IN ({staff})",
        f"SELECT id, first_name, last_name, email, participant_type FROM {user} WHERE id IN ({page}) "
        "ORDER BY first_name, last_name, id",
        f"SELECT user_id, course_id, {status}, due_date, completed_at FROM {rl} WHERE user_id IN ({page})",
    ]


def run(staff: int, courses: int, rounds: int, explain: bool) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    start = time.perf_counter()
    manager, trust, rows = build(staff, courses)
    print(
        f"data set: {staff} staff, {courses} courses, {rows} required-learning rows "
        f"(built and analysed in {time.perf_counter() - start:.0f} s, {connection.vendor})"
    )

    client = Client()
    client.force_login(manager)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/leder/")  # warm caches a running server keeps
    assert response.status_code == 200
    page_queries = len(captured)  # now: the connection's query log is a bounded deque
    assert f"{staff} personer i utvalget" in response.content.decode().replace("\xa0", " ")
    if explain and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for query in captured.captured_queries:
                if "courses_requiredlearning" in query["sql"]:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    print(query["sql"][:200], "\n   ", "\n    ".join(row[0] for row in cursor.fetchall()))
    statements = bare_statements(trust, timezone.localdate())

    def page() -> float:
        begin = time.perf_counter()
        assert client.get("/leder/").status_code == 200
        return time.perf_counter() - begin

    def bare() -> float:
        begin = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
        return time.perf_counter() - begin

    page_times, bare_times = [], []
    for n in range(rounds):
        # Alternate which goes first, so neither always follows the other's cache effects.
        for measure, times in ((page, page_times), (bare, bare_times))[:: 1 if n % 2 else -1]:
            times.append(measure())

    dashboard, sql = statistics.median(page_times), statistics.median(bare_times)
    print(f"queries:   {page_queries} for the page, {len(statements)} bare")
    print(f"bare sql:  {sql * 1000:.0f} ms (median of {rounds}, interleaved)")
    print(f"dashboard: {dashboard * 1000:.0f} ms (median of {rounds}, interleaved; target under 1000 ms)")
    print(f"ratio: {dashboard / sql:.2f}")


if __name__ == "__main__":
    main()
