"""A new learner signs up, confirms their e-mail, enrols, finishes a module and sees their progress."""

import re

import pytest
from playwright.sync_api import expect

from courses.models import Enrolment, ModuleProgress
from people.models import User
from tests.factories import make_catalogue, make_course

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_new_learner_signs_up_enrols_and_completes_a_module(
    live_server, page, mailoutbox, accessibility_violations
):
    catalogue = make_catalogue()
    make_course(catalogue, title="Gruppeledelse i praksis", areas=("gruppeledelse",), modules=2)
    make_course(catalogue, title="Kommunikasjon med pårørende", areas=("kommunikasjon",), modules=2)

    # Sign up
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Opprett konto").click()
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    assert accessibility_violations(page) == []
    page.get_by_label(re.compile(r"^E-post")).fill("ny.sykepleier@test.example")
    page.get_by_label(re.compile(r"^Fornavn")).fill("Sigrid")
    page.get_by_label(re.compile(r"^Etternavn")).fill("Aas")
    page.get_by_role("group", name=re.compile(r"^Jeg er")).get_by_label("Helsepersonell").check()
    page.get_by_label(re.compile(r"^Yrke")).fill("Sykepleier")
    page.get_by_label(re.compile(r"^Passord:?$")).fill("Et-sterkt-passord-2026")
    page.get_by_label(re.compile(r"^Passord \(igjen\)")).fill("Et-sterkt-passord-2026")
    page.locator("main").get_by_role("button", name="Registrer deg").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bekreft")

    # Confirm the e-mail address from the link in the message
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/konto/confirm-email/\S+", mailoutbox[0].body).group(0)
    page.goto(link)
    page.locator("main").get_by_role("button", name="Bekreft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mine kurs")

    # Find the course in the catalogue by filtering on competence area
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Kurskatalog").click()
    page.get_by_label("Kompetanseområde", exact=True).select_option(label="Gruppeledelse")
    page.get_by_role("button", name="Vis kurs").click()
    expect(page.get_by_role("status")).to_have_text("1 kurs")
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Gruppeledelse i praksis").click()

    # Enrol and start
    page.get_by_role("button", name="Meld deg på kurset").click()
    expect(page.get_by_text("Du er meldt på «Gruppeledelse i praksis».")).to_be_visible()
    expect(page.get_by_text("0 av 2 moduler (0 %)")).to_be_visible()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="Start kurset").click()

    # Finish the first module
    expect(page.get_by_role("heading", level=1)).to_have_text("Modul 1")
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Marker modulen som fullført").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modul 2")

    # Progress on "Mine kurs", and the way back in
    page.get_by_role("link", name="Mine kurs", exact=True).click()
    expect(page.get_by_text("1 av 2 moduler (50 %)")).to_be_visible()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name=re.compile("Fortsett der du slapp")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modul 2")

    learner = User.objects.get(email="ny.sykepleier@test.example")
    assert learner.participant_type == "helsepersonell" and learner.profession == "Sykepleier"
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.course.title == "Gruppeledelse i praksis"
    assert ModuleProgress.objects.filter(enrolment=enrolment, completed_at__isnull=False).count() == 1
