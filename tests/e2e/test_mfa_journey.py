"""Privileged users set up a second factor before the admin, and sign in with it.

An administrator with an authenticator app (codes from allauth's own TOTP helpers) and a course
holder with a passkey (chromium's virtual authenticator over the DevTools protocol).
"""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth.models import Permission
from django.core.cache import cache
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, UserFactory, home_page

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in_with_password(page, base_url, email):
    page.goto(f"{base_url}/konto/login/")
    page.get_by_label(re.compile(r"^E-post")).fill(email)
    page.get_by_label(re.compile(r"^Passord")).fill(TEST_PASSWORD)
    page.locator("main").get_by_role("button", name="Logg inn", exact=True).click()


def confirm_password(page):
    """allauth asks for the password again before a factor is added."""
    expect(page).to_have_url(re.compile(r"/konto/reauthenticate/"))
    page.get_by_label(re.compile(r"^Passord")).fill(TEST_PASSWORD)
    page.locator("main").get_by_role("button", name="Bekreft").click()


def log_out(page):
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("button", name="Logg ut").click()


def test_administrator_sets_up_an_authenticator_app_and_signs_in_with_it(
    mfa_required, live_server, page, accessibility_violations
):
    home_page()  # the admin's page explorer needs the page tree a transactional test may have flushed
    admin = UserFactory(email="admin@test.example", is_superuser=True, is_staff=True)
    log_in_with_password(page, live_server.url, admin.email)

    page.goto(f"{live_server.url}/admin/pages/")
    expect(page).to_have_url(re.compile(r"/konto/tofaktor/\?next=%2Fadmin%2Fpages%2F$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tofaktorautentisering")
    expect(page.get_by_text("må kontoen din være beskyttet med tofaktorautentisering")).to_be_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Sett opp autentiseringsapp").click()
    confirm_password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktiver autentiseringsapp")
    assert accessibility_violations(page) == []
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill("000000" if totp_code(secret) != "000000" else "111111")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Feil kode")
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gjenopprettingskoder")
    assert accessibility_violations(page) == []
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
    page.goto(f"{live_server.url}/konto/2fa/")
    expect(page.locator("main")).to_contain_text("Autentisering med en autentiseringsapp er aktiv")
    assert accessibility_violations(page) == []

    # Set up in a password-only session: the code is asked for once before the admin opens.
    page.goto(f"{live_server.url}/admin/pages/")
    expect(page).to_have_url(re.compile(r"/konto/2fa/reauthenticate/"))
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/admin/pages/")

    # Next time: password, then the code, then straight in.
    page.goto(f"{live_server.url}/")
    log_out(page)
    cache.clear()  # the code just used may still be the current one; allauth refuses it twice
    log_in_with_password(page, live_server.url, admin.email)
    expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/"))
    assert accessibility_violations(page) == []
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.locator("body")).to_contain_text("Helsepedagogikk")


def test_course_holder_registers_a_passkey_and_signs_in_with_it(
    mfa_required, live_server, page, accessibility_violations
):
    home_page()
    holder = UserFactory(email="kursholder@test.example")
    holder.user_permissions.add(Permission.objects.get(codename="access_admin"))
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    log_in_with_password(page, live_server.url, holder.email)
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(re.compile(r"/konto/tofaktor/"))
    page.get_by_role("link", name="Legg til passnøkkel").click()
    confirm_password(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Legg til sikkerhetsnøkkel")
    assert accessibility_violations(page) == []
    page.locator("input[name=name]").fill("Testnøkkel")
    page.locator("#mfa_webauthn_add").click()
    expect(page).not_to_have_url(re.compile(r"/webauthn/add/"))
    key = Authenticator.objects.get(user=holder, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Testnøkkel"

    # The passkey confirms the password-only session before the admin opens.
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(re.compile(r"/konto/2fa/webauthn/reauthenticate/"))
    assert accessibility_violations(page) == []
    page.locator("#mfa_webauthn_reauthenticate").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")

    # Next time: password, then the passkey.
    page.goto(f"{live_server.url}/")
    log_out(page)
    log_in_with_password(page, live_server.url, holder.email)
    expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/"))
    page.locator("#mfa_webauthn_authenticate").click()
    expect(page).not_to_have_url(re.compile(r"/konto/2fa/authenticate/"))
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(f"{live_server.url}/admin/")
