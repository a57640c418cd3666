"""The footer's links to the privacy and accessibility statements.

Read from the site's StatementSettings (one query, with both pages joined) and then kept in the
cache per site, so a page normally spends no query on its footer. Publishing, unpublishing,
moving or deleting a statement page, or saving the setting, forgets the cached links
(receivers connected in ContentConfig.ready()); STATEMENT_LINKS_TTL bounds any miss.
"""

from __future__ import annotations

from django.core.cache import cache
from wagtail.models import Site

from .routing import cached_site

STATEMENT_LINKS_TTL = 60 * 60
KINDS = ("privacy", "accessibility")


def _key(site_id: int) -> str:
    return f"content:statement-links:{site_id}"


def statement_links(request) -> list[dict]:
    """[{"kind", "url"}] for each statement page that is set and live, for the request's site."""
    links = getattr(request, "_statement_links", None)
    if links is not None:
        return links
    site = cached_site(request)
    if site is None:
        links = []
    else:
        links = cache.get(_key(site.pk))
        if links is None:
            links = _read(request, site)
            cache.set(_key(site.pk), links, STATEMENT_LINKS_TTL)
    request._statement_links = links
    return links


def _read(request, site) -> list[dict]:
    from .models import StatementSettings

    setting = StatementSettings.for_site(site)
    links = []
    for kind in KINDS:
        page = getattr(setting, f"{kind}_page")
        url = page.get_url(request) if page is not None and page.live else None
        if url:
            links.append({"kind": kind, "url": url})
    return links


def forget_statement_links(**kwargs) -> None:
    cache.delete_many([_key(site_id) for site_id in Site.objects.values_list("pk", flat=True)])
