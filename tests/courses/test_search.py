"""Catalogue search finds parts of Norwegian compound words, and the filters offer only values in use."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Audience, CourseFormat, CourseLanguage
from tests.factories import make_catalogue, make_course
from tests.markers import requires_postgresql

pytestmark = pytest.mark.django_db


def found(client, catalogue, **params) -> list[str]:
    response = client.get(catalogue.url, params)
    assert response.status_code == 200
    return re.findall(r'<h3 lang="\w+"><a href="[^"]+">([^<]+)</a></h3>', response.content.decode())


@pytest.fixture
def courses(catalogue):
    make_course(catalogue, title="Medisinbruk hos eldre", summary="Samtaler om legemidler.")
    make_course(catalogue, title="Pasientopplæring i grupper", summary="Gruppeledelse for kursholdere.")
    make_course(catalogue, title="Kommunikasjon", summary="Samtaler med pårørende.")
    return catalogue


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("medisin", ["Medisinbruk hos eldre"]),  # the start of a compound
        ("bruk", ["Medisinbruk hos eldre"]),  # its end
        ("Medisinbruk", ["Medisinbruk hos eldre"]),  # the whole word, any case
        ("opplæring", ["Pasientopplæring i grupper"]),
        ("ledelse", ["Pasientopplæring i grupper"]),  # inside a compound in the summary
        ("samtaler", ["Kommunikasjon", "Medisinbruk hos eldre"]),
        ("medisin eldre", ["Medisinbruk hos eldre"]),  # every word must match
        ("medisin grupper", []),
        ("kirurgi", []),
    ],
)
def test_search_matches_parts_of_compound_words(client, courses, query, expected):
    assert found(client, courses, q=query) == expected


def test_search_and_filters_combine(client, catalogue):
    make_course(catalogue, title="Medisinbruk for brukere", audience=Audience.USER_REPRESENTATIVES)
    make_course(catalogue, title="Medisinbruk for helsepersonell", audience=Audience.HEALTH_PERSONNEL)
    assert found(client, catalogue, q="medisin", audience=Audience.USER_REPRESENTATIVES) == [
        "Medisinbruk for brukere"
    ]


def test_search_finds_only_live_courses_of_this_catalogue(client, catalogue):
    make_course(catalogue, title="Medisinbruk hos eldre")
    draft = make_course(catalogue, title="Medisinbruk i utkast")
    draft.unpublish()
    make_course(make_catalogue(slug="annen"), title="Medisinbruk i en annen katalog")
    assert found(client, catalogue, q="medisin") == ["Medisinbruk hos eldre"]


def test_search_query_count_does_not_grow_with_the_catalogue(client, catalogue):
    def count() -> int:
        client.get(catalogue.url, {"q": "medisin"})
        with CaptureQueriesContext(connection) as queries:
            client.get(catalogue.url, {"q": "medisin"})
        return len(queries)

    make_course(catalogue, title="Medisinbruk hos eldre", modules=1)
    small = count()
    for index in range(15):
        make_course(catalogue, title=f"Medisinbruk {index}", modules=1, areas=("kommunikasjon", "mestring"))
    assert len(found(client, catalogue, q="medisin")) == 16
    assert count() == small


def options(client, catalogue, name: str) -> list[str]:
    html = client.get(catalogue.url).content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)


def test_filters_offer_only_values_that_live_courses_have(client, catalogue):
    make_course(
        catalogue,
        areas=("mestring",),
        audience=Audience.HEALTH_PERSONNEL,
        course_language=CourseLanguage.NORWEGIAN_NYNORSK,
        format=CourseFormat.BLENDED,
    )
    draft = make_course(catalogue, areas=("pedagogikk",), course_language=CourseLanguage.ENGLISH)
    draft.unpublish()
    make_course(
        make_catalogue(slug="annen"), areas=("gruppeledelse",), audience=Audience.USER_REPRESENTATIVES
    )

    assert options(client, catalogue, "area") == ["", "mestring"]
    assert options(client, catalogue, "audience") == ["", Audience.HEALTH_PERSONNEL]
    assert options(client, catalogue, "language") == ["", CourseLanguage.NORWEGIAN_NYNORSK]
    assert options(client, catalogue, "format") == ["", CourseFormat.BLENDED]


def test_a_course_for_both_audiences_offers_both(client, catalogue):
    make_course(catalogue, audience=Audience.BOTH)
    assert options(client, catalogue, "audience") == [
        "",
        Audience.HEALTH_PERSONNEL,
        Audience.USER_REPRESENTATIVES,
    ]


def test_a_filter_value_no_course_has_is_refused_and_changes_nothing(client, catalogue):
    make_course(catalogue, title="Kommunikasjon", areas=("kommunikasjon",))
    response = client.get(catalogue.url, {"area": "pedagogikk"})
    assert "Et av filtrene har en ugyldig verdi og ble ikke brukt." in response.content.decode()
    assert found(client, catalogue, area="pedagogikk") == ["Kommunikasjon"]


@requires_postgresql
def test_postgresql_forgives_a_typo_in_the_title(client, courses):
    assert found(client, courses, q="medisinbrk") == ["Medisinbruk hos eldre"]
    assert found(client, courses, q="pasientoplæring") == ["Pasientopplæring i grupper"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mestring", ["Mestringsstrategier i hverdagen"]),  # the pilot's examples
        ("kommunikasjon", ["Pasientkommunikasjon"]),
        ("strategi", ["Mestringsstrategier i hverdagen"]),
        ("hverdag", ["Mestringsstrategier i hverdagen"]),  # a stem of an inflected word
    ],
)
def test_search_finds_the_pilots_compound_words_with_the_production_search_settings(
    client, catalogue, query, expected
):
    """Production's search settings (SEARCH_CONFIG norwegian; PostgreSQL full-text search when run
    there) keep finding parts of compounds."""
    make_course(catalogue, title="Mestringsstrategier i hverdagen", summary="Hvordan leve godt med sykdom.")
    make_course(catalogue, title="Pasientkommunikasjon", summary="Samtaler med pasienter.")
    make_course(catalogue, title="Gruppeledelse", summary="Å lede grupper.")
    assert found(client, catalogue, q=query) == expected


@requires_postgresql
def test_on_postgresql_search_stems_norwegian_words(client, catalogue):
    """Only Norwegian stemming links «pasientene» to «pasienter» (neither holds the other)."""
    make_course(catalogue, title="Samtaler", summary="Gode møter med pasienter og pårørende.")
    make_course(catalogue, title="Gruppeledelse", summary="Å lede grupper.")
    assert found(client, catalogue, q="pasientene") == ["Samtaler"]
