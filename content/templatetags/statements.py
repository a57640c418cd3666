"""`{% load statements %}{% statement_links as links %}`: the footer's links to the privacy and
accessibility statements (content.footer: cached per site, kept on the request)."""

from django import template
from django.utils.translation import gettext as _

from content import footer

register = template.Library()


def _labels() -> dict[str, str]:
    return {"privacy": _("Personvernerklæring"), "accessibility": _("Tilgjengelighetserklæring")}


@register.simple_tag(takes_context=True)
def statement_links(context) -> list[dict]:
    """[{"kind", "url", "label"}] for each statement page that is set and live."""
    request = context.get("request")
    if request is None:
        return []
    labels = _labels()
    return [{**link, "label": labels[link["kind"]]} for link in footer.statement_links(request)]


@register.simple_tag(takes_context=True)
def statement_url(context, kind: str) -> str:
    """`{% statement_url "privacy" as privacy_url %}`: one statement's address, or ""."""
    request = context.get("request")
    if request is None:
        return ""
    return next((link["url"] for link in footer.statement_links(request) if link["kind"] == kind), "")
