"""RP-initiated logout: after the local logout the browser goes on to the provider's
end_session_endpoint, so the person is signed out there too (when the provider offers it)."""

from __future__ import annotations

import logging

import requests
from allauth.socialaccount.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import resolve_url
from django.utils.http import urlencode

from .selectors import app_for

logger = logging.getLogger(__name__)

SESSION_KEY = "sso_end_session"
DISCOVERY_CACHE_SECONDS = 60 * 60


def _end_session_endpoint(app) -> str:
    """The provider's end_session_endpoint from its discovery document ('' if it has none)."""
    key = f"sso:end-session:{app.provider_id}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    url = app.settings["server_url"]
    if "/.well-known/" not in url:
        url = url.rstrip("/") + "/.well-known/openid-configuration"
    try:
        with get_adapter().get_requests_session() as session:  # bounded by SOCIALACCOUNT_REQUESTS_TIMEOUT
            response = session.get(url)
            response.raise_for_status()
            endpoint = response.json().get("end_session_endpoint") or ""
    except (requests.RequestException, ValueError):
        logger.warning("Fant ikke end_session_endpoint hos %s; bare lokal utlogging.", app.provider_id)
        return ""
    cache.set(key, endpoint, DISCOVERY_CACHE_SECONDS)
    return endpoint


def remember_provider_for_logout(request, provider_id: str) -> None:
    """At SSO login: keep in the session where logging out should also go."""
    app = app_for(provider_id)
    if app is None or not app.settings.get("rp_initiated_logout", True):
        request.session.pop(SESSION_KEY, None)
        return
    endpoint = _end_session_endpoint(app)
    if endpoint:
        request.session[SESSION_KEY] = {"endpoint": endpoint, "client_id": app.client_id}
    else:
        request.session.pop(SESSION_KEY, None)


def logout_url_at_provider(request) -> str | None:
    """Where to send the browser after the local logout, or None for a local logout only.

    The provider learns the client by client_id (RP-Initiated Logout 1.0 §2) and sends the
    person back to the platform's front page, which must be registered there as a
    post-logout redirect URI.
    """
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or not data.get("endpoint"):
        return None
    back = request.build_absolute_uri(resolve_url(settings.ACCOUNT_LOGOUT_REDIRECT_URL))
    query = urlencode({"client_id": data["client_id"], "post_logout_redirect_uri": back})
    separator = "&" if "?" in data["endpoint"] else "?"
    return f"{data['endpoint']}{separator}{query}"
