"""Page routing and the site lookup from the shared cache, so a page view does not walk the tree.

Wagtail finds the site of a request with one query and then the page by walking the tree from the
site's root, two queries per level, and asks the page and its ancestors for view restrictions in two
more: nine or more queries before a module page does anything. ``CachedRoutingMiddleware`` keeps
what that walk found in the shared Django cache (Redis in production: every app server sees the
same entries; nothing is kept in process memory) and hands it to Wagtail, which uses a route or a
site already on the request (``request._wagtail_route_for_request``, ``request._wagtail_site``):

* the site for a host and port;
* for a site and an address, the page id and type, its ``url_path`` and whether any view
  restriction applies to it or an ancestor.

A hit loads the page by id in one query, and is used only if the page is still live and still at
that address; anything else falls back to Wagtail's own routing. Only pages with Wagtail's own
``route()`` are cached (a page type that routes its own sub-addresses is always routed by Wagtail).

Every key carries a generation that publishing, unpublishing, moving or deleting a page, saving or
deleting a site and changing a view restriction replace (receivers connected in ContentConfig.ready()),
so all entries are forgotten at once; ROUTE_CACHE_TTL bounds any entry. Other content caches
(the menu's catalogue link, page fragments) use the same generation through ``content_cache_key()``.
"""

from __future__ import annotations

import uuid
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult

ROUTE_CACHE_TTL = 60 * 60
_GENERATION_KEY = "content:generation"
_NO_SITE = "none"


# The request being served, for content caches asked without one (a StreamField block loading the
# objects it chose, say): CachedRoutingMiddleware sets it for the length of each request, so the
# generation is still read once per request.
_current_request: ContextVar = ContextVar("content_current_request", default=None)


def content_generation(request=None) -> str:
    """The current generation of the published content (read once per request when one is given)."""
    if request is None:
        request = _current_request.get()
    if request is not None and hasattr(request, "_content_generation"):
        return request._content_generation
    generation = cache.get(_GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        # add(): two servers starting a generation at once agree on the first one.
        if not cache.add(_GENERATION_KEY, generation, None):
            generation = cache.get(_GENERATION_KEY) or generation
    if request is not None:
        request._content_generation = generation
    return generation


def content_cache_key(*parts, request=None) -> str:
    """A cache key that changes whenever pages are published, unpublished, moved or deleted."""
    return ":".join(["content", content_generation(request), *(str(part) for part in parts)])


def forget_content(**kwargs) -> None:
    """Start a new generation: every cached route, site and content fragment is read afresh.

    Again when the transaction commits: a request that read the old content in between must not
    have filled the new generation with it.
    """
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache.set(_GENERATION_KEY, uuid.uuid4().hex, None)


def _site_key(request) -> str:
    hostname = split_domain_port(request._get_raw_host())[0]
    return content_cache_key("site", hostname, request.get_port(), request=request)


def cached_site(request) -> Site | None:
    """Site.find_for_request from the shared cache; the result is also kept on the request for Wagtail."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    key = _site_key(request)
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        cache.set(key, site or _NO_SITE, ROUTE_CACHE_TTL)
    elif site == _NO_SITE:
        site = None
    request._wagtail_site = site
    return site


def _root_url_path(site: Site, request) -> str | None:
    # Wagtail keeps the site root paths in the cache itself (and forgets them when a site changes).
    # They are left on the request where Page.get_url(request) looks for them, so the page's own
    # links do not ask the cache a second time.
    root_paths = Site.get_site_root_paths()
    request._wagtail_cached_site_root_paths = root_paths
    return next((root.root_path for root in root_paths if root.site_id == site.pk), None)


def _is_cacheable(page: Page) -> bool:
    return type(page).route is Page.route


def _page_from_entry(entry: dict, expected_url_path: str) -> Page | None:
    try:
        model = apps.get_model(entry["model"])
    except (LookupError, KeyError):
        return None
    # The locale too: templates mark the page's language with it.
    page = model.objects.select_related("locale").filter(pk=entry["page_id"]).first()
    if page is None or not page.live or page.url_path != expected_url_path:
        return None
    if not entry["restricted"]:
        # Nothing restricts this page or its ancestors: spare Wagtail's check its two queries.
        page.get_view_restrictions = PageViewRestriction.objects.none
    return page


def route_for_request(request, path: str) -> RouteResult | None:
    """Page.route_for_request through the shared cache (the result is left on the request for Wagtail)."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        # Wagtail then routes from the root page's translation in the active language; the cached
        # address would name the default language's tree. Host sites with i18n route as Wagtail does.
        return Page.route_for_request(request, path)
    site = cached_site(request)
    root_url_path = _root_url_path(site, request) if site is not None else None
    if root_url_path is None:
        return Page.route_for_request(request, path)
    components = [component for component in path.split("/") if component]
    expected_url_path = root_url_path + "".join(f"{component}/" for component in components)
    key = content_cache_key("route", site.pk, expected_url_path, request=request)
    entry = cache.get(key)
    if entry is not None:
        page = _page_from_entry(entry, expected_url_path)
        if page is not None:
            request._wagtail_route_for_request = RouteResult(page)
            return request._wagtail_route_for_request
    result = Page.route_for_request(request, path)
    if result is not None:
        page, args, kwargs = result
        if not args and not kwargs and _is_cacheable(page) and page.url_path == expected_url_path:
            entry = {
                "page_id": page.pk,
                "model": page._meta.label_lower,
                "restricted": page.get_view_restrictions().exists(),
            }
            cache.set(key, entry, ROUTE_CACHE_TTL)
    return result


class CachedRoutingMiddleware:
    """Gives Wagtail's page view the site and the page from the shared cache (see the module docstring).

    Other views look the site up only if they need it (the footer does, through cached_site()).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_views.serve:
            path = view_kwargs.get("path", view_args[0] if view_args else "")
            route_for_request(request, path)
        return None
