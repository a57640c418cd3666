"""A manager follows their staff's required learning: dashboard, filter, drill-down, assigning a course."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from requirements.models import RequiredLearning
from requirements.services import assignment_create
from tests.e2e.test_assessment_journey import log_in
from tests.factories import UserFactory, add_member, complete_course, make_catalogue, make_course, make_unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_sees_overdue_staff_and_assigns_a_course(live_server, page, accessibility_violations):
    catalogue = make_catalogue()
    clinic = make_unit("Medisinsk klinikk", unit_type="klinikk")
    ward = make_unit("Hjerteavdelingen", parent=clinic, unit_type="avdeling")
    other = make_unit("Annen kommune", unit_type="kommune")
    manager = UserFactory(email="leder@test.example")
    add_member(manager, clinic, role="manager")
    late = UserFactory(first_name="Siri", last_name="Sen")
    done = UserFactory(first_name="Tor", last_name="Tidlig")
    stranger = UserFactory(first_name="Ulf", last_name="Utenfor")
    add_member(late, ward)
    add_member(done, ward)
    add_member(stranger, other)
    hygiene = make_course(catalogue, title="Smittevern", modules=1)
    today = timezone.localdate()
    assignment_create(by=None, course=hygiene, unit=clinic, due_date=today - timedelta(days=3))
    assignment_create(by=None, course=hygiene, unit=other, due_date=today - timedelta(days=3))
    complete_course(done, hygiene)
    new_course = make_course(catalogue, title="Samvalg", modules=1)

    log_in(page, live_server.url, manager.email)
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Påkrevd opplæring").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Påkrevd opplæring")
    expect(page.get_by_role("link", name="Siri Sen")).to_be_visible()
    expect(page.get_by_text("Ulf Utenfor")).to_have_count(0)
    assert accessibility_violations(page) == []

    page.get_by_label("Status").select_option(label="Forfalt")
    page.get_by_role("button", name="Vis").click()
    expect(page.get_by_role("link", name="Siri Sen")).to_be_visible()
    expect(page.get_by_role("link", name="Tor Tidlig")).to_have_count(0)

    page.get_by_role("link", name="Siri Sen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Siri Sen")
    expect(page.get_by_role("cell", name="Forfalt")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Påkrevd opplæring").first.click()
    page.get_by_role("link", name="Tildel et kurs").click()
    assert accessibility_violations(page) == []
    page.get_by_label(re.compile(r"^Kurs:?$")).select_option(label="Samvalg")
    page.get_by_label(re.compile(r"^Enhet:?$")).select_option(label="Hjerteavdelingen")
    page.get_by_label(re.compile("Antall dager etter")).check()
    page.get_by_label(re.compile(r"^Dager etter start")).fill("30")
    page.get_by_role("button", name="Forhåndsvis tildelingen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Se over tildelingen")
    expect(page.get_by_text(re.compile(r"2 personer får kurset som påkrevd"))).to_be_visible()
    assert RequiredLearning.objects.filter(course=new_course).count() == 0
    assert accessibility_violations(page) == []
    page.get_by_role("button", name="Bekreft og tildel").click()
    expect(page.get_by_text(re.compile(r"«Samvalg» er tildelt\. 2 personer"))).to_be_visible()
    assert RequiredLearning.objects.filter(course=new_course).count() == 2
