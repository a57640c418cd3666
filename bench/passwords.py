"""Benchmark: CPU time of one password hash plus verify, the platform's hasher against PBKDF2.

    .venv/bin/python bench/passwords.py [--runs 9]

Times (time.process_time, so CPU and not wall clock; runs interleaved, median of RUNS)
  argon2id: the platform's hasher, PASSWORD_HASHERS[0] in the base settings
            (people.hashers.PlatformArgon2PasswordHasher),
  pbkdf2:   Django's default PBKDF2PasswordHasher, what logins cost before.
A login verifies once; signing up or changing a password hashes once. Each figure is one
hash plus one verify, halved, i.e. the cost of one of them.
The last line is `ratio: N.NN` (the platform hasher's time over the 100 ms target); the target
is 1.0 or less.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

TARGET_SECONDS = 0.100
SAMPLE = "Et-sterkt-passord-2026"  # any password: the cost does not depend on it


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from people.hashers import PlatformArgon2PasswordHasher

    hashers = {"argon2id": PlatformArgon2PasswordHasher(), "pbkdf2": PBKDF2PasswordHasher()}
    times: dict[str, list[float]] = {name: [] for name in hashers}
    for _ in range(args.runs):
        for name, hasher in hashers.items():
            start = time.process_time()
            encoded = hasher.encode(SAMPLE, hasher.salt())
            assert hasher.verify(SAMPLE, encoded)
            times[name].append((time.process_time() - start) / 2)

    argon2 = PlatformArgon2PasswordHasher
    print(
        f"argon2id (m={argon2.memory_cost} KiB, t={argon2.time_cost}, p={argon2.parallelism}): "
        f"{statistics.median(times['argon2id']) * 1000:.1f} ms CPU per hash or verify"
    )
    print(
        f"pbkdf2 ({PBKDF2PasswordHasher.iterations} iterations): "
        f"{statistics.median(times['pbkdf2']) * 1000:.1f} ms CPU per hash or verify"
    )
    print(f"ratio: {statistics.median(times['argon2id']) / TARGET_SECONDS:.2f}")


if __name__ == "__main__":
    main()
