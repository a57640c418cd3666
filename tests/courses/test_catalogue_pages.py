"""The catalogue in pages: a real link for each page (?side=N), with the filters and the search kept."""

import re

import pytest

from courses.models import CompetenceArea
from tests.factories import make_catalogue, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(settings):
    settings.CATALOGUE_PAGE_SIZE = 3
    catalogue = make_catalogue()
    for number in range(1, 8):  # 7 courses: pages of 3, 3 and 1
        make_course(catalogue, modules=0, title=f"Kurs {number:02d}", areas=("kommunikasjon",))
    make_course(catalogue, modules=0, title="Pedagogikk for alle", areas=("pedagogikk",))
    return catalogue


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 lang="nb"><a href="[^"]+">([^<]+)</a></h3>', html)


def pagination(html: str) -> str:
    match = re.search(r'<nav class="pagination catalogue-pages"[^>]*>.*?</nav>', html, re.S)
    return match.group(0) if match else ""


def test_first_page_lists_the_first_courses_and_links_every_page(client, catalogue):
    html = client.get(catalogue.url).content.decode()

    assert titles(html) == ["Kurs 01", "Kurs 02", "Kurs 03"]
    assert "8 kurs" in html
    nav = pagination(html)
    assert 'aria-label="Sider i kurskatalogen"' in nav
    assert "Side 1 av 3" in nav
    assert re.search(r'<a href="\?side=1" aria-current="page">', nav)
    assert '<a href="?side=2"' in nav and '<a href="?side=3"' in nav
    assert 'href="?side=2" rel="next"' in nav
    assert 'rel="prev"' not in nav
    assert '<link rel="next" href="?side=2">' in html


def test_a_later_page_lists_the_next_courses_with_links_back_and_on(client, catalogue):
    html = client.get(f"{catalogue.url}?side=2").content.decode()

    assert titles(html) == ["Kurs 04", "Kurs 05", "Kurs 06"]
    nav = pagination(html)
    assert "Side 2 av 3" in nav
    assert re.search(r'<a href="\?side=2" aria-current="page">', nav)
    assert 'href="?side=1" rel="prev"' in nav and 'href="?side=3" rel="next"' in nav
    assert '<link rel="prev" href="?side=1">' in html


def test_page_links_keep_the_filters_and_the_search(client, catalogue):
    html = client.get(f"{catalogue.url}?q=Kurs&area=kommunikasjon&side=3").content.decode()

    assert titles(html) == ["Kurs 07"]
    assert "7 kurs" in html
    nav = pagination(html)
    assert 'href="?q=Kurs&amp;area=kommunikasjon&amp;side=2" rel="prev"' in nav
    assert 'href="?q=Kurs&amp;area=kommunikasjon&amp;side=1"' in nav


def test_one_page_of_results_has_no_page_navigation(client, catalogue):
    html = client.get(f"{catalogue.url}?area=pedagogikk").content.decode()

    assert titles(html) == ["Pedagogikk for alle"]
    assert pagination(html) == ""


@pytest.mark.parametrize(
    ("side", "expected"),
    [
        ("abc", ["Kurs 01", "Kurs 02", "Kurs 03"]),
        ("0", ["Kurs 07", "Pedagogikk for alle"]),
        ("99", ["Kurs 07", "Pedagogikk for alle"]),
    ],
)
def test_a_page_number_that_does_not_exist_shows_the_first_or_last_page(client, catalogue, side, expected):
    response = client.get(f"{catalogue.url}?side={side}")

    assert response.status_code == 200
    assert titles(response.content.decode()) == expected


def test_the_filters_offer_the_areas_of_published_courses_and_follow_a_renamed_area(client, catalogue):
    html = client.get(catalogue.url).content.decode()
    assert '<option value="pedagogikk">' in html
    assert '<option value="gruppeledelse">' not in html  # no course has it

    area = CompetenceArea.objects.get(slug="pedagogikk")
    area.name = "Pedagogikk og læring"
    area.save()
    assert "Pedagogikk og læring" in client.get(catalogue.url).content.decode()


def test_a_course_published_later_appears_in_the_cached_filters(client, catalogue):
    assert '<option value="gruppeledelse">' not in client.get(catalogue.url).content.decode()
    make_course(catalogue, modules=0, title="Gruppe", areas=("gruppeledelse",)).save_revision().publish()

    assert '<option value="gruppeledelse">' in client.get(catalogue.url).content.decode()
