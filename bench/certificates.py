"""Benchmark: certificate PDFs through the worker code path versus a bare WeasyPrint render.

    .venv/bin/python bench/certificates.py [--count 200] [--rounds 10]

Builds a throw-away test database (SQLite in memory, or PostgreSQL when
DATABASE_URL is set), issues COUNT certificates, then times
  platform: the Celery task as a worker runs it (read the row, fill the
            template, QR code, WeasyPrint, store the file, update the row),
  bare:     WeasyPrint alone on the same HTML, already rendered.
The two loops are interleaved: the certificates are split into ROUNDS rounds, each round times
the platform on its share and bare WeasyPrint on the same share (alternating which goes first), so
both see the same machine load, warm caches and disk. The ratio is the median of the rounds' ratios.
The last line is `ratio: N.NN` (platform time over bare time); the target is 1.3 or less.
"""

import argparse
import logging
import statistics
import time
from pathlib import Path
from unittest import mock

from benchsetup import throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    # Celery and WeasyPrint log every task and render step.
    with throwaway_database(log_level=logging.INFO, private_media="bench-certificates-"):
        run(args.count, max(1, min(args.rounds, args.count)))


def run(count: int, rounds: int) -> None:
    from weasyprint import HTML

    from certificates.models import Certificate
    from certificates.rendering import render_certificate_html
    from certificates.tasks import render_certificate_pdf
    from tests.factories import (
        UserFactory,
        complete_course,
        make_catalogue,
        make_certificate_template,
        make_course,
    )

    course = make_course(make_catalogue(), modules=1, areas=("kommunikasjon", "pedagogikk"))
    make_certificate_template(course, validity_months=24)
    with mock.patch("certificates.services._queue_render"):  # issue now, render in the timed loop
        for _ in range(count):
            complete_course(UserFactory(), course)
    ids = list(Certificate.objects.order_by("pk").values_list("pk", flat=True))
    htmls = [
        render_certificate_html(c)
        for c in Certificate.objects.select_related("user", "template", "course").order_by("pk")
    ]  # in the order of `ids`, so each round renders the same certificates both ways

    HTML(string=htmls[0]).write_pdf(pdf_variant="pdf/ua-1")  # warm fonts and caches for both runs

    def time_platform(share: list[int]) -> float:
        start = time.perf_counter()
        for certificate_id in share:
            render_certificate_pdf.apply(args=[certificate_id])
        return time.perf_counter() - start

    def time_bare(share: list[str]) -> float:
        start = time.perf_counter()
        for html in share:
            HTML(string=html, base_url=str(Path.cwd())).write_pdf(pdf_variant="pdf/ua-1")
        return time.perf_counter() - start

    platform_times, bare_times = [], []
    for round_number in range(rounds):
        share = slice(round_number, None, rounds)
        if round_number % 2 == 0:
            platform_times.append(time_platform(ids[share]))
            bare_times.append(time_bare(htmls[share]))
        else:
            bare_times.append(time_bare(htmls[share]))
            platform_times.append(time_platform(ids[share]))
    platform, bare = sum(platform_times), sum(bare_times)
    round_ratios = [p / b for p, b in zip(platform_times, bare_times, strict=True)]

    ready = Certificate.objects.filter(pdf_status="ready").exclude(pdf="").count()
    print(f"certificates: {count} in {rounds} interleaved rounds (PDFs stored: {ready})")
    print(f"platform (worker code path): {platform:.2f} s, {count / platform:.1f} certificates/s")
    print(f"bare WeasyPrint:             {bare:.2f} s, {count / bare:.1f} certificates/s")
    print("round ratios: " + " ".join(f"{r:.2f}" for r in round_ratios))
    print(f"ratio: {statistics.median(round_ratios):.2f}")


if __name__ == "__main__":
    main()
