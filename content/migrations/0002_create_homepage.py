"""Replace Wagtail's placeholder welcome page with the platform's front page.

Only on a fresh Wagtail install: in a site that already has pages of its own (the apps
installed into someone else's site) nothing is deleted or moved, and the host adds the
front page under the root in the admin.
"""

from django.db import migrations

HOME_TITLE = "Helsepedagogikk"
HOME_LEAD = (
    "Kurs i helsepedagogikk for helsepersonell og brukerrepresentanter: "
    "kommunikasjon, gruppeledelse, sykdom og diagnose, mestring, pedagogikk og brukermedvirkning."
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("content.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    placeholder = Page.objects.filter(depth=2, slug="home", content_type__model="page", numchild=0)
    if Page.objects.filter(depth=2).exclude(pk__in=placeholder.values("pk")).exists():
        return
    placeholder.delete()
    homepage_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="content")
    locale = Locale.objects.order_by("pk").first()
    homepage = HomePage.objects.create(
        title=HOME_TITLE,
        draft_title=HOME_TITLE,
        slug="home",
        content_type=homepage_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        lead=HOME_LEAD,
        locale=locale,
        live=True,
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": homepage, "site_name": HOME_TITLE},
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("content.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
