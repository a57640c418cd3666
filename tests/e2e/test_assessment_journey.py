"""A learner writes a reflection, takes a quiz (answers survive a closed tab), passes, evaluates the course
and so completes it: everything in chromium, with axe-core checks on each new page."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import AttemptAnswer, EvaluationResponse, QuizAttempt, ReflectionAnswer
from courses import services as course_services
from courses.models import Enrolment
from courses.selectors import course_modules
from tests.factories import (
    TEST_PASSWORD,
    UserFactory,
    add_quiz_block,
    add_reflection_block,
    make_catalogue,
    make_course,
    make_quiz,
    q_matching,
    q_multiple,
    q_ordering,
    q_single,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, email):
    page.goto(f"{base_url}/konto/login/")
    page.get_by_label(re.compile(r"^E-post")).fill(email)
    page.get_by_label(re.compile(r"^Passord")).fill(TEST_PASSWORD)
    page.locator("main").get_by_role("button", name="Logg inn", exact=True).click()


def test_reflection_quiz_and_evaluation_complete_the_course(live_server, page, accessibility_violations):
    course = make_course(make_catalogue(), title="Samvalg i praksis", modules=1, evaluation_required=True)
    module = course_modules(course)[0]
    add_reflection_block(module, prompt="Beskriv en samtale der du brukte samvalg.", min_words=5)
    quiz = make_quiz(
        course,
        title="Kunnskapstest: samvalg",
        questions=[
            q_single("Hva er samvalg?", options=(("Å bestemme sammen", True), ("Å bestemme alene", False))),
            q_multiple(
                "Hvilke hører med?", options=(("Informasjon", True), ("Verdier", True), ("Tidspress", False))
            ),
            q_matching(
                "Koble sammen.", pairs=(("Spørre", "Hva er viktig for deg?"), ("Sjekke", "Teach-back"))
            ),
            q_ordering("Sett i rekkefølge.", steps=("Invitere", "Informere", "Bestemme")),
        ],
    )
    add_quiz_block(module, quiz)
    learner = UserFactory(email="laerer@test.example")
    course_services.enrolment_create(user=learner, course=course)

    log_in(page, live_server.url, learner.email)
    page.goto(f"{live_server.url}{module.url}")
    expect(page.get_by_role("heading", name="Refleksjonsoppgave")).to_be_visible()
    assert accessibility_violations(page) == []

    # Reflection: the draft saves itself while typing and is there after a reload.
    editor = page.get_by_role("textbox", name="Ditt svar")
    editor.click()
    page.keyboard.type("Jeg spurte hva som var viktig for pasienten")
    expect(page.get_by_text(re.compile(r"Utkast lagret kl\. \d\d:\d\d"))).to_be_visible()
    page.reload()
    expect(page.get_by_role("textbox", name="Ditt svar")).to_contain_text("hva som var viktig")
    page.get_by_role("button", name="Lever svaret").click()
    expect(page.get_by_text("Refleksjonen er levert.")).to_be_visible()
    assert ReflectionAnswer.objects.get(user=learner).status == "submitted"

    # Quiz: answers save as the learner goes, so a closed tab loses nothing.
    page.get_by_role("button", name="Start testen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kunnskapstest: samvalg")
    page.wait_for_load_state("load")  # the autosave script is deferred
    assert accessibility_violations(page) == []
    page.get_by_label("Å bestemme sammen").check()
    expect(page.get_by_text(re.compile(r"Svarene er lagret kl\. \d\d:\d\d"))).to_be_visible()
    attempt = QuizAttempt.objects.get(user=learner)
    assert AttemptAnswer.objects.filter(attempt=attempt, response__isnull=False).count() == 1
    page.reload()
    expect(page.get_by_label("Å bestemme sammen")).to_be_checked()

    page.get_by_label("Informasjon").check()
    page.get_by_label("Verdier").check()
    page.get_by_label("Spørre").select_option(label="Hva er viktig for deg?")
    page.get_by_label("Sjekke").select_option(label="Teach-back")
    page.get_by_label("Invitere", exact=True).select_option("1")
    page.get_by_label("Informere", exact=True).select_option("2")
    page.get_by_label("Bestemme", exact=True).select_option("3")
    page.get_by_role("button", name="Lever testen").click()
    expect(page.get_by_text("Bestått.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Du fikk 4 av 4 poeng \(100 %\)"))).to_be_visible()
    assert accessibility_violations(page) == []

    # Both activities done: the module is complete; the course waits for the evaluation.
    page.get_by_role("link", name="Tilbake til modulen").click()
    expect(page.get_by_text("Bestått").first).to_be_visible()
    page.goto(f"{live_server.url}{course.url}")
    expect(page.get_by_text("Svar på kursevalueringen for å fullføre kurset.")).to_be_visible()
    assert Enrolment.objects.get(user=learner).completed_at is None
    page.get_by_role("link", name="Evaluer kurset").click()
    assert accessibility_violations(page) == []
    for statement in (
        "Kurset var relevant for arbeidet eller rollen min.",
        "Jeg kan bruke det jeg lærte i praksis.",
        "Kurset fikk godt fram brukerens perspektiv og brukermedvirkning.",
        "Alt i alt er jeg fornøyd med kurset.",
    ):
        page.get_by_role("group", name=statement).get_by_label("5 – Helt enig").check()
    page.get_by_label("Hva var mest nyttig?").fill("Øvelsene på samvalg.")
    page.get_by_role("button", name="Send evalueringen").click()
    expect(page.get_by_text("Takk for evalueringen!")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Du fullførte kurset"))).to_be_visible()
    assert Enrolment.objects.get(user=learner).completed_at is not None
    assert EvaluationResponse.objects.get().most_useful == "Øvelsene på samvalg."
