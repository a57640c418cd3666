"""Every learner page runs at most MAX_QUERIES SQL queries, and the same number at any data size.

A signed-in learner visits the catalogue, a course, a module of each kind (text, quiz, reflection,
H5P, video and other content blocks), «Mine kurs», «Mine kursbevis», «Mine refleksjoner», «Min konto»
and «Mine data»; then the data grows (more courses than a catalogue page holds, more modules in the
measured course, more enrolments, completed courses with a kursbevis each, other learners) and every
page must run exactly as many queries as before.

Each page is measured on a repeat visit with the shared cache warm (routes, the site, the menu's
catalogue link, the catalogue's filters and the course's fragments are kept there, see
content/routing.py): the state every page is in after its first visit since the last publish.
"""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document

from courses import services
from courses.selectors import course_modules
from tests.factories import (
    UserFactory,
    add_block,
    add_quiz_block,
    add_reflection_block,
    complete_course,
    make_catalogue,
    make_certificate_template,
    make_course,
    make_module,
    make_quiz,
)
from tests.h5p.conftest import h5p_content  # noqa: F401 - the fixture, for the H5P module
from tests.h5p.players import module_with_h5p

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


@pytest.fixture
def learner_pages(user, h5p_content):  # noqa: F811 - the imported fixture
    """A course with one module of each kind, the learner enrolled, and one course completed."""
    catalogue = make_catalogue()
    course = make_course(catalogue, modules=1, areas=("kommunikasjon", "pedagogikk"))
    text = course_modules(course)[0]
    quiz = make_module(course, title="Kunnskapstest")
    add_quiz_block(quiz, make_quiz(course))
    reflection = make_module(course, title="Refleksjon")
    add_reflection_block(reflection)
    h5p, _block_id = module_with_h5p(course, h5p_content)
    video = make_module(course, title="Video og annet innhold")
    document = Document.objects.create(title="Film", file=ContentFile(b"\x00" * 16, name="film.mp4"))
    add_block(
        video, "video", {"title": "Film", "embed": None, "file": document.pk, "transcript": "<p>Tekst</p>"}
    )
    add_block(video, "callout", {"kind": "info", "title": "Husk", "text": "<p>Dette.</p>"})
    services.enrolment_create(user=user, course=course)
    finished = make_course(catalogue, modules=1)
    make_certificate_template(finished)
    complete_course(user, finished)
    urls = {
        "catalogue": catalogue.url,
        "course": course.url,
        "module (text)": text.url,
        "module (quiz)": quiz.url,
        "module (reflection)": reflection.url,
        "module (H5P)": h5p.url,
        "module (video, callout)": video.url,
        "mine kurs": reverse("courses:my_courses"),
        "mine kursbevis": reverse("certificates:mine"),
        "mine refleksjoner": reverse("assessments:my_reflections"),
        "min konto": reverse("people:profile"),
        "mine data": reverse("people:my_data"),
    }
    return catalogue, course, urls


def grow(catalogue, course, learner):
    """More of everything: more catalogue pages, a longer course, more enrolments and kursbevis."""
    others = [UserFactory() for _ in range(2)]
    for number in range(10):
        extra = make_course(catalogue, modules=2, areas=("kommunikasjon", "pedagogikk"))
        for person in [learner, *others] if number < 6 else others:
            services.enrolment_create(user=person, course=extra)
            services.module_complete(user=person, module=course_modules(extra)[0])
        if number < 3:
            make_certificate_template(extra)
            complete_course(learner, extra)
    for number in range(6):
        make_module(course, title=f"Ekstra modul {number}")
    for person in others:
        services.enrolment_create(user=person, course=course)


def count_queries(client, url, django_assert_max_num_queries) -> int:
    client.get(url)  # a module's first visit records its start; the cache fills: measure a normal visit
    with django_assert_max_num_queries(MAX_QUERIES) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_learner_pages_run_at_most_twelve_queries_at_any_data_size(
    client, user, learner_pages, settings, django_assert_max_num_queries
):
    settings.CATALOGUE_PAGE_SIZE = 4  # 2 courses fit on one page, 12 take three
    catalogue, course, urls = learner_pages
    urls["catalogue, filtered and searched"] = f"{catalogue.url}?area=pedagogikk&q=Testkurs&side=1"
    client.force_login(user)
    small = {page: count_queries(client, url, django_assert_max_num_queries) for page, url in urls.items()}

    grow(catalogue, course, user)
    assert len(course_modules(course)) == 11
    urls["catalogue, page 2"] = f"{catalogue.url}?side=2"
    large = {page: count_queries(client, url, django_assert_max_num_queries) for page, url in urls.items()}

    assert large.pop("catalogue, page 2") == large["catalogue"]
    assert large == small
