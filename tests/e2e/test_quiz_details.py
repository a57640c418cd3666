"""Quiz details in chromium (issue 11, point 12): two steps in the same place are named at the
question as the answers save, a quick hand-in after a change is quiet, «Prøv igjen» is on the result
page, and «Ta kurset på nytt» asks first; axe-core checks each page."""

import pytest
from playwright.sync_api import expect

from assessments.models import AttemptAnswer, QuizAttempt
from courses import services
from courses.models import Enrolment
from courses.selectors import course_modules
from tests.factories import (
    TEST_PASSWORD,
    UserFactory,
    add_quiz_block,
    complete_course,
    make_catalogue,
    make_course,
    make_quiz,
    q_multiple,
    q_ordering,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, email):
    page.goto(f"{base_url}/konto/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("main").get_by_role("button", name="Logg inn", exact=True).click()
    expect(page.locator("input[name=password]")).to_have_count(0)


def test_ordering_duplicates_quiet_submit_and_try_again(live_server, page, accessibility_violations):
    course = make_course(make_catalogue(), title="Samvalg", modules=1)
    module = course_modules(course)[0]
    quiz = make_quiz(
        course,
        title="Kunnskapstest: samvalg",
        max_attempts=2,
        questions=[
            q_multiple("Hvilke hører med? (Velg alle som passer.)"),
            q_ordering("Sett i rekkefølge.", steps=("Invitere", "Informere", "Bestemme")),
        ],
    )
    add_quiz_block(module, quiz)
    learner = UserFactory(email="test@test.example")
    services.enrolment_create(user=learner, course=course)
    errors = []
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    log_in(page, live_server.url, learner.email)
    page.goto(f"{live_server.url}{module.url}")
    page.get_by_role("button", name="Start testen").click()
    expect(page.get_by_text("(Velg alle som passer.)")).to_have_count(1)
    # The autosave script is deferred: a change made before it has run would never be saved.
    page.wait_for_load_state("load")

    # Two steps in place 1: the autosave is refused and says so at the question.
    page.get_by_label("Invitere", exact=True).select_option("1")
    expect(page.get_by_text("Svarene er lagret kl.", exact=False)).to_be_visible()
    page.get_by_label("Informere", exact=True).select_option("1")
    error = page.locator(".quiz-question [data-question-error]")
    expect(error).to_have_text(
        "Feil: To eller flere steg har fått samme plass (1). Gi hvert steg sitt eget nummer."
    )
    expect(page.get_by_label("Informere", exact=True)).to_have_attribute("aria-invalid", "true")
    assert accessibility_violations(page) == []
    attempt = QuizAttempt.objects.get(user=learner)
    order_id = attempt.questions[1]["id"]
    assert AttemptAnswer.objects.get(attempt=attempt, question_id=order_id).response == {
        attempt.questions[1]["steps"][0]["id"]: 1
    }
    errors.clear()  # that refusal was the one expected 400

    # Fixed: the error goes. Then a change and the hand-in at once: no error anywhere.
    page.get_by_label("Informere", exact=True).select_option("2")
    expect(error).to_be_hidden()
    page.get_by_label("Bestemme", exact=True).select_option("3")
    page.get_by_role("button", name="Lever testen").click()
    expect(page.get_by_text("Ikke bestått.")).to_be_visible()  # the multiple-response question is unanswered
    assert errors == []
    assert accessibility_violations(page) == []

    # «Prøv igjen» starts the second (last) attempt.
    page.get_by_role("button", name="Prøv igjen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kunnskapstest: samvalg")
    assert QuizAttempt.objects.filter(user=learner).count() == 2


def test_taking_a_course_again_asks_first(live_server, page, accessibility_violations):
    course = make_course(make_catalogue(), title="Fullført kurs", modules=1)
    learner = UserFactory(email="igjen@test.example")
    complete_course(learner, course)
    log_in(page, live_server.url, learner.email)
    page.goto(f"{live_server.url}{course.url}")
    page.get_by_role("link", name="Ta kurset på nytt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ta «Fullført kurs» på nytt?")
    expect(page.get_by_role("heading", name="Dette beholdes")).to_be_visible()
    assert accessibility_violations(page) == []
    assert Enrolment.objects.get(user=learner).round == 1
    page.get_by_role("button", name="Ja, ta kurset på nytt").click()
    expect(page.get_by_text("Du har startet kurset på nytt.")).to_be_visible()
    assert Enrolment.objects.get(user=learner).round == 2
