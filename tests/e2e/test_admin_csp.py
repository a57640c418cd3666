"""The Wagtail admin works under the site-wide Content-Security-Policy.

The `page` fixture fails the test on any CSP violation the browser reports; here an administrator
uses the admin screens whose widgets Wagtail starts with inline scripts (page editor, choosers in a
modal, date pickers), so a blocked script shows both as a violation and as a widget that does not work.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_assessment_journey import log_in
from tests.factories import UserFactory, make_catalogue, make_course

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_editor_chooser_and_date_picker_run_under_the_policy(live_server, page):
    course = make_course(make_catalogue(), title="Kommunikasjon i praksis", modules=1)
    admin = UserFactory(email="admin@test.example", is_staff=True, is_superuser=True)
    log_in(page, live_server.url, admin.email)

    # The page editor: StreamField, tabs and the publishing schedule's date-time pickers.
    page.goto(f"{live_server.url}/admin/pages/{course.pk}/edit/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kommunikasjon i praksis")
    page.wait_for_load_state("networkidle")

    # A snippet form with a page chooser: the chooser opens its modal and a page can be chosen.
    page.goto(f"{live_server.url}/admin/snippets/assessments/quiz/add/")
    page.get_by_role("button", name="Velg en side").first.click()
    modal = page.locator(".modal-dialog")
    expect(modal).to_be_visible()
    modal.get_by_role("link", name="Kommunikasjon i praksis").first.click()
    expect(modal).to_be_hidden()
    expect(page.locator("[data-chooser-title]").first).to_have_text("Kommunikasjon i praksis")

    # The user listing's date filter: the picker script attaches to its input.
    page.goto(f"{live_server.url}/admin/users/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => typeof window.initDateChooser") == "function"
