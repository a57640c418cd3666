"""Learner HTML is reduced to the allow-list: nothing that runs script or loads anything survives."""

import pytest

from core.sanitising import html_word_count, learner_html_clean, plain_text_to_html

ATTACKS = [
    "<script>alert(1)</script><p>tekst</p>",
    '<img src="x" onerror="alert(1)"><p>tekst</p>',
    '<p><a href="javascript:alert(1)">lenke</a></p>',
    '<p><a href="JaVaScRiPt:alert(1)">lenke</a></p>',
    '<svg onload="alert(1)"><circle r="5"/></svg><p>tekst</p>',
    '<p style="background:url(javascript:alert(1))" onclick="alert(1)">tekst</p>',
    "<style>p{color:red}</style><p>tekst</p>",
    '<iframe src="https://example.com"></iframe><p>tekst</p>',
    '<p><a href="data:text/html,<script>alert(1)</script>">lenke</a></p>',
]


@pytest.mark.parametrize("html", ATTACKS)
def test_attacks_come_out_harmless(html):
    clean = learner_html_clean(html).lower()
    for needle in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "<svg",
        "style",
        "<img",
        "<iframe",
        "data:",
    ):
        assert needle not in clean


def test_allowed_formatting_survives_and_links_get_rel():
    html = (
        "<p><strong>Fet</strong> <em>kursiv</em><br>linje</p><ul><li>en</li></ul><ol><li>to</li></ol>"
        '<p><a href="https://helsenorge.no" target="_blank">lenke</a> <a href="mailto:a@b.no">e-post</a></p>'
    )
    clean = learner_html_clean(html)
    for kept in (
        "<strong>Fet</strong>",
        "<em>kursiv</em>",
        "<br>",
        "<ul><li>en</li></ul>",
        "<ol><li>to</li></ol>",
    ):
        assert kept in clean
    assert '<a href="https://helsenorge.no" rel="noopener noreferrer">lenke</a>' in clean
    assert 'href="mailto:a@b.no"' in clean
    assert "target" not in clean


def test_plain_text_is_escaped_into_paragraphs():
    assert plain_text_to_html("Første <b>avsnitt</b>\nlinje to\n\nAndre") == (
        "<p>Første &lt;b&gt;avsnitt&lt;/b&gt;<br>linje to</p><p>Andre</p>"
    )


def test_word_count_ignores_markup():
    assert html_word_count("<p>en <strong>to</strong></p><ul><li>tre</li></ul>") == 3
