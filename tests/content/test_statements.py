"""The privacy and accessibility statements: editable pages put there by a migration (and the demo),
linked from every footer in one query, and the sign-up page's consent text linking to the first."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Site

from content.models import HomePage, InformationPage, StatementSettings
from content.templatetags.statements import statement_links
from tests.factories import UserFactory, make_catalogue, make_course

pytestmark = pytest.mark.django_db


def _pages():
    return {page.slug: page for page in InformationPage.objects.live()}


def test_the_migration_puts_both_statements_under_the_front_page_and_in_the_footer_setting():
    pages = _pages()
    privacy, accessibility = pages["personvern"], pages["tilgjengelighet"]
    home = HomePage.objects.get()
    assert privacy.get_parent().pk == home.pk and accessibility.get_parent().pk == home.pk
    setting = StatementSettings.for_site(Site.objects.get(is_default_site=True))
    assert (setting.privacy_page_id, setting.accessibility_page_id) == (privacy.pk, accessibility.pk)
    body = privacy.body
    for heading in (
        "Hvem er ansvarlig",
        "Hva vi lagrer",
        "Hvorfor vi lagrer det",
        "Hvor lenge",
        "Dine rettigheter",
    ):
        assert heading in body
    for stored in ("Refleksjoner", "anonymt", "Kursbevis", "Kunnskapstester", "innsyn", "slettet"):
        assert stored in body
    text = accessibility.body
    for heading in ("Status", "Dette er på plass", "Kjente avvik", "Gi oss tilbakemelding", "Klage"):
        assert heading in text
    assert "WCAG 2.1" in text and "uutilsynet.no" in text


def test_the_statement_pages_are_served(client):
    for page in _pages().values():
        response = client.get(page.url)
        assert response.status_code == 200
        assert f"<h1>{page.title}</h1>" in response.content.decode()


def _footer(html: str) -> str:
    return html[html.index('<footer class="site-footer">') :]


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_kind_of_page_links_to_both_statements_in_the_footer(client, signed_in):
    catalogue = make_catalogue()
    course = make_course(catalogue, modules=1)
    pages = _pages()
    if signed_in:
        client.force_login(UserFactory())
    urls = [
        "/",  # the front page (a Wagtail page)
        catalogue.url,  # the catalogue
        course.url,  # a course
        pages["personvern"].url,  # an information page
        reverse("certificates:verify"),  # a Django view
        reverse("account_login") if not signed_in else reverse("people:profile"),  # allauth / profile
        "/finnes-ikke/",  # the 404 page
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        footer = _footer(response.content.decode())
        assert f'href="{pages["personvern"].url}"' in footer, url
        assert "Personvernerklæring" in footer, url
        assert f'href="{pages["tilgjengelighet"].url}"' in footer, url
        assert "Tilgjengelighetserklæring" in footer, url


def test_the_footer_reads_the_statements_in_one_query_then_from_the_cache(django_assert_max_num_queries):
    def fresh_request():
        request = RequestFactory().get("/")
        Site.find_for_request(request)  # Wagtail looks the site up for every page anyway
        return request

    Site.get_site_root_paths()
    first, second = fresh_request(), fresh_request()
    with django_assert_max_num_queries(1):
        links = statement_links({"request": first})
    assert [link["kind"] for link in links] == ["privacy", "accessibility"]
    with django_assert_max_num_queries(0):  # the next page view
        assert statement_links({"request": second}) == links


def test_the_cached_links_follow_unpublishing_and_the_setting(client):
    pages = _pages()
    assert "Tilgjengelighetserklæring" in _footer(client.get("/").content.decode())  # now cached
    pages["tilgjengelighet"].unpublish()
    footer = _footer(client.get("/").content.decode())
    assert "Tilgjengelighetserklæring" not in footer
    assert f'href="{pages["personvern"].url}"' in footer

    setting = StatementSettings.for_site(Site.objects.get(is_default_site=True))
    setting.privacy_page = None
    setting.save()
    assert "Personvernerklæring" not in _footer(client.get("/").content.decode())

    pages["tilgjengelighet"].save_revision().publish()
    assert "Tilgjengelighetserklæring" in _footer(client.get("/").content.decode())


def test_the_front_page_still_points_to_the_catalogue_not_a_statement(client):
    catalogue = make_catalogue()
    html = client.get("/").content.decode()
    assert f'<a class="button" href="{catalogue.url}">' in html


def test_sign_up_shows_the_consent_text_with_a_link_to_the_privacy_statement(client):
    html = client.get(reverse("account_signup")).content.decode()
    privacy = _pages()["personvern"]
    start = html.index(f'action="{reverse("account_signup")}"')
    form = html[start : html.index("</form>", start)]
    assert "Når du oppretter en konto, lagrer vi" in form
    assert f'<a href="{privacy.url}">personvernerklæringen</a>' in form


def test_the_demo_loader_writes_the_statements_for_the_demo_organisation(client):
    from demo import statements as demo_statements

    home = HomePage.objects.get()
    pages = demo_statements.build(home)
    assert demo_statements.build(home).keys() == pages.keys()  # safe to repeat
    assert InformationPage.objects.filter(slug="personvern").count() == 1
    privacy = InformationPage.objects.get(slug="personvern")
    assert demo_statements.DEMO_ORGANISATION in privacy.body
    assert "personvern@demo.example" in privacy.body
    response = client.get(privacy.url)
    assert demo_statements.DEMO_ORGANISATION in response.content.decode()
