"""Page routes and the site lookup from the shared cache (content/routing.py) follow every change.

A cached route saves the walk down the page tree, but a page that is unpublished, moved, renamed,
deleted or restricted must never be served from a stale entry.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses.selectors import course_modules
from tests.factories import make_catalogue, make_course

pytestmark = pytest.mark.django_db


def routing_queries(client, url) -> list[str]:
    """The queries of a page view that read pages, sites or view restrictions."""
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    tables = ("wagtailcore_page", "wagtailcore_site", "wagtailcore_pageviewrestriction")
    return [q["sql"] for q in queries if any(table in q["sql"] for table in tables)]


@pytest.fixture
def course():
    return make_course(make_catalogue(), modules=2)


def test_a_repeat_visit_finds_the_page_and_site_without_walking_the_tree(client, course):
    first = routing_queries(client, course.url)
    repeat = routing_queries(client, course.url)
    response = client.get(course.url)

    assert response.status_code == 200
    assert response.context["page"].pk == course.pk
    assert len(first) - len(repeat) >= 6  # the site, the walk from the root, the view restrictions
    assert not any("wagtailcore_site" in sql or "wagtailcore_pageviewrestriction" in sql for sql in repeat)


def test_an_unpublished_page_is_not_served_from_the_cache(client, course):
    client.get(course.url)
    course.unpublish()
    assert client.get(course.url).status_code == 404


def test_a_renamed_page_answers_at_its_new_address_only(client, course):
    old_url = course.url
    client.get(old_url)
    course.slug = "nytt-navn"
    course.save_revision().publish()
    course.refresh_from_db()

    assert client.get(old_url).status_code == 404
    assert client.get(course.url).status_code == 200


def test_a_deleted_page_is_not_served_and_another_page_can_take_its_address(client, course):
    catalogue = course.get_parent()
    url = course.url
    client.get(url)
    slug = course.slug
    course.delete()
    assert client.get(url).status_code == 404

    newcomer = make_course(catalogue, modules=1, slug=slug)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].pk == newcomer.pk


def test_a_moved_page_is_routed_at_its_new_place(client, course):
    module = course_modules(course)[0]
    old_url = module.url
    client.get(old_url)
    other = make_course(course.get_parent(), modules=0)
    module.move(other, pos="last-child")
    module.refresh_from_db()

    assert module.url.startswith(other.url)
    assert client.get(old_url).status_code != 200  # Wagtail's redirect to the new place, or 404
    assert client.get(module.url).status_code in (200, 302)  # 302: to the course page, not enrolled


def test_a_view_restriction_added_later_is_enforced(client, course):
    assert client.get(course.url).status_code == 200
    PageViewRestriction.objects.create(page=course.get_parent(), restriction_type=PageViewRestriction.LOGIN)

    response = client.get(course.url)
    assert response.status_code == 302
    assert "/konto/" in response.url or "login" in response.url



def test_sites_with_wagtail_i18n_are_routed_by_wagtail(client, settings, course):
    """With translations the route depends on the active language, which a cached route does not name."""
    settings.WAGTAIL_I18N_ENABLED = True
    routing_queries(client, course.url)
    repeat = routing_queries(client, course.url)
    assert client.get(course.url).status_code == 200
    # Wagtail finds the site and walks the tree again: nothing came from the cache.
    assert any("wagtailcore_site" in sql for sql in repeat)
    assert sum("wagtailcore_page" in sql for sql in repeat) >= 4
