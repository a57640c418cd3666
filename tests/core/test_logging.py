"""Structured logs with a request id (core/logging.py, core.middleware.RequestIdMiddleware,
core/task_signals.py): the id comes from the proxy or is made, returns in the response, is on every
record of the request and of the Celery tasks it queues; the JSON lines parse; no e-mail addresses."""

from __future__ import annotations

import io
import json
import logging
import os
import threading
import uuid
from types import SimpleNamespace

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.conf import settings as django_settings

from core import logging as request_logging
from core import task_signals

pytestmark = pytest.mark.django_db

BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")


class Captured:
    """JSON lines written through the site's filter and formatter, as LOGGING configures them."""

    def __init__(self, *loggers: str):
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.addFilter(request_logging.RequestIdFilter())
        self.handler.setFormatter(request_logging.JsonFormatter())
        self.loggers = [logging.getLogger(name) for name in loggers]

    def __enter__(self):
        for logger in self.loggers:
            logger.addHandler(self.handler)
            self.previous_level = logger.level
            logger.setLevel(logging.INFO)
        return self

    def __exit__(self, *exc_info):
        for logger in self.loggers:
            logger.removeHandler(self.handler)
            logger.setLevel(self.previous_level)

    def records(self) -> list[dict]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]


def test_logging_settings_put_the_filter_and_the_chosen_format_on_the_handler():
    handler = django_settings.LOGGING["handlers"]["console"]
    assert handler["filters"] == ["request_id"]
    assert django_settings.LOGGING["filters"]["request_id"]["()"] == "core.logging.RequestIdFilter"
    assert handler["formatter"] == django_settings.LOG_FORMAT
    assert django_settings.LOGGING["formatters"]["json"]["()"] == "core.logging.JsonFormatter"


def test_a_json_line_parses_with_the_expected_keys_and_no_email_address():
    formatter = request_logging.JsonFormatter()
    record = logging.LogRecord(
        "people.services", logging.ERROR, __file__, 1, "mail to %s failed", ("kari@helse.example",), None
    )
    record.request = object()  # Django's request object is not written
    record.status_code = 500
    request_logging.RequestIdFilter().filter(record)

    line = json.loads(formatter.format(record))

    assert {"time", "level", "logger", "message", "request_id"} <= line.keys()
    assert line["level"] == "ERROR" and line["logger"] == "people.services"
    assert line["message"] == f"mail to {request_logging.EMAIL_REPLACEMENT} failed"
    assert line["request_id"] == "-"  # outside a request
    assert line["status_code"] == 500
    assert "request" not in line


def test_the_text_format_carries_the_request_id_and_no_email_address():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "hei %s", ("ola.nordmann@helse.example",), None
    )
    token = request_logging.request_id.set("abcdef0123456789")
    try:
        request_logging.RequestIdFilter().filter(record)
    finally:
        request_logging.request_id.reset(token)
    text = request_logging.TextFormatter().format(record)
    assert "[abcdef0123456789]" in text
    assert "@" not in text


@pytest.mark.urls("tests.core.request_id_urls")
def test_a_requests_records_and_its_tasks_records_carry_the_id_it_returns(client):
    with Captured("tests.core.request_id") as captured:
        response = client.get("/logg/")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32 and int(request_id, 16) >= 0  # made here: no proxy header
    records = captured.records()
    assert [record["message"] for record in records] == ["view says hello", "task says hello"]
    assert {record["request_id"] for record in records} == {request_id}
    # The eagerly run task is named on its record.
    assert records[1]["task_name"] == "tests.core.log_from_task"
    assert request_logging.current_request_id() is None  # nothing left for the next request


@pytest.mark.urls("tests.core.request_id_urls")
def test_the_proxys_request_id_is_kept_when_well_formed(client):
    with Captured("tests.core.request_id") as captured:
        response = client.get("/logg/", HTTP_X_REQUEST_ID="0f8e4c1d2b3a49e8a7f6e5d4c3b2a190")
    assert response["X-Request-ID"] == "0f8e4c1d2b3a49e8a7f6e5d4c3b2a190"
    assert {record["request_id"] for record in captured.records()} == {"0f8e4c1d2b3a49e8a7f6e5d4c3b2a190"}


@pytest.mark.parametrize(
    "header", ["short", "a" * 129, "bad id with spaces", "abc\ndef-injected-line", "ødelagt-id-12345"]
)
@pytest.mark.urls("tests.core.request_id_urls")
def test_a_malformed_request_id_is_replaced(client, header):
    response = client.get("/logg/", HTTP_X_REQUEST_ID=header)
    assert response["X-Request-ID"] != header
    assert request_logging.WELL_FORMED_REQUEST_ID.match(response["X-Request-ID"])


@pytest.mark.urls("tests.core.request_id_urls")
def test_djangos_not_found_record_after_the_middleware_carries_the_id(client):
    """Django logs a 4xx answer after the middleware chain has returned."""
    with Captured("django.request") as captured:
        response = client.get("/borte/", HTTP_X_REQUEST_ID="proxy-id-12345678")
    assert response.status_code == 404
    warnings = [record for record in captured.records() if record["message"].startswith("Not Found")]
    assert warnings and {record["request_id"] for record in warnings} == {"proxy-id-12345678"}


# --- The signal handlers, one by one ----------------------------------------------------------


def test_publishing_puts_the_current_request_id_in_the_task_headers():
    headers = {"task": "x"}
    token = request_logging.request_id.set("req-0000000001")
    try:
        task_signals.put_request_id_in_headers(headers=headers)
    finally:
        request_logging.request_id.reset(token)
    assert headers["request_id"] == "req-0000000001"

    outside = {"task": "x"}
    task_signals.put_request_id_in_headers(headers=outside)  # no request: nothing added
    assert "request_id" not in outside


def test_the_worker_restores_the_id_for_the_task_and_forgets_it_afterwards():
    task = SimpleNamespace(request=SimpleNamespace(request_id="req-0000000002"))
    task_signals.restore_request_id(task_id="t1", task=task)
    assert request_logging.current_request_id() == "req-0000000002"
    task_signals.forget_request_id(task_id="t1")
    assert request_logging.current_request_id() is None

    forged = SimpleNamespace(request=SimpleNamespace(request_id="bad\nid"))
    task_signals.restore_request_id(task_id="t2", task=forged)
    assert request_logging.current_request_id() is None
    task_signals.forget_request_id(task_id="t2")


# --- A real worker ------------------------------------------------------------------------------


@pytest.fixture
def redis_app():
    """A Celery app on the test broker (Redis) with a queue of its own, and an in-process worker."""
    import config.celery

    app = Celery("request-id-test", broker=BROKER_URL, set_as_current=False)
    app.conf.update(task_default_queue=f"obs-request-id-{uuid.uuid4().hex}", broker_connection_retry=False)
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0, timeout=2)
    except Exception as error:  # pragma: no cover - CI has Redis
        pytest.fail(f"Redis at {BROKER_URL} is needed: {error}")
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    yield app
    # The worker configured logging (core.task_signals.configure_worker_logging) at its level, and
    # made this app the current one: both back as they were.
    root.setLevel(level)
    root.handlers[:] = handlers
    config.celery.app.set_current()
    config.celery.app.set_default()
    with app.connection_for_write() as connection:
        queue = app.conf.task_default_queue  # the queue and the bindings kombu keeps for it
        connection.default_channel.client.delete(
            queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
        )


def test_a_task_run_by_a_worker_logs_with_the_id_of_the_request_that_queued_it(redis_app):
    done = threading.Event()
    seen = {}

    @redis_app.task(name="tests.core.remember_request_id")
    def remember_request_id():
        seen["request_id"] = request_logging.current_request_id()
        logging.getLogger("tests.core.worker").warning("in the worker")
        done.set()

    with (
        Captured("tests.core.worker") as captured,
        start_worker(redis_app, pool="solo", perform_ping_check=False, shutdown_timeout=10),
    ):
        token = request_logging.request_id.set("req-from-the-web-1234")
        try:
            remember_request_id.delay()
        finally:
            request_logging.request_id.reset(token)
        assert done.wait(30), "the worker did not run the task"

    assert seen["request_id"] == "req-from-the-web-1234"
    [record] = captured.records()
    assert record["request_id"] == "req-from-the-web-1234"
    assert record["task_name"] == "tests.core.remember_request_id"
