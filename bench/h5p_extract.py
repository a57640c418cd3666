"""Benchmark: validate and extract a 10 MB H5P package, next to a plain unzip of the same file.

    .venv/bin/python bench/h5p_extract.py [--megabytes 10] [--rounds 11]

Builds the package in memory (a small library plus media files in the content
folder), then times
  platform: every upload check (archive safety, pyh5p parsing, library
            resolution) and the extraction into storage, as the worker runs it,
  bare:     zipfile.extractall of the same archive into a temporary folder.
The two take turns, round by round, and each side's figure is the median of its
rounds, so one round slowed down by something else on the machine does not decide
the result. After each round both sides' files are deleted, outside the timed part, so
each round starts from the same state on both sides (before, only the bare side's were).
The last line is `ratio: N.NN` (platform median over bare median); the target is 2 or less.
"""

import argparse
import io
import logging
import os
import shutil
import statistics
import tempfile
import time
import zipfile
from unittest import mock

from benchsetup import throwaway_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=11)
    args = parser.parse_args()

    with throwaway_database(log_level=logging.INFO, private_media="bench-h5p-"):
        run(args.megabytes, args.rounds)


def build_package(megabytes: int) -> bytes:
    from tests.h5p.packages import build, valid_files

    chunk = 256 * 1024
    media = {f"content/images/bilde-{i:03}.png": os.urandom(chunk) for i in range(megabytes * 4)}
    return build(valid_files(**media))


def run(megabytes: int, rounds: int) -> None:
    from core.storage import private_storage
    from h5p.services import h5p_content_create
    from h5p.tasks import extract_h5p_content
    from people.models import User

    admin = User.objects.create_superuser(email="bench@test.example", password=None)
    data = build_package(megabytes)

    # One untimed round first: it installs the package's library, which later uploads share.
    with mock.patch("h5p.services.transaction.on_commit", lambda f, robust=False: f()):
        h5p_content_create(data=data, user=admin, title="Oppvarming")

    platform: list[float] = []
    bare: list[float] = []
    for round_number in range(rounds):
        start = time.perf_counter()
        with mock.patch("h5p.services.transaction.on_commit", lambda f, robust=False: f()):
            content = h5p_content_create(data=data, user=admin, title=f"Benk {round_number}")
        platform.append(time.perf_counter() - start)
        assert content.__class__.objects.get(pk=content.pk).status == "ready"
        shutil.rmtree(private_storage.path(content.content_prefix))

        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                archive.extractall(folder)
            bare.append(time.perf_counter() - start)
    assert extract_h5p_content  # the task the platform path runs

    platform_ms, bare_ms = statistics.median(platform) * 1000, statistics.median(bare) * 1000
    print(f"package: {len(data) / 1_000_000:.1f} MB, median of {rounds} rounds")
    print(f"platform (checks + extraction to storage): {platform_ms:.0f} ms per package")
    print(f"bare unzip:                                {bare_ms:.0f} ms per package")
    print(f"ratio: {platform_ms / bare_ms:.2f}")


if __name__ == "__main__":
    main()
