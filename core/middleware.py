"""Middleware with no models behind it, usable by every app and by a host site."""

from django.utils.cache import add_never_cache_headers


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
