"""Production settings fail fast without secrets and pass `check --deploy` with them."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "k" * 20 + "Qx7!pL0#vB9@mN2$wR5%tY8^zC1&dF4*",
    "DJANGO_ALLOWED_HOSTS": "kurs.example.no",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/helsepedagogikk",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "DEFAULT_FROM_EMAIL": "kurs@example.no",
    "PLATFORM_BASE_URL": "https://kurs.example.no",
    "TRUSTED_PROXY_COUNT": "1",
}


def manage(*args, env: dict) -> subprocess.CompletedProcess:
    base = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    return subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_sqlite():
    result = manage("check", env={**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///x.db"})
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_production_passes_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_celery_runs_eagerly_without_a_broker_and_not_with_one():
    code = "from django.conf import settings; print(settings.CELERY_TASK_ALWAYS_EAGER)"
    eager = manage("shell", "-c", code, env={"DJANGO_SETTINGS_MODULE": "config.settings.dev"})
    assert eager.stdout.strip().endswith("True"), eager.stderr
    queued = manage(
        "shell",
        "-c",
        code,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.dev", "CELERY_BROKER_URL": "redis://x"},
    )
    assert queued.stdout.strip().endswith("False"), queued.stderr
