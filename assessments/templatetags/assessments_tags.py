from html import unescape

from django import template
from django.utils.html import strip_tags

register = template.Library()


@register.filter
def as_plain_text(html: str) -> str:
    """Stored reflection HTML as text for the plain textarea used without JavaScript."""
    text = html.replace("</p>", "\n\n").replace("<br>", "\n").replace("</li>", "\n")
    # Unescaped here because the template escapes it again; otherwise "&" grows with every save.
    return unescape(strip_tags(text)).strip()


@register.filter
def percent(value) -> str:
    """0.734 → '73 %'; None → '–'."""
    if value is None:
        return "–"
    return f"{round(value * 100)} %"
