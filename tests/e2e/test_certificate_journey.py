"""A learner finishes a course, finds their kursbevis, downloads it, and an employer verifies it."""

import re

import pytest
from playwright.sync_api import expect

from certificates.models import Certificate
from courses import services
from courses.selectors import course_modules
from tests.factories import TEST_PASSWORD, UserFactory, make_catalogue, make_certificate_template, make_course

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_learner_gets_a_certificate_and_an_employer_verifies_it(
    live_server, browser, page, accessibility_violations
):
    course = make_course(
        make_catalogue(), title="Pedagogikk for kursholdere", areas=("pedagogikk",), modules=2
    )
    make_certificate_template(course, validity_months=24)
    learner = UserFactory(email="laerer@test.example", first_name="Åse", last_name="Ødegård")
    services.enrolment_create(user=learner, course=course)
    first, last = course_modules(course)
    services.module_complete(user=learner, module=first)

    # Log in and finish the last module
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label(re.compile(r"^E-post")).fill(learner.email)
    page.get_by_label(re.compile(r"^Passord")).fill(TEST_PASSWORD)
    page.locator("main").get_by_role("button", name="Logg inn", exact=True).click()
    page.goto(f"{live_server.url}{last.url}")
    page.get_by_role("button", name="Marker modulen som fullført").click()
    expect(page.get_by_text("Gratulerer! Du har fullført kurset")).to_be_visible()

    # The certificate is listed, with its PDF ready (Celery runs in-process here)
    page.get_by_role("link", name="Mine kursbevis").click()
    row = page.get_by_role("row", name=re.compile("Pedagogikk for kursholdere"))
    expect(row).to_contain_text("Gyldig")
    assert accessibility_violations(page) == []
    with page.expect_download() as download_info:
        row.get_by_role("link", name=re.compile("PDF")).click()
    assert download_info.value.suggested_filename.startswith("kursbevis-KB-")
    row.get_by_role("link", name="Pedagogikk for kursholdere", exact=True).click()
    expect(page.get_by_text("Åse Ødegård").first).to_be_visible()

    # An employer checks the code without logging in
    certificate = Certificate.objects.get(user=learner)
    employer = browser.new_context(locale="nb-NO").new_page()
    employer.goto(f"{live_server.url}/verifiser/")
    employer.get_by_label("Verifiseringskode").fill(certificate.verification_code)
    employer.get_by_role("button", name="Verifiser").click()
    result = employer.get_by_role("region", name="Kursbeviset er funnet")
    expect(result).to_contain_text("Gyldig")
    expect(result).to_contain_text("Åse Ødegård")
    expect(result).to_contain_text(certificate.serial)
    assert learner.email not in employer.content()
    assert accessibility_violations(employer) == []

    # Or by the serial number and check code read off the paper, typed loosely
    employer.goto(f"{live_server.url}/verifiser/")
    year, number = certificate.serial.split("-")[1:]
    employer.get_by_role("textbox", name="Serienummer").fill(f"kb {year} {int(number)}")
    employer.get_by_role("button", name="Sjekk kursbeviset").click()
    # The serial alone reveals nothing: the error is at the check code field, which has the focus
    expect(employer.get_by_text("Skriv også kontrollkoden.")).to_be_visible()
    expect(employer.get_by_role("textbox", name="Kontrollkode")).to_be_focused()
    expect(employer.get_by_role("textbox", name="Kontrollkode")).to_have_attribute("aria-invalid", "true")
    assert "Åse Ødegård" not in employer.content()
    assert accessibility_violations(employer) == []
    employer.get_by_role("textbox", name="Kontrollkode").fill(certificate.check_code_display.lower())
    employer.get_by_role("button", name="Sjekk kursbeviset").click()
    result = employer.get_by_role("region", name="Kursbeviset er funnet")
    expect(result).to_contain_text("Gyldig")
    expect(result).to_contain_text("Åse Ødegård")
    expect(result).to_contain_text(certificate.serial)
    assert accessibility_violations(employer) == []
    employer.context.close()
