"""Celery signal handlers: the request id follows a request into its tasks, task outcomes are
counted, the worker logs as the web processes do and serves its metrics on its own port.

A site connects them once, from the module that makes its Celery app (config/celery.py):

    from core.task_signals import connect_task_signals
    connect_task_signals()

Handlers run in the process where Celery sends the signal: `before_task_publish` in the process
that queues the task (a web request), `task_prerun`/`task_postrun` and the outcome signals in
the process that runs it (a worker's pool process, or the web process itself with eager Celery).
"""

from __future__ import annotations

import logging
import logging.config
import os

from celery import signals
from prometheus_client import Counter

from . import logging as request_logging

logger = logging.getLogger(__name__)

REQUEST_ID_TASK_HEADER = "request_id"

# Labelled by the task's registered name only: never its arguments.
TASK_OUTCOMES = Counter(
    "celery_task_outcomes",
    "Celery tasks that finished, by task name and outcome (succeeded, failed, retried).",
    ["task", "outcome"],
)

_tokens: dict[str, object] = {}


def put_request_id_in_headers(headers=None, **kwargs) -> None:
    """before_task_publish: the current request's id goes with the message."""
    identifier = request_logging.current_request_id()
    if identifier and headers is not None and REQUEST_ID_TASK_HEADER not in headers:
        headers[REQUEST_ID_TASK_HEADER] = identifier


def restore_request_id(task_id=None, task=None, **kwargs) -> None:
    """task_prerun: the id the message carries is the current one while the task runs.

    A task run eagerly inside the request has no message headers and simply keeps the request's
    id; a task queued by beat or another task without one runs with none."""
    identifier = getattr(task.request, REQUEST_ID_TASK_HEADER, None) if task is not None else None
    if identifier and not request_logging.WELL_FORMED_REQUEST_ID.match(str(identifier)):
        identifier = None
    identifier = identifier or request_logging.current_request_id()
    _tokens[task_id] = request_logging.request_id.set(identifier)


def forget_request_id(task_id=None, **kwargs) -> None:
    """task_postrun: back to the id (or none) there was before the task."""
    token = _tokens.pop(task_id, None)
    if token is not None:
        request_logging.request_id.reset(token)


def _task_name(sender) -> str:
    return getattr(sender, "name", None) or "unknown"


def count_success(sender=None, **kwargs) -> None:
    TASK_OUTCOMES.labels(task=_task_name(sender), outcome="succeeded").inc()


def count_failure(sender=None, **kwargs) -> None:
    TASK_OUTCOMES.labels(task=_task_name(sender), outcome="failed").inc()


def count_retry(sender=None, **kwargs) -> None:
    TASK_OUTCOMES.labels(task=_task_name(sender), outcome="retried").inc()


def configure_worker_logging(loglevel=None, **kwargs) -> None:
    """setup_logging: the worker writes its log with the site's LOGGING (the same format, the
    request id), instead of Celery replacing the root logger's handlers with its own.
    The worker's -l/--loglevel still sets the level."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)


def metrics_registry():
    """What a worker's metrics port serves: every pool process's counters when
    PROMETHEUS_MULTIPROC_DIR is set (prefork runs tasks in child processes), else this process's."""
    import prometheus_client
    from prometheus_client import multiprocess

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return prometheus_client.REGISTRY


def start_worker_metrics_server(**kwargs):
    """worker_init (the worker's main process): serve /metrics on CELERY_METRICS_PORT, if set.

    Off by default. The port answers anyone who can reach it (prometheus_client's server has no
    access control), so bind it to an address only the monitoring network reaches
    (CELERY_METRICS_ADDRESS, default 127.0.0.1)."""
    from django.conf import settings

    port = getattr(settings, "CELERY_METRICS_PORT", None)
    if not port:
        return None
    import prometheus_client

    address = getattr(settings, "CELERY_METRICS_ADDRESS", "127.0.0.1")
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        logger.warning(
            "CELERY_METRICS_PORT is set without PROMETHEUS_MULTIPROC_DIR: tasks run in prefork pool "
            "processes are counted there and not served on the port"
        )
    server, _thread = prometheus_client.start_http_server(port, addr=address, registry=metrics_registry())
    logger.info("Celery worker metrics on %s:%s", address, server.server_port)
    return server


def forget_dead_pool_process(pid=None, **kwargs) -> None:
    """worker_process_shutdown: a pool process that ends leaves its live gauges behind otherwise."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid or os.getpid())


def connect_task_signals() -> None:
    """Connect every handler above (idempotent: each has a dispatch_uid)."""
    for signal, handler in (
        (signals.before_task_publish, put_request_id_in_headers),
        (signals.task_prerun, restore_request_id),
        (signals.task_postrun, forget_request_id),
        (signals.task_success, count_success),
        (signals.task_failure, count_failure),
        (signals.task_retry, count_retry),
        (signals.setup_logging, configure_worker_logging),
        (signals.worker_init, start_worker_metrics_server),
        (signals.worker_process_shutdown, forget_dead_pool_process),
    ):
        signal.connect(handler, weak=False, dispatch_uid=f"core.task_signals.{handler.__name__}")
