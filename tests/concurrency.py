"""Running code in parallel threads, each with its own database connection, for the PostgreSQL tests."""

import threading

from django.db import connection


def run_concurrently(functions):
    """Run each function in its own thread and database connection, released together."""
    barrier = threading.Barrier(len(functions))
    errors = []

    def runner(function):
        try:
            barrier.wait(timeout=10)
            function()
        except Exception as error:  # noqa: BLE001 - collected and re-raised below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(f,)) for f in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return errors
