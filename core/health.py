"""Health endpoints for the process manager and the load balancer.

`liveness` answers without touching the database or any other service: the process is up.
`ReadinessView` runs django-health-check's checks (the site's URL configuration says which) and
shows which one failed, but never the failure's own text: driver and client messages can name
hosts, users or connection strings. The failure itself, with its traceback, goes to the log.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from health_check.base import HealthCheck
from health_check.checks import Storage
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from .storage import private_storage


@never_cache
@require_safe
def liveness(request):
    """200 «ok» as long as the process answers; no database, cache or broker."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@dataclasses.dataclass
class CeleryBroker(HealthCheck):
    """The Celery broker (Redis or RabbitMQ) accepts a connection. Workers are not pinged: a web
    node is ready to serve even while the workers restart, and queued work waits in the broker."""

    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3), repr=False)

    def run(self):
        from celery import current_app

        try:
            with current_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, timeout=self.timeout.total_seconds())
        except Exception as error:  # kombu raises many kinds; the log gets the details
            raise ServiceUnavailable("broker unreachable") from error


@dataclasses.dataclass
class PrivateStorage(Storage):
    """The private storage (certificate PDFs, H5P files, data exports) takes, gives back and deletes a
    small file: the bucket when object storage is configured, else PRIVATE_MEDIA_ROOT."""

    alias: str = "private"

    @property
    def storage(self):
        return private_storage


class ReadinessView(HealthCheckView):
    """django-health-check's view; `broker_checks` run only when CELERY_BROKER_URL is set (with
    eager Celery there is no broker to check). Each failure shows only its kind."""

    broker_checks: tuple = ()

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if settings.CELERY_BROKER_URL:
            self.checks = (*self.checks, *self.broker_checks)

    @property
    def results(self):
        return self._results

    @results.setter
    def results(self, results):
        # The library logs each failure with its traceback before this; the answer names the check
        # and the kind of failure only.
        self._results = [
            dataclasses.replace(
                result, error=type(result.error)(gettext("se serverloggen"), timestamp=result.error.timestamp)
            )
            if result.error
            else result
            for result in results
        ]
