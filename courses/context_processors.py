from dataclasses import dataclass

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from content.routing import ROUTE_CACHE_TTL, cached_site, content_cache_key


@dataclass(frozen=True)
class CatalogueLink:
    """What the menu needs of the catalogue page: its id (to mark it current) and its address."""

    pk: int
    url: str


def course_catalogue(request):
    """The catalogue link for the site navigation, looked up only when a template uses it.

    Kept in the shared cache under the content generation (content/routing.py), so a page normally
    spends no query on it and publishing, moving or deleting a page forgets it. None when there is
    no live catalogue.
    """

    def first_catalogue():
        from .models import CourseCatalogPage

        site = cached_site(request)
        key = content_cache_key("catalogue-link", site.pk if site else "", request=request)
        link = cache.get(key)
        if link is None:
            page = CourseCatalogPage.objects.live().order_by("path").first()
            url = page.get_url(request) if page is not None else None
            link = CatalogueLink(pk=page.pk, url=url) if url else False
            cache.set(key, link, ROUTE_CACHE_TTL)
        return link or None

    return {"course_catalogue": SimpleLazyObject(first_catalogue)}
