"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server.

Locally the tests skip when /usr/bin/chromium is missing; CI sets
REQUIRE_BROWSER_TESTS=1, which turns a missing browser into a failure.
"""

import json
import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# calls from that thread (test set-up, assertions) are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER_TESTS"):
        pytest.fail(f"Nettlesertestene er påkrevd, men {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        _unavailable("chromium er ikke installert (apt-get install chromium)")
    if not AXE.exists():
        _unavailable("axe-core mangler (kjør npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def csp_violations_of(context) -> list[str]:
    """Collect every Content-Security-Policy violation the browser reports in any page of a context.

    Chromium reports each blocked script, style, frame or connection on the console; the site-wide
    policy (settings.CONTENT_SECURITY_POLICY) must hold on every page the tests visit, the Wagtail
    admin and the H5P player included.
    """
    violations: list[str] = []

    def listen(page):
        page.on(
            "console",
            lambda message: violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None,
        )

    context.on("page", listen)
    return violations


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="nb-NO", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    violations = csp_violations_of(context)
    page = context.new_page()
    yield page
    context.close()
    assert violations == [], "Brudd på Content-Security-Policy:\n" + "\n".join(violations)


@pytest.fixture
def accessibility_violations():
    """Run axe-core (WCAG 2.1 A and AA rules) on the current page; return serious and critical findings."""

    def run(page) -> list[str]:
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
        # govern (an injected <script> tag would be blocked as an inline script, rightly).
        page.evaluate(AXE.read_text(encoding="utf-8"))
        result = page.evaluate(
            """async () => await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}
            })"""
        )
        return [
            f"{v['id']} ({v['impact']}): {v['help']} – {json.dumps([n['target'] for n in v['nodes']])}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return run
