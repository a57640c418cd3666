"""The demo's privacy and accessibility statements: the platform's own text, naming the demo
organisation, published under the front page and linked from every footer. Safe to repeat."""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Site

from content import statements
from content.models import HomePage, InformationPage, StatementSettings

DEMO_ORGANISATION = "Lærings- og mestringssenteret i Demo helseforetak"
DEMO_PRIVACY_CONTACT = "personvern@demo.example"


def build(home: HomePage) -> dict[str, InformationPage]:
    address = getattr(settings, "PLATFORM_BASE_URL", "") or "http://127.0.0.1:8000"
    texts = statements.statement_texts(
        organisation=DEMO_ORGANISATION, contact_email=DEMO_PRIVACY_CONTACT, site_address=address
    )
    pages = {}
    for slug, (title, lead, body) in texts.items():
        page = InformationPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = home.add_child(instance=InformationPage(title=title, slug=slug, lead=lead, body=body))
        page.title, page.lead, page.body = title, lead, body
        page.save_revision().publish()
        pages[slug] = page
    for site in Site.objects.filter(root_page=home):
        setting = StatementSettings.for_site(site)
        setting.privacy_page = pages[statements.PRIVACY_SLUG]
        setting.accessibility_page = pages[statements.ACCESSIBILITY_SLUG]
        setting.save()
    return pages
