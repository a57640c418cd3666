"""Every page type reflows at 320 CSS pixels (WCAG 2.1, 1.4.10): nothing wider than the window.

One browser context, 320 px wide, visits a page of each type a learner, a visitor and a manager
sees. A page fails when the document is wider than the window (a table, a chart, a long address or
a quiz row pushing it out); wide tables may scroll inside their own labelled region instead.
Each page is also checked with axe-core.
"""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from playwright.sync_api import expect

from assessments import services as assessment_services
from certificates.models import Certificate
from courses import services as course_services
from courses.selectors import course_modules
from h5p.models import H5PStatus
from h5p.services import h5p_content_create
from requirements.services import assignment_create
from tests.e2e.conftest import csp_violations_of
from tests.e2e.test_assessment_journey import log_in
from tests.factories import (
    UserFactory,
    add_block,
    add_member,
    add_quiz_block,
    add_reflection_block,
    complete_course,
    make_catalogue,
    make_certificate_template,
    make_course,
    make_quiz,
    make_unit,
    q_matching,
    q_ordering,
    q_single,
    wrong_post,
)
from tests.h5p.packages import FIXTURE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 320

# Long Norwegian compounds and long names: what pushes a narrow page wider in real use.
LONG_TITLE = "Kommunikasjonsferdigheter og brukermedvirkningsarbeid i spesialisthelsetjenesten"


def overflow(page) -> dict | None:
    """The document's width and the widest elements when it is wider than the window, else None."""
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            if (document.documentElement.scrollWidth <= width) return null;
            const culprits = [];
            for (const el of document.querySelectorAll('body *')) {
                const box = el.getBoundingClientRect();
                if (box.right > width + 1 && !el.closest('.table-scroll')) {
                    const name = `${el.tagName.toLowerCase()}.${el.className}`;
                    culprits.push(`${name} right=${Math.round(box.right)}`);
                }
            }
            return {scrollWidth: document.documentElement.scrollWidth, width, culprits: culprits.slice(0, 8)};
        }"""
    )


def scroll_regions_are_labelled(page) -> list[str]:
    """Scroll containers that a keyboard user cannot reach or a screen reader cannot name."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.table-scroll')]
            .filter(el => el.getAttribute('tabindex') !== '0' || el.getAttribute('role') !== 'region'
                          || !el.getAttribute('aria-label'))
            .map(el => el.outerHTML.slice(0, 120))"""
    )


def build(live_server_url):
    """A manager who is also a learner: courses in every state, a quiz, a reflection, an H5P activity."""
    catalogue = make_catalogue()
    learner = UserFactory(
        email="leder.med.et.svaert.langt.navn@helseforetak-eksempel.example",
        first_name="Anne-Marit Kristiansen-Fjellheim",
        last_name="Sørensen-Vestbøstad",
    )

    # A course with a quiz (matching and ordering rows), a reflection and an H5P activity in one module.
    course = make_course(catalogue, title=LONG_TITLE, modules=1, areas=("kommunikasjon", "brukermedvirkning"))
    module = course_modules(course)[0]
    reflection_id = add_reflection_block(module, prompt="Beskriv en samtale der pasienten medvirket.")
    quiz = make_quiz(
        course,
        title="Kunnskapstest: brukermedvirkningsarbeid",
        max_attempts=None,
        questions=[
            q_single(
                "Hva kjennetegner samvalg?",
                options=(
                    ("Pasienten og behandleren bestemmer sammen", True),
                    ("Behandleren bestemmer", False),
                ),
            ),
            q_matching(
                "Koble sammen.",
                pairs=(
                    ("Brukermedvirkningsprinsippet", "Pasientens rett til å medvirke i egen behandling"),
                    ("Kunnskapsbasert praksis", "Forskning, erfaring og pasientens ønsker sammen"),
                ),
            ),
            q_ordering("Sett i rekkefølge.", steps=("Invitere til samtale", "Informere om valg", "Bestemme")),
        ],
    )
    block_id = add_quiz_block(module, quiz)
    admin = UserFactory(email="admin@test.example", is_superuser=True, is_staff=True)
    content = h5p_content_create(data=FIXTURE.read_bytes(), user=admin, title="Sant eller usant")
    content.refresh_from_db()
    assert content.status == H5PStatus.READY, content.error
    add_block(module, "h5p", {"content": content.pk, "completion_rule": "completed", "pass_percent": 80})
    module.refresh_from_db()

    enrolment, _ = course_services.enrolment_create(user=learner, course=course)
    assessment_services.reflection_save(
        user=learner,
        module=module,
        block_id=reflection_id,
        prompt="Beskriv en samtale der pasienten medvirket.",
        text="Pasienten valgte selv mellom to behandlingsalternativer etter samtalen vår.",
        is_html=False,
        submit=False,
    )
    graded = assessment_services.attempt_start(
        user=learner, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
    )
    answers = MultiValueDict({key: [value] for key, value in wrong_post(graded).items()})  # as a form post
    assessment_services.attempt_submit(user=learner, attempt=graded, data=answers)
    in_progress = assessment_services.attempt_start(
        user=learner, quiz=quiz, enrolment=enrolment, module=module, block_id=block_id
    )

    # A finished course with a kursbevis.
    finished = make_course(catalogue, title="Pasientopplæringsprogrammer for helsepersonell", modules=1)
    make_certificate_template(finished, validity_months=24)
    complete_course(learner, finished)
    certificate = Certificate.objects.get(user=learner)

    # The same person manages a unit with staff and required courses (the matrix has many columns).
    clinic = make_unit("Klinikk for psykisk helsevern og rusbehandling", unit_type="klinikk")
    ward = make_unit(
        "Distriktspsykiatrisk senter, poliklinikk for voksne", parent=clinic, unit_type="avdeling"
    )
    add_member(learner, clinic, role="manager")
    staff = [
        UserFactory(first_name=f"Ansatt{index}", last_name="Langetternavnsen-Nordhagen") for index in range(3)
    ]
    for person in staff:
        add_member(person, ward)
    due = timezone.localdate() + timedelta(days=30)
    for index in range(6):
        required = make_course(
            catalogue, title=f"Påkrevd kurs i smittevernsrutiner nummer {index + 1}", modules=1
        )
        assignment_create(by=None, course=required, unit=clinic, due_date=due)
    assignment_create(by=None, course=finished, unit=clinic, due_date=due)

    return {
        "front page": "/",
        "catalogue": catalogue.url,
        "course": course.url,
        "module with quiz, reflection and H5P": module.url,
        "quiz attempt": reverse("assessments:attempt", args=[in_progress.public_id]),
        "quiz result": reverse("assessments:attempt_result", args=[graded.public_id]),
        "Mine kurs": reverse("courses:my_courses"),
        "Mine kursbevis": reverse("certificates:mine"),
        "certificate detail": reverse("certificates:detail", args=[certificate.public_id]),
        "verification": reverse("certificates:verify_code", args=[certificate.verification_code]),
        "Mine refleksjoner": reverse("assessments:my_reflections"),
        "profile": reverse("people:profile"),
        "manager dashboard": reverse("reports:dashboard"),
        "person record": reverse("reports:person", args=[staff[0].pk]),
        "assign page": reverse("requirements:assign"),
    }, learner


def check(page, name: str, accessibility_violations) -> list[str]:
    problems = []
    found = overflow(page)
    if found:
        problems.append(f"{name} ({page.url}): {found}")
    if unlabelled := scroll_regions_are_labelled(page):
        problems.append(f"{name}: scroll region without tabindex/role/label: {unlabelled}")
    if violations := accessibility_violations(page):
        problems.append(f"{name}: axe: {violations}")
    return problems


def test_every_page_type_reflows_at_320_px(live_server, browser, accessibility_violations):
    assert FIXTURE.exists(), "../shared/fixtures/h5p/true-false.h5p mangler"
    pages, learner = build(live_server.url)
    context = browser.new_context(locale="nb-NO", viewport={"width": WIDTH, "height": 640})
    context.set_default_timeout(15_000)
    csp_violations = csp_violations_of(context)
    page = context.new_page()
    problems = []

    # Signed out: sign-up and sign-in.
    page.goto(f"{live_server.url}/konto/signup/")
    problems += check(page, "sign-up", accessibility_violations)
    page.goto(f"{live_server.url}/konto/login/")
    problems += check(page, "sign-in", accessibility_violations)

    log_in(page, live_server.url, learner.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine kurs")
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        problems += check(page, name, accessibility_violations)
        if name == "manager dashboard":
            # The bar chart's bars stay visible on a phone.
            bar = page.locator(".bar-chart__bar").first
            assert (bar.bounding_box() or {}).get("width", 0) >= 40, "the unit bar chart has no width"
        if name == "quiz attempt":
            # The matching rows stack: prompt above its choice, both inside the window.
            select = page.get_by_label(re.compile("Brukermedvirkningsprinsippet"))
            assert select.bounding_box()["x"] + select.bounding_box()["width"] <= WIDTH
    context.close()
    assert not problems, "\n".join(problems)
    assert csp_violations == [], "\n".join(csp_violations)
