"""Benchmark: certificate PDFs through the worker code path versus a bare WeasyPrint render.

    .venv/bin/python bench/certificates.py [--count 200]

Builds a throw-away test database (SQLite in memory, or PostgreSQL when
DATABASE_URL is set), issues COUNT certificates, then times
  platform: the Celery task as a worker runs it (read the row, fill the
            template, QR code, WeasyPrint, store the file, update the row),
  bare:     WeasyPrint alone on the same HTML, already rendered.
The last line is `ratio: N.NN` (platform time over bare time); the target is 1.3 or less.
"""

import argparse
import logging
import time
from pathlib import Path
from unittest import mock

from benchsetup import throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()

    # Celery and WeasyPrint log every task and render step.
    with throwaway_database(log_level=logging.INFO, private_media="bench-certificates-"):
        run(args.count)


def run(count: int) -> None:
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
        render_certificate_html(c) for c in Certificate.objects.select_related("user", "template", "course")
    ]

    HTML(string=htmls[0]).write_pdf(pdf_variant="pdf/ua-1")  # warm fonts and caches for both runs

    start = time.perf_counter()
    for certificate_id in ids:
        render_certificate_pdf.apply(args=[certificate_id])
    platform = time.perf_counter() - start

    start = time.perf_counter()
    for html in htmls:
        HTML(string=html, base_url=str(Path.cwd())).write_pdf(pdf_variant="pdf/ua-1")
    bare = time.perf_counter() - start

    ready = Certificate.objects.filter(pdf_status="ready").exclude(pdf="").count()
    print(f"certificates: {count} (PDFs stored: {ready})")
    print(f"platform (worker code path): {platform:.2f} s, {count / platform:.1f} certificates/s")
    print(f"bare WeasyPrint:             {bare:.2f} s, {count / bare:.1f} certificates/s")
    print(f"ratio: {platform / bare:.2f}")


if __name__ == "__main__":
    main()
