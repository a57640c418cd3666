"""`{% load statements %}{% statement_links as links %}`: the footer's links to the privacy and
accessibility statements, from the site's StatementSettings (one query, then kept on the request)."""

from django import template
from django.utils.translation import gettext as _
from wagtail.models import Site

from content.models import StatementSettings

register = template.Library()


@register.simple_tag(takes_context=True)
def statement_links(context) -> list[dict]:
    """[{"kind", "url", "label"}] for each statement page that is set and live."""
    request = context.get("request")
    if request is None:
        return []
    links = getattr(request, "_statement_links", None)
    if links is not None:
        return links
    links = []
    site = Site.find_for_request(request)
    if site is not None:
        setting = StatementSettings.for_request(request)
        for kind, page, label in (
            ("privacy", setting.privacy_page, _("Personvernerklæring")),
            ("accessibility", setting.accessibility_page, _("Tilgjengelighetserklæring")),
        ):
            url = page.get_url(request) if page is not None and page.live else None
            if url:
                links.append({"kind": kind, "url": url, "label": label})
    request._statement_links = links
    return links


@register.simple_tag(takes_context=True)
def statement_url(context, kind: str) -> str:
    """`{% statement_url "privacy" as privacy_url %}`: one statement's address, or ""."""
    return next((link["url"] for link in statement_links(context) if link["kind"] == kind), "")
