"""Prometheus metrics (core/metrics.py): who may read /metrics, the per-view latency series, the
counters of certificate renders, H5P extractions and Celery task outcomes, and the queue lengths
read from a real Redis broker."""

from __future__ import annotations

import os
import uuid
import zipfile
from unittest import mock

import pytest
from celery import Celery, shared_task
from django.urls import reverse
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from core.metrics import CeleryQueueLengthCollector

pytestmark = pytest.mark.django_db

BROKER_URL = os.environ.get("TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")
TOKEN = "a-long-random-token-for-the-scraper-0123456789"


def value(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scrape(client, **extra) -> dict[tuple[str, tuple], float]:
    response = client.get(reverse("metrics"), **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


# --- Access -------------------------------------------------------------------------------------


def test_closed_to_an_address_outside_the_allowed_networks(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.20.0.0/16"]
    assert client.get(reverse("metrics"), REMOTE_ADDR="192.0.2.7").status_code == 404
    assert client.get(reverse("metrics"), REMOTE_ADDR="10.20.3.4").status_code == 200


def test_by_default_only_the_machine_itself_may_read(client, settings):
    del settings.METRICS_ALLOWED_NETWORKS  # the default: loopback
    assert client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1").status_code == 200
    assert client.get(reverse("metrics"), REMOTE_ADDR="::1").status_code == 200
    assert client.get(reverse("metrics"), REMOTE_ADDR="192.0.2.7").status_code == 404


def test_a_bearer_token_opens_it_from_anywhere_and_a_wrong_one_does_not(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = []
    settings.METRICS_TOKEN = TOKEN
    url = reverse("metrics")
    assert client.get(url, REMOTE_ADDR="192.0.2.7", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert client.get(url, REMOTE_ADDR="192.0.2.7", HTTP_AUTHORIZATION=f"Bearer {TOKEN}x").status_code == 404
    assert client.get(url, REMOTE_ADDR="192.0.2.7", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 404
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 404


def test_without_a_configured_token_no_token_opens_it(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = []
    settings.METRICS_TOKEN = ""
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_a_request_relayed_by_an_uncounted_proxy_is_not_let_in_by_the_proxys_address(client, settings):
    """nginx on the same machine connects from 127.0.0.1: that must not open the metrics to the world."""
    del settings.METRICS_ALLOWED_NETWORKS
    settings.TRUSTED_PROXY_COUNT = 0
    relayed = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    assert client.get(reverse("metrics"), **relayed).status_code == 404
    # With the proxy counted, the client's own address decides.
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get(reverse("metrics"), **relayed).status_code == 404
    assert (
        client.get(reverse("metrics"), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code
        == 200
    )


def test_only_get_and_head(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    assert client.post(reverse("metrics")).status_code == 405


# --- What it shows ------------------------------------------------------------------------------


def test_latency_per_view_is_labelled_by_the_views_name_never_its_path(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    series = (
        "django_http_requests_latency_seconds_by_view_method_count",
        (("method", "GET"), ("view", "health_live")),
    )
    before = scrape(client).get(series, 0)
    assert client.get(reverse("health_live")).status_code == 200
    client.get("/sertifikat/00000000-0000-0000-0000-000000000000/")  # a path with an id in it

    samples = scrape(client)
    assert samples[series] == before + 1
    labels = {label_value for _name, pairs in samples for _label, label_value in pairs}
    assert not [label for label in labels if label.startswith("/") or "@" in label]


def test_queue_lengths_are_left_out_with_eager_celery(client, settings):
    settings.METRICS_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.CELERY_BROKER_URL = ""
    names = {name for name, _labels in scrape(client)}
    assert "celery_queue_length" not in names and "celery_broker_reachable" not in names


@pytest.fixture
def redis_app(settings):
    app = Celery("queue-length-test", broker=BROKER_URL, set_as_current=False)
    queue = f"obs-queue-length-{uuid.uuid4().hex}"
    app.conf.task_default_queue = queue
    settings.CELERY_BROKER_URL = BROKER_URL
    yield app
    with app.connection_for_write() as connection:
        # The queue and the bindings kombu keeps for it.
        connection.default_channel.client.delete(
            queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
        )


def test_the_queue_length_is_read_from_a_real_redis_queue(redis_app):
    collector = CeleryQueueLengthCollector(app=redis_app)
    assert collector.lengths() == {redis_app.conf.task_default_queue: 0}  # a queue not made yet

    for _ in range(3):
        redis_app.send_task("tests.core.never_run")
    samples = {
        (s.name, tuple(s.labels.values())): s.value for family in collector.collect() for s in family.samples
    }

    assert samples[("celery_broker_reachable", ())] == 1
    assert samples[("celery_queue_length", (redis_app.conf.task_default_queue,))] == 3


def test_an_unreachable_broker_is_reported_quickly_not_raised(settings):
    app = Celery("queue-length-test", broker="redis://127.0.0.1:1/7", set_as_current=False)
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/7"
    samples = [
        (s.name, s.value) for family in CeleryQueueLengthCollector(app=app).collect() for s in family.samples
    ]
    assert samples == [("celery_broker_reachable", 0)]


# --- The platform's own counters ----------------------------------------------------------------


@shared_task(name="tests.core.succeeds")
def succeeds():
    return None


@shared_task(name="tests.core.fails")
def fails():
    raise RuntimeError("as planned")


@shared_task(bind=True, name="tests.core.retries_once", max_retries=1)
def retries_once(self):
    if self.request.retries == 0:
        raise self.retry(countdown=0)


def test_task_outcomes_are_counted_by_task_name():
    counted = {
        (task, outcome): value("celery_task_outcomes_total", task=task, outcome=outcome)
        for task in ("tests.core.succeeds", "tests.core.fails", "tests.core.retries_once")
        for outcome in ("succeeded", "failed", "retried")
    }
    succeeds.apply()
    fails.apply(throw=False)
    retries_once.apply(throw=False)

    def moved(task, outcome):
        return value("celery_task_outcomes_total", task=task, outcome=outcome) - counted[(task, outcome)]

    assert moved("tests.core.succeeds", "succeeded") == 1
    assert moved("tests.core.fails", "failed") == 1 and moved("tests.core.fails", "succeeded") == 0
    assert moved("tests.core.retries_once", "retried") == 1
    assert moved("tests.core.retries_once", "failed") == 0


def test_certificate_renders_are_counted_and_timed(user, course):
    from certificates import services
    from certificates.models import Certificate
    from tests.factories import complete_course, make_certificate_template

    make_certificate_template(course)
    complete_course(user, course)
    certificate = Certificate.objects.get()
    success, error = (
        value("certificate_renders_total", outcome="success"),
        value("certificate_renders_total", outcome="error"),
    )
    timed = value("certificate_render_duration_seconds_count")

    services.certificate_render(certificate_id=certificate.pk, force=True)
    with (
        mock.patch("weasyprint.HTML.write_pdf", side_effect=RuntimeError("font")),
        pytest.raises(RuntimeError),
    ):
        services.certificate_render(certificate_id=certificate.pk, force=True)

    assert value("certificate_renders_total", outcome="success") == success + 1
    assert value("certificate_renders_total", outcome="error") == error + 1
    assert value("certificate_render_duration_seconds_count") == timed + 2


def test_h5p_extractions_are_counted_by_outcome_and_timed(
    django_user_model, settings, django_capture_on_commit_callbacks
):
    from h5p.models import H5PStatus
    from h5p.services import H5PPackageRejected, h5p_content_create
    from tests.h5p.packages import build, valid_files
    from tests.h5p.test_upload_limits import bad_crc, media_package

    admin = django_user_model.objects.create_superuser(email="admin@test.example", password="x")
    outcomes = {
        name: value("h5p_extractions_total", outcome=name) for name in ("ready", "failed", "rejected")
    }
    timed = value("h5p_extraction_duration_seconds_count")

    def corrupt():  # found only while inflating
        return bad_crc(media_package(zipfile.ZIP_STORED), "content/bilde.png")

    assert h5p_content_create(data=build(valid_files()), user=admin, title="Hel").status == H5PStatus.READY
    with pytest.raises(H5PPackageRejected):  # in the upload request: refused
        h5p_content_create(data=corrupt(), user=admin, title="Skadet")
    settings.H5P_EXTRACT_INLINE_BYTES = 0  # by the worker: marked failed
    with django_capture_on_commit_callbacks(execute=True):
        failed = h5p_content_create(data=corrupt(), user=admin, title="Skadet hos arbeideren")
    failed.refresh_from_db()
    assert failed.status == H5PStatus.FAILED

    moved = {name: value("h5p_extractions_total", outcome=name) - before for name, before in outcomes.items()}
    assert moved == {"ready": 1, "failed": 1, "rejected": 1}
    assert value("h5p_extraction_duration_seconds_count") == timed + 3


def test_the_redis_cache_counts_gets_hits_and_misses():
    from core.metrics import RedisCacheWithMetrics

    cache = RedisCacheWithMetrics(BROKER_URL, {"KEY_PREFIX": f"obs-cache-{uuid.uuid4().hex}"})
    before = {
        name: value(f"django_cache_get_{name}total", backend="redis") for name in ("", "hits_", "misses_")
    }
    try:
        cache.set("answer", 0)
        assert cache.get("answer") == 0  # a falsy value is a hit
        assert cache.get("nothing", "fallback") == "fallback"
    finally:
        cache.delete("answer")
    moved = {
        name: value(f"django_cache_get_{name}total", backend="redis") - count
        for name, count in before.items()
    }
    assert moved == {"": 2, "hits_": 1, "misses_": 1}


def test_the_worker_serves_its_metrics_on_its_own_port_only_when_asked(settings):
    import socket
    import urllib.request

    from core import task_signals

    settings.CELERY_METRICS_PORT = 0
    assert task_signals.start_worker_metrics_server() is None  # off by default

    with socket.socket() as probe:  # a free port on the loopback
        probe.bind(("127.0.0.1", 0))
        settings.CELERY_METRICS_PORT = probe.getsockname()[1]
    settings.CELERY_METRICS_ADDRESS = "127.0.0.1"
    task_signals.TASK_OUTCOMES.labels(task="tests.core.served", outcome="succeeded").inc()
    server = task_signals.start_worker_metrics_server()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/metrics", timeout=5) as response:
            body = response.read().decode()
    finally:
        server.shutdown()
        server.server_close()
    assert 'celery_task_outcomes_total{outcome="succeeded",task="tests.core.served"}' in body
