"""Benchmark: learner pages' server time against a bare Wagtail page; the catalogue at 6 and 5,000 courses.

    DATABASE_URL=postgres://… CACHE_URL=redis://…/N .venv/bin/python bench/pages.py [--rounds 200]

Builds a throw-away test database (PostgreSQL when DATABASE_URL is set, the figures that matter;
SQLite in memory otherwise) with a course of eight modules and a signed-in learner enrolled in it,
then times requests through Django's test Client (the whole middleware stack, routing, the
session and the templates; no network):

  module (text), module (quiz), module (reflection), module (H5P): a module page of the learner's
        course, on a repeat visit (the H5P module holds the real true-false package; the player's
        own frame page and files are measured by bench/h5p_view.py);
  bare: an information page (a page type with a title, a lead and rich text, the same base template
        and menus) at the same depth of the page tree, with the same text as the text module.

The loops are interleaved: in each round every page is requested once, in an order that alternates
between rounds, so all see the same machine load and warm caches; each figure is the median over
the rounds. The cache is the one settings give (CACHE_URL; use Redis for production-like figures).

Then the catalogue's time and HTML size with 6 courses, 20 (one full page) and 5,000 (its first
page, and a page in the middle): three catalogues in the same database, timed interleaved, ANALYZE
run after the bulk load. The last line is `ratio: N.NN`, the slowest module kind's median time over
the bare page's; the target is 1.5 or less.
"""

import argparse
import logging
import statistics
import time

from benchsetup import throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--catalogue-rounds", type=int, default=40)
    parser.add_argument("--courses", type=int, default=5000)
    args = parser.parse_args()
    with throwaway_database(log_level=logging.WARNING, want_postgresql=True, private_media="bench-pages-"):
        run(args.rounds, args.catalogue_rounds, args.courses)


def timed(client, url) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, len(response.content)


def interleaved(client, urls: dict[str, str], rounds: int) -> dict[str, list[float]]:
    names = list(urls)
    times: dict[str, list[float]] = {name: [] for name in names}
    for name in names:  # warm: routes, fragments and the catalogue link in the cache, templates loaded
        for _ in range(3):
            timed(client, urls[name])
    for number in range(rounds):
        for name in names if number % 2 == 0 else reversed(names):
            times[name].append(timed(client, urls[name])[0])
    return times


def run(rounds: int, catalogue_rounds: int, course_count: int) -> None:
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from content.models import InformationPage
    from courses import services
    from courses.selectors import course_modules
    from tests.factories import (
        UserFactory,
        add_quiz_block,
        add_reflection_block,
        make_catalogue,
        make_course,
        make_quiz,
    )

    cache.clear()
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        # As in production (config/settings/production.py): sessions read from the cache.
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    catalogue = make_catalogue()
    course = make_course(catalogue, modules=8, areas=("kommunikasjon", "pedagogikk"))
    modules = course_modules(course)
    text_module, quiz_module, reflection_module = modules[0], modules[1], modules[2]
    add_quiz_block(quiz_module, make_quiz(course))
    add_reflection_block(reflection_module)
    h5p_module = h5p_module_of(course)
    text = text_module.body.raw_data[0]["value"]
    bare = course.add_child(
        instance=InformationPage(title=text_module.title, slug="bare", lead="Sammendrag.", body=text)
    )
    for _ in range(5):
        make_course(catalogue, modules=0)
    learner = UserFactory()
    services.enrolment_create(user=learner, course=course)
    client = Client()
    client.force_login(learner)
    for module in modules:
        client.get(module.url)  # the first visits record the learner's start

    module_urls = {
        "module (text)": text_module.url,
        "module (quiz)": quiz_module.url,
        "module (reflection)": reflection_module.url,
        "module (H5P)": h5p_module.url,
    }
    urls = module_urls | {"bare": bare.url}
    urls |= {"course": course.url, "catalogue": catalogue.url}
    assert bare.depth == text_module.depth
    times = interleaved(client, urls, rounds)
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    sessions = settings.SESSION_ENGINE.rsplit(".", 1)[-1]
    print(
        f"database: {connection.vendor}; cache: {backend}; sessions: {sessions}; {rounds} interleaved rounds"
    )
    for name, median in medians.items():
        print(f"{name:<16} median {median:6.2f} ms  (×{median / medians['bare']:.2f} bare)")

    # Catalogues of 6, 20 (one full page) and course_count courses side by side, timed interleaved.
    catalogues = {"6 courses": catalogue}
    for label, count, slug in (
        ("20 courses", 20, "kurs-20"),
        (f"{course_count} courses", course_count, "kurs-mange"),
    ):
        catalogues[label] = make_catalogue(slug=slug)
        add_courses(catalogues[label], count)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    page_urls = {f"catalogue, {label}": other.url for label, other in catalogues.items()}
    page_urls[f"catalogue, {course_count} courses, middle page"] = (
        f"{catalogues[f'{course_count} courses'].url}?side={max(1, course_count // 40)}"
    )
    catalogue_times = interleaved(client, page_urls, catalogue_rounds)
    figures = {}
    for name, url in page_urls.items():
        figures[name] = (statistics.median(catalogue_times[name]) * 1000, timed(client, url)[1])
        print(f"{name:<40} median {figures[name][0]:6.2f} ms, {figures[name][1] / 1024:5.1f} KiB HTML")
    large = figures[f"catalogue, {course_count} courses"]
    for label in ("6 courses", "20 courses"):
        small = figures[f"catalogue, {label}"]
        time_ratio, size_ratio = large[0] / small[0], large[1] / small[1]
        print(f"catalogue {course_count} vs {label}: time ×{time_ratio:.2f}, size ×{size_ratio:.2f}")
    slowest = max(module_urls, key=medians.get)
    print(f"slowest module kind: {slowest}")
    print(f"ratio: {medians[slowest] / medians['bare']:.2f}")


def h5p_module_of(course):
    """A module of `course` with the real true-false package (tests/h5p/packages.py FIXTURE)."""
    from h5p.services import h5p_content_create
    from tests.factories import UserFactory
    from tests.h5p.packages import FIXTURE
    from tests.h5p.players import module_with_h5p

    admin = UserFactory(is_superuser=True, is_staff=True)
    content = h5p_content_create(data=FIXTURE.read_bytes(), user=admin, title="Sant eller usant")
    module, _block_id = module_with_h5p(course, content)
    return module


def add_courses(catalogue, count: int) -> None:
    """`count` published courses in the catalogue, each with two competence areas."""
    from courses.models import CompetenceArea, CoursePage

    areas = list(CompetenceArea.objects.order_by("pk").values_list("pk", flat=True))
    through = CoursePage.competence_areas.through
    started = time.perf_counter()
    links = []
    for number in range(count):
        course = catalogue.add_child(
            instance=CoursePage(
                title=f"Kurs {number:05d} i helsepedagogikk",
                slug=f"{catalogue.slug}-{number:05d}",
                summary="Et kurs om kommunikasjon, mestring og brukermedvirkning for helsepersonell.",
                learning_outcomes=[{"type": "outcome", "value": "Du kan bruke det du har lært."}],
                estimated_duration=60,
            )
        )
        links += [
            through(coursepage_id=course.pk, competencearea_id=areas[(number + i) % len(areas)])
            for i in (0, 1)
        ]
    through.objects.bulk_create(links)
    print(f"(added {count} courses to /{catalogue.slug}/ in {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
