"""The health endpoints: liveness touches nothing, readiness names the failing check, never its text."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse
from health_check.exceptions import ServiceUnavailable

from core.health import CeleryBroker

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "hemmelig-passord"


def test_liveness_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("health_live"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "sessionid" not in response.cookies


def test_readiness_passes_on_the_test_database(client):
    response = client.get(reverse("health_ready"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert set(body.values()) == {"OK"}
    names = " ".join(body)
    assert "Database" in names and "Cache" in names and "Storage" in names
    assert "sessionid" not in response.cookies


def test_readiness_answers_json_on_format_parameter_and_html_otherwise(client):
    assert client.get(reverse("health_ready") + "?format=json")["Content-Type"] == "application/json"
    assert client.get(reverse("health_ready"))["Content-Type"].startswith("text/html")


def test_readiness_names_the_failing_cache_without_its_message(client):
    with mock.patch(
        "django.core.cache.backends.locmem.LocMemCache.aset",
        side_effect=ConnectionError(f"redis://:{SECRET}@redis:6379/0"),
    ):
        response = client.get(reverse("health_ready"), HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    body = response.json()
    failed = [name for name, status in body.items() if status != "OK"]
    assert len(failed) == 1 and "Cache" in failed[0]
    assert SECRET not in response.content.decode()


def test_readiness_names_the_failing_database_without_its_message(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError(f"password authentication failed for {SECRET}"),
    ):
        response = client.get(reverse("health_ready") + "?format=json")
    assert response.status_code == 500
    failed = [name for name, status in response.json().items() if status != "OK"]
    assert len(failed) == 1 and "Database" in failed[0]
    assert SECRET not in response.content.decode()
    html = client.get(reverse("health_ready"))  # the HTML page neither
    assert SECRET not in html.content.decode()


def test_broker_is_not_checked_with_eager_celery(client, settings):
    settings.CELERY_BROKER_URL = ""
    with mock.patch.object(CeleryBroker, "run") as run:
        response = client.get(reverse("health_ready") + "?format=json")
    run.assert_not_called()
    assert not any("CeleryBroker" in name for name in response.json())


def test_broker_is_checked_when_configured(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    with mock.patch.object(CeleryBroker, "run", side_effect=ServiceUnavailable(f"no {SECRET}")):
        response = client.get(reverse("health_ready") + "?format=json")
    assert response.status_code == 500
    failed = [name for name, status in response.json().items() if status != "OK"]
    assert failed == ["CeleryBroker()"]
    assert SECRET not in response.content.decode()
