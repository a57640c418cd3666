"""A visitor pages through a long catalogue with a filter on, by keyboard-reachable links."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import make_catalogue, make_course

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_visitor_pages_through_the_filtered_catalogue(live_server, page, settings, accessibility_violations):
    settings.CATALOGUE_PAGE_SIZE = 3
    catalogue = make_catalogue()
    for number in range(1, 8):
        make_course(catalogue, title=f"Kommunikasjon {number}", areas=("kommunikasjon",), modules=0)
    make_course(catalogue, title="Gruppeledelse i praksis", areas=("gruppeledelse",), modules=0)

    page.goto(f"{live_server.url}{catalogue.url}")
    pages = page.get_by_role("navigation", name="Sider i kurskatalogen")
    expect(pages).to_contain_text("Side 1 av 3")
    assert accessibility_violations(page) == []

    page.get_by_label("Kompetanseområde", exact=True).select_option(label="Kommunikasjon")
    page.get_by_role("button", name="Vis kurs").click()
    expect(page.get_by_role("status")).to_contain_text("7 kurs")
    pages.get_by_role("link", name="Neste side").click()

    expect(page).to_have_url(re.compile(r"area=kommunikasjon.*side=2"))
    expect(pages).to_contain_text("Side 2 av 3")
    expect(pages.locator("[aria-current=page]")).to_have_text("Side 2")
    expect(page.get_by_role("link", name="Kommunikasjon 4")).to_be_visible()
    expect(page.get_by_role("link", name="Gruppeledelse i praksis")).to_have_count(0)
    assert accessibility_violations(page) == []

    pages.get_by_role("link", name="Side 3").click()
    expect(page.get_by_role("link", name="Kommunikasjon 7")).to_be_visible()
    expect(pages.get_by_role("link", name="Neste side")).to_have_count(0)
