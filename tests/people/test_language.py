import pytest
from django.urls import reverse

from tests.factories import make_course

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_bokmal_is_the_default_whatever_the_browser_prefers(client, catalogue):
    response = client.get(catalogue.url, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert html_lang(response) == "nb"
    assert "Kurskatalog" in response.content.decode()


def test_language_switch_changes_language_for_anonymous_visitors(client, catalogue):
    response = client.post(reverse("people:set_language"), {"language": "en", "next": catalogue.url})
    assert response.status_code == 302 and response["Location"] == catalogue.url
    response = client.get(catalogue.url)
    assert html_lang(response) == "en"
    assert response["Content-Language"] == "en"
    assert "Course catalogue" in response.content.decode()


def test_language_switch_is_remembered_on_the_profile(client, user, catalogue):
    client.force_login(user)
    client.post(reverse("people:set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "en"
    # A new browser without the cookie still gets English after login.
    client.cookies.clear()
    client.force_login(user)
    assert html_lang(client.get(catalogue.url)) == "en"


def test_unknown_language_is_ignored(client, user):
    client.force_login(user)
    client.post(reverse("people:set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "nb"


def test_language_switch_does_not_redirect_off_site(client):
    response = client.post(
        reverse("people:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_course_content_carries_the_course_language(client, user, catalogue):
    course = make_course(catalogue, course_language="se", title="Sámegiel kursa")
    client.force_login(user)
    page = client.get(course.url).content.decode()
    assert '<html lang="nb">' in page
    assert '<h1 lang="se">Sámegiel kursa</h1>' in page
    assert '<ul class="outcomes" lang="se">' in page
    # Interface text around the course content stays in the interface language.
    assert "<h2>Læringsutbytte</h2>" in page
