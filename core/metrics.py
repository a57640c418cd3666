"""Prometheus metrics: the /metrics view, who may read it, the Celery queue lengths read at scrape
time, and a helper the apps use to count and time their own work.

Request latency per view, database and cache metrics come from django-prometheus (its
middlewares, and its database and cache backends in production). The apps define their own
(certificates.metrics, h5p.metrics); core.task_signals counts Celery task outcomes.

Several gunicorn processes serve one app server, and each keeps its own counters. With
PROMETHEUS_MULTIPROC_DIR set (prometheus_client's multiprocess mode, the way django-prometheus
documents for several processes) every process writes its values to files in that folder and
whichever process answers the scrape adds them all up: one address per server, behind the same
access rule. (django-prometheus's alternative, a port per process, would need the monitoring to
know every process's port, and prometheus_client's own server has no access control.)

The view answers only a client in METRICS_ALLOWED_NETWORKS (default: the machine itself) or one
that sends `Authorization: Bearer <METRICS_TOKEN>`; everyone else gets 404, as if it did not
exist. No label carries personal data: views are labelled by their URL name, tasks by their
registered name, never by a path, a user or an address.
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Iterator

import prometheus_client
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector, CollectorRegistry

from .ratelimit import client_address

logger = logging.getLogger(__name__)

DEFAULT_ALLOWED_NETWORKS = ("127.0.0.0/8", "::1/128")
# Seconds to reach the broker when counting queued tasks; a scrape must stay quick even when the
# broker does not answer.
QUEUE_LENGTH_TIMEOUT = 2.0


@contextlib.contextmanager
def observe(counter, histogram, *, success: str = "success", error: str = "error") -> Iterator[dict]:
    """Count one piece of work by outcome and time it.

    The outcome is `success`, or `error` when the block raises, unless the block sets
    `outcome["outcome"]` itself (a package rejected, say)."""
    outcome = {"outcome": success}
    started = time.perf_counter()
    try:
        yield outcome
    except BaseException:
        if outcome["outcome"] == success:  # unless the block named the failure itself
            outcome["outcome"] = error
        raise
    finally:
        counter.labels(outcome=outcome["outcome"]).inc()
        histogram.observe(time.perf_counter() - started)


class RedisCacheWithMetrics(RedisCache):
    """Django's Redis cache, counting gets, hits, misses and failures in django-prometheus's
    django_cache_* counters (backend="redis"). django-prometheus's own class for this backend
    (NativeRedisCache) sits in a module that needs django-redis, which the platform does not use."""

    def get(self, key, default=None, version=None):
        from django_prometheus.cache.metrics import (
            django_cache_get_fail_total,
            django_cache_get_total,
            django_cache_hits_total,
            django_cache_misses_total,
        )

        django_cache_get_total.labels(backend="redis").inc()
        missing = object()
        try:
            result = super().get(key, default=missing, version=version)
        except Exception:
            django_cache_get_fail_total.labels(backend="redis").inc()
            raise
        if result is missing:
            django_cache_misses_total.labels(backend="redis").inc()
            return default
        django_cache_hits_total.labels(backend="redis").inc()
        return result


# --- Access -------------------------------------------------------------------------------------


def _allowed_networks():
    networks = getattr(settings, "METRICS_ALLOWED_NETWORKS", DEFAULT_ALLOWED_NETWORKS)
    return [ipaddress.ip_network(network, strict=False) for network in networks]


def _has_token(request) -> bool:
    expected = getattr(settings, "METRICS_TOKEN", "") or ""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), expected)


def _from_allowed_network(request) -> bool:
    # A request relayed by a proxy that TRUSTED_PROXY_COUNT does not count comes from the proxy's
    # address (often 127.0.0.1): that says nothing about the client, so it is not let in by address.
    if "HTTP_X_FORWARDED_FOR" in request.META and not getattr(settings, "TRUSTED_PROXY_COUNT", 0):
        return False
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in network for network in _allowed_networks())


def may_read_metrics(request) -> bool:
    return _has_token(request) or _from_allowed_network(request)


# --- Celery queue lengths -----------------------------------------------------------------------


class CeleryQueueLengthCollector(Collector):
    """`celery_queue_length{queue}`: tasks waiting in each of the app's queues, read from the broker
    when scraped; `celery_broker_reachable` says whether that worked.

    The passive queue declaration answers with the count: on Redis kombu sums LLEN over the
    queue's keys (one per priority step), on RabbitMQ it is AMQP's passive queue.declare. A queue
    the broker does not know yet has nothing waiting."""

    def __init__(self, app=None, timeout: float = QUEUE_LENGTH_TIMEOUT):
        self.app = app
        self.timeout = timeout

    def _app(self):
        if self.app is not None:
            return self.app
        from celery import current_app

        return current_app

    def queue_names(self, app) -> list[str]:
        return sorted(app.amqp.queues.keys()) or [app.conf.task_default_queue]

    def lengths(self) -> dict[str, int]:
        from kombu.exceptions import ChannelError

        app = self._app()
        options = {
            **(app.conf.broker_transport_options or {}),
            "socket_timeout": self.timeout,
            "socket_connect_timeout": self.timeout,
            "max_retries": 0,
        }
        lengths = {}
        with app.connection_for_read(connect_timeout=self.timeout, transport_options=options) as connection:
            connection.ensure_connection(max_retries=0, timeout=self.timeout)
            for name in self.queue_names(app):
                # A fresh channel per queue: RabbitMQ closes the channel on a passive declaration
                # of a queue it does not have.
                channel = connection.channel()
                try:
                    lengths[name] = channel.queue_declare(queue=name, passive=True).message_count
                except ChannelError:
                    lengths[name] = 0
                finally:
                    with contextlib.suppress(Exception):
                        channel.close()
        return lengths

    def collect(self):
        if not getattr(settings, "CELERY_BROKER_URL", ""):
            return  # eager Celery: no queue
        reachable = GaugeMetricFamily(
            "celery_broker_reachable", "Whether the broker answered the last scrape."
        )
        queued = GaugeMetricFamily(
            "celery_queue_length", "Tasks waiting in the broker's queue.", labels=["queue"]
        )
        try:
            lengths = self.lengths()
        except Exception:  # kombu and the clients raise many kinds; the log gets the details
            logger.warning("Could not read the Celery queue lengths from the broker", exc_info=True)
            reachable.add_metric([], 0)
            yield reachable
            return
        reachable.add_metric([], 1)
        for name, length in lengths.items():
            queued.add_metric([name], length)
        yield reachable
        yield queued


class _ThisProcess(Collector):
    """The default registry's metrics, for a registry built per scrape."""

    def collect(self):
        yield from prometheus_client.REGISTRY.collect()


def scrape_registry() -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(CeleryQueueLengthCollector())
    return registry


@never_cache
@require_safe
def metrics(request):
    """Prometheus's text format, for the monitoring only (see may_read_metrics)."""
    if not may_read_metrics(request):
        raise Http404
    return HttpResponse(
        prometheus_client.generate_latest(scrape_registry()),
        content_type=prometheus_client.CONTENT_TYPE_LATEST,
    )
