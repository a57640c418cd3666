import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from certificates.models import Certificate
from tests.factories import complete_course, make_certificate_template, make_course

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    return html_lang_of(response.content.decode())


def html_lang_of(page: str) -> str:
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


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


# English interface, Norwegian content ------------------------------------------------------------


@pytest.fixture
def english_client(client, user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)
    return client


def test_english_catalogue_speaks_english_and_marks_norwegian_course_text(english_client, catalogue):
    make_course(catalogue, title="Samvalg i praksis", summary="Et kurs om samvalg.")
    page = english_client.get(catalogue.url).content.decode()
    assert html_lang_of(page) == "en"
    for english in ("Search courses", "All areas", "Show courses", "1 course", "Health personnel"):
        assert english in page
    # «Kurs» meaning the list of courses is «Courses»; meaning one course it is «Course».
    assert '<h2 id="results-heading" class="visually-hidden">Courses</h2>' in page
    for norwegian in ("Søk i kursene", "Alle områder", "Vis kurs", "1 kurs<", "Helsepersonell"):
        assert norwegian not in page
    # The page's own title and the courses are written in bokmål: screen readers must read them so.
    assert '<h1 lang="nb">Kurskatalog</h1>' in page
    assert '<h3 lang="nb"><a href="' in page and '<p lang="nb">Et kurs om samvalg.</p>' in page


def test_english_home_page_marks_its_norwegian_text(english_client, catalogue):
    page = english_client.get("/").content.decode()
    assert "See the course catalogue" in page and "Se kurskatalogen" not in page
    assert '<h1 id="page-title" lang="nb">' in page


def test_one_course_is_course_in_english(english_client, user, catalogue):
    course = make_course(catalogue, title="Samvalg i praksis", modules=1)
    make_certificate_template(course)
    complete_course(user, course)
    page = english_client.get(reverse("certificates:mine")).content.decode()
    assert '<th scope="col">Course</th>' in page
    assert 'lang="nb">Samvalg i praksis</a>' in page


def test_dates_in_norwegian_certificate_text_stay_norwegian_in_english_mode(english_client, user, catalogue):
    course = make_course(catalogue, title="Samvalg i praksis", modules=1)
    make_certificate_template(course)
    completed_at = complete_course(user, course).completed_at
    certificate = Certificate.objects.get(user=user)
    page = english_client.get(reverse("certificates:detail", args=[certificate.public_id])).content.decode()
    with translation.override("nb"):
        norwegian_date = date_format(timezone.localtime(completed_at), "j. F Y")
    with translation.override("en"):
        english_month = date_format(timezone.localtime(completed_at), "F")
    body = page.split('class="certificate__body">', 1)[1].split("</p>", 1)[0]
    assert norwegian_date in body and english_month not in body


SHORT_PASSWORD = {
    "email": "ny@test.example",
    "first_name": "Ny",
    "last_name": "Person",
    "participant_type": "helsepersonell",
    "password1": "kort12",
    "password2": "kort12",
}


def test_password_errors_are_in_bokmal_in_the_norwegian_interface(client, catalogue):
    page = client.post(reverse("account_signup"), SHORT_PASSWORD).content.decode()
    assert "Passordet er for kort. Det må ha minst 12 tegn." in page
    assert "too short" not in page


def test_password_errors_are_in_english_in_the_english_interface(client, catalogue):
    client.post(reverse("people:set_language"), {"language": "en", "next": "/"})
    page = client.post(reverse("account_signup"), SHORT_PASSWORD).content.decode()
    assert "This password is too short. It must contain at least 12 characters." in page
