"""The HTML learners may write, and how everything else is removed.

Learner text (reflection answers) is cleaned with nh3 against a small
allow-list before it is stored, and the stored HTML is the only thing ever
rendered. Anything outside the list is dropped: scripts and styles with their
content, event-handler and style attributes, SVG, and links to any scheme but
http, https and mailto.
"""

from __future__ import annotations

import re

import nh3
from django.utils.html import escape, strip_tags

LEARNER_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a"}
LEARNER_ATTRIBUTES = {"a": {"href"}}
LEARNER_URL_SCHEMES = {"http", "https", "mailto"}
# Dropped together with their content, not just unwrapped.
REMOVED_WITH_CONTENT = {"script", "style", "svg", "math", "template", "iframe", "object", "noscript", "title"}

_BLANK_LINES = re.compile(r"\n\s*\n")


def learner_html_clean(html: str) -> str:
    """HTML from the learner's editor, reduced to the allow-list."""
    return nh3.clean(
        html,
        tags=LEARNER_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes=LEARNER_ATTRIBUTES,
        url_schemes=LEARNER_URL_SCHEMES,
        link_rel="noopener noreferrer",
        # No relative links: every kept link names its scheme.
        url_relative="deny",
    ).strip()


def plain_text_to_html(text: str) -> str:
    """Text from a plain textarea (no JavaScript): blank lines part paragraphs, single ones break lines."""
    paragraphs = [p.strip() for p in _BLANK_LINES.split(text.replace("\r\n", "\n")) if p.strip()]
    return "".join("<p>" + escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


def html_word_count(html: str) -> int:
    """Words a reader would count in the cleaned HTML."""
    return len(strip_tags(html.replace("<", " <")).split())
