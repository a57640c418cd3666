"""Middleware with no models behind it, usable by every app and by a host site."""

from django.core.signals import request_finished
from django.utils.cache import add_never_cache_headers

from . import logging as request_logging


class PrivateResponsesMiddleware:
    """Responses to a signed-in person are never kept by a browser or a shared cache.

    Manager pages, staff exports, reflections, attempts, certificates and the profile all show one
    person's data; `Cache-Control: no-store` keeps them out of the browser's history cache and any
    proxy on the way, so the next person at a shared ward computer cannot step back into them.
    A view that sets its own Cache-Control (a file meant to be cached) keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
            response["Cache-Control"] += ", private"
        return response


class RequestIdMiddleware:
    """Gives each request an id: the proxy's X-Request-ID when well formed, otherwise a new one.

    The id is on every log record written while the request is handled (core.logging), goes into
    the Celery tasks it queues (core.task_signals) and comes back in the response's X-Request-ID,
    so a line in the proxy's log, the app's and a worker's can be put together. It stays set until
    Django's request_finished signal rather than only inside this middleware: Django logs a 4xx
    answer ("Not Found: …") after the middleware chain has returned.
    Put it first in MIDDLEWARE (after django-prometheus's before-middleware) so redirects and
    refusals by the middleware below carry the id too.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        request_finished.connect(_forget_request_id, dispatch_uid="core.middleware.forget_request_id")

    def __call__(self, request):
        identifier = request_logging.request_id_from(request.headers.get(request_logging.REQUEST_ID_HEADER))
        request_logging.request_id.set(identifier)
        request.request_id = identifier
        response = self.get_response(request)
        response[request_logging.REQUEST_ID_HEADER] = identifier
        return response


def _forget_request_id(**kwargs) -> None:
    # A worker thread serves request after request: the next one must not inherit this id.
    request_logging.request_id.set(None)
