"""Which activity is missing? The module page lists what is left by name, and courses:module_state
gives the same status as JSON so the page can follow an H5P answer or a submitted reflection live."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services as assessment_services
from courses import activities, services
from tests.factories import (
    UserFactory,
    add_block,
    add_quiz_block,
    add_reflection_block,
    make_catalogue,
    make_course,
    make_quiz,
)
from tests.h5p.conftest import h5p_content  # noqa: F401 - fixture
from tests.h5p.players import module_with_h5p, post, statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def module_with_three(user, h5p_content):  # noqa: F811
    """A module with an H5P activity, a reflection and a quiz, and an enrolled learner."""
    course = make_course(make_catalogue(), modules=0)
    module, h5p_block = module_with_h5p(course, h5p_content)
    reflection_block = add_reflection_block(module, min_words=None)
    quiz_block = add_quiz_block(module, make_quiz(course, title="Kunnskapstest: samvalg"))
    services.enrolment_create(user=user, course=course)
    module.refresh_from_db()
    return module, {"h5p": h5p_block, "reflection": reflection_block, "quiz": quiz_block}


def remaining_list(html: str) -> list[tuple[str, str]]:
    """(anchor, text) of each item in the list of what is left, in order."""
    match = re.search(r'<ul class="module-remaining"[^>]*>(.*?)</ul>', html, re.S)
    if match is None:
        return []
    return [
        (anchor, " ".join(re.sub(r"<[^>]+>", " ", text).split()))
        for anchor, text in re.findall(r'<li><a href="#([^"]+)"[^>]*>(.*?)</li>', match.group(1), re.S)
    ]


def test_kinds_name_their_blocks_and_anchors():
    assert activities.kind("reflection").block_title({"prompt": "x"}) == "Refleksjonsoppgave"
    assert activities.kind("quiz").anchor("abc") == "quiz-abc"
    assert activities.kind("h5p").anchor("abc") == "h5p-abc"


def test_module_page_names_every_activity_left_and_links_to_it(client, user, module_with_three):
    module, blocks = module_with_three
    client.force_login(user)
    html = client.get(module.url).content.decode()
    assert "Modulen blir fullført når du har gjort aktivitetene over. Dette gjenstår:" in html
    assert remaining_list(html) == [
        (f"h5p-{blocks['h5p']}", "Sant eller usant – Interaktiv aktivitet (H5P)"),
        (f"reflection-{blocks['reflection']}", "Refleksjonsoppgave"),
        (f"quiz-{blocks['quiz']}", "Kunnskapstest: samvalg – Kunnskapstest"),
    ]
    # Each link leads to its block on the page.
    for anchor, _text in remaining_list(html):
        assert f'id="{anchor}"' in html

    # Done in the ledger of this round: gone from the list.
    assessment_services.reflection_save(
        user=user,
        module=module,
        block_id=blocks["reflection"],
        prompt="Hva lærte du?",
        text="Mye.",
        is_html=False,
        submit=True,
    )
    html = client.get(module.url).content.decode()
    assert [anchor for anchor, _ in remaining_list(html)] == [
        f"h5p-{blocks['h5p']}",
        f"quiz-{blocks['quiz']}",
    ]


def test_module_state_follows_an_h5p_answer_without_reloading_the_page(client, user, module_with_three):
    module, blocks = module_with_three
    client.force_login(user)
    html = client.get(module.url).content.decode()
    state_url = reverse("courses:module_state", args=[module.pk])
    assert f'data-module-state="{state_url}"' in html
    assert "js/module-state.js" in html

    response = post(client, module, blocks["h5p"], statement(module, blocks["h5p"], email=user.email))
    assert response.json()["completed"] is True
    state = client.get(state_url).json()
    assert state["completed"] is False
    assert [item["anchor"] for item in state["remaining"]] == [
        f"reflection-{blocks['reflection']}",
        f"quiz-{blocks['quiz']}",
    ]
    assert state["announcement"] == "Dette gjenstår i modulen: Refleksjonsoppgave, Kunnskapstest: samvalg."
    assert remaining_list(state["html"]) == [
        (f"reflection-{blocks['reflection']}", "Refleksjonsoppgave"),
        (f"quiz-{blocks['quiz']}", "Kunnskapstest: samvalg – Kunnskapstest"),
    ]


def test_module_state_says_when_the_module_is_complete(client, user, h5p_content):  # noqa: F811
    course = make_course(make_catalogue(), modules=0)
    module, block_id = module_with_h5p(course, h5p_content)
    services.enrolment_create(user=user, course=course)
    client.force_login(user)
    post(client, module, block_id, statement(module, block_id, email=user.email))
    state = client.get(reverse("courses:module_state", args=[module.pk])).json()
    assert state["completed"] is True
    assert state["remaining"] == []
    assert state["announcement"] == "Modulen er fullført."
    assert "Fullført" in state["html"]
    assert "Du fullførte kurset" in state["html"]  # its only module: the course is complete too


def test_module_state_is_only_for_enrolled_learners(client, module_with_three):
    module, _blocks = module_with_three
    url = reverse("courses:module_state", args=[module.pk])
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


def test_module_page_queries_do_not_grow_with_its_activities(client, user, module_with_three):
    module, _blocks = module_with_three
    client.force_login(user)
    client.get(module.url)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(module.url).status_code == 200
        return len(queries)

    few = measure()
    course = module.get_parent().specific
    for number in range(4):
        add_reflection_block(module, prompt=f"Spørsmål {number}")
        add_quiz_block(module, make_quiz(course, title=f"Test {number}"))
        add_block(module, "h5p", dict(module.body.raw_data[0]["value"]))
    module.refresh_from_db()
    html = client.get(module.url).content.decode()
    assert len(remaining_list(html)) == 15
    assert measure() == few
