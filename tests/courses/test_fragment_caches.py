"""The course page's fragment caches hold published content only, per language."""

import pytest
from django.test import Client

from courses.models import CourseContributor
from tests.factories import make_catalogue, make_course

pytestmark = pytest.mark.django_db


def test_a_preview_of_a_draft_never_fills_the_public_fragments():
    course = make_course(make_catalogue(), modules=1)
    CourseContributor.objects.create(course=course, name="Publisert Person", role="kursholder")
    course.save_revision().publish()
    visitor = Client()
    assert "Publisert Person" in visitor.get(course.url).content.decode()

    # A course holder adds someone in a draft (a new content generation) and previews it first.
    draft = course.specific.get_latest_revision_as_object()
    draft.contributors.add(CourseContributor(name="Hemmelig Utkast", role="fagperson"))
    draft.save_revision()
    preview = draft.make_preview_request()
    assert "Hemmelig Utkast" in preview.content.decode()

    page = visitor.get(course.url).content.decode()
    assert "Hemmelig Utkast" not in page and "Publisert Person" in page


def test_the_fragments_follow_the_interface_language():
    course = make_course(make_catalogue(), modules=1, areas=("kommunikasjon",))
    bokmal = Client()
    assert "Kompetanseområder" in bokmal.get(course.url).content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    page = english.get(course.url).content.decode()
    assert "Kompetanseområder" not in page and "Competence areas" in page
