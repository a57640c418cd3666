"""Security headers on every response: Content-Security-Policy, Permissions-Policy and no-store.

The policy itself is proven in the browser (tests/e2e: every page the browser tests visit must
report no violation); these tests pin down the header values and which responses carry them.
"""

import re

import pytest

from tests.factories import UserFactory, add_member, make_unit

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


def test_public_pages_carry_a_script_policy_without_unsafe_inline(client, catalogue):
    response = client.get("/")
    policy = directives(response)
    assert policy["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]


def test_the_login_page_has_the_policy_and_no_third_party_script_source(client):
    policy = directives(client.get("/konto/login/"))
    assert all(source in ("'self'",) or source.startswith("'nonce-") for source in policy["script-src"])


def test_permissions_policy_switches_off_what_no_page_uses(client):
    header = client.get("/")["Permissions-Policy"]
    features = dict(part.strip().split("=", 1) for part in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert features[feature] == "()", feature
    # The H5P player and video need fullscreen; passkeys need WebAuthn.
    assert features["fullscreen"] == "(self)"
    assert features["publickey-credentials-get"] == "(self)"


def test_a_public_page_for_an_anonymous_visitor_may_be_cached(client, catalogue):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


@pytest.mark.parametrize(
    "path",
    ["/konto/profil/", "/mine-kurs/", "/mine-refleksjoner/", "/mine-kursbevis/", "/konto/mine-data/"],
)
def test_personal_pages_are_never_stored(client, path):
    client.force_login(UserFactory())
    response = client.get(path)
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "no-store" in cache_control and "private" in cache_control


def test_manager_pages_and_staff_exports_are_never_stored(client):
    manager = UserFactory()
    add_member(manager, make_unit("Medisinsk klinikk"), role="manager")
    client.force_login(manager)
    for path in ("/leder/", "/leder/eksport.csv", "/leder/eksport.xlsx"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path


def test_the_h5p_player_keeps_its_own_stricter_policy(client):
    from h5p.views import PLAYER_CSP

    assert "sandbox" in PLAYER_CSP  # the site-wide middleware never replaces a view's own header


def test_wagtail_admin_widget_scripts_carry_the_request_nonce_and_nothing_else_does(client, course):
    """The admin's date pickers and choosers carry the nonce; a script typed into a title does not."""
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/users/")  # the «Siste innlogging» filter is a pair of date pickers
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", html)
    assert inline, "the user listing should have date-picker scripts"
    assert all(f'nonce="{nonce}"' in attrs for attrs in inline), inline

    # Markup someone typed into a page title stays text: it never gets a nonce.
    course.title = "<script>alert(1)</script>"
    course.save_revision().publish()
    response = client.get(f"/admin/pages/{course.pk}/edit/")
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert not re.search(r"<script[^>]*>alert\(1\)", html)
    assert all(f'nonce="{nonce}"' in attrs for attrs in re.findall(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)([^>]*)>", html
    ))
