"""Put the privacy statement and the accessibility statement under the front page, and point the
footer's setting to them. Only where the platform's front page exists and the pages do not."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from content import statements

STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _next_child_path(Page, parent) -> str:
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    number = 1 if last is None else int(last.path[-STEPLEN:], 36) + 1
    step = ""
    while number:
        number, digit = divmod(number, 36)
        step = ALPHABET[digit] + step
    return parent.path + step.rjust(STEPLEN, "0")


def create_statement_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("content.HomePage")
    InformationPage = apps.get_model("content.InformationPage")
    StatementSettings = apps.get_model("content.StatementSettings")

    home = HomePage.objects.order_by("path").first()
    if home is None:
        return  # the apps were installed into a site without the platform's front page
    site = Site.objects.filter(root_page_id=home.pk).first()
    organisation = (site.site_name if site else "") or getattr(settings, "WAGTAIL_SITE_NAME", "")
    contact = getattr(settings, "PRIVACY_CONTACT_EMAIL", "") or "personvern@localhost"
    address = getattr(settings, "PLATFORM_BASE_URL", "") or "http://127.0.0.1:8000"
    page_type, _ = ContentType.objects.get_or_create(app_label="content", model="informationpage")
    now = timezone.now()
    texts = statements.statement_texts(organisation=organisation, contact_email=contact, site_address=address)
    pages = {}
    for slug, (title, lead, body) in texts.items():
        existing = InformationPage.objects.filter(path__startswith=home.path, depth=home.depth + 1, slug=slug)
        page = existing.first()
        if page is None:
            if Page.objects.filter(path__startswith=home.path, depth=home.depth + 1, slug=slug).exists():
                continue  # another page already has the address: leave it to the editors
            page = InformationPage.objects.create(
                title=title,
                draft_title=title,
                slug=slug,
                content_type=page_type,
                path=_next_child_path(Page, home),
                depth=home.depth + 1,
                numchild=0,
                url_path=f"{home.url_path}{slug}/",
                locale_id=home.locale_id,
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                lead=lead,
                body=body,
            )
            Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)
            home.numchild += 1
        pages[slug] = page
    for site in Site.objects.filter(root_page_id=home.pk):
        setting, _ = StatementSettings.objects.get_or_create(site=site)
        setting.privacy_page = setting.privacy_page or pages.get(statements.PRIVACY_SLUG)
        setting.accessibility_page = setting.accessibility_page or pages.get(statements.ACCESSIBILITY_SLUG)
        setting.save()


class Migration(migrations.Migration):
    dependencies = [("content", "0005_information_page_statements")]

    operations = [migrations.RunPython(create_statement_pages, migrations.RunPython.noop)]
