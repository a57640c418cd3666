"""Single sign-on in a real browser: «Logg inn med …» on the login page, the provider's own
login form (tests/sso/op.mjs, panva's oidc-provider), back signed in, and «Logg ut» at both."""

import re

import pytest
from playwright.sync_api import expect

from people.models import User
from sso.configuration import form_action_origins, openid_connect_apps
from tests.sso.provider import running_provider

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider_for_live_server(live_server, settings, tmp_path):
    client = {
        "client_id": "e2e",
        "client_secret": "e2e-only-secret",
        "redirect_uris": [f"{live_server.url}/konto/oidc/e2eidp/login/callback/"],
        "post_logout_redirect_uris": [f"{live_server.url}/"],
    }
    with running_provider(tmp_path, [client]) as provider:
        apps = openid_connect_apps(
            [
                {
                    "id": "e2eidp",
                    "name": "Helse Test",
                    "server_url": provider.issuer,
                    "client_id": "e2e",
                    "secret": "e2e-only-secret",
                }
            ]
        )
        settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": apps}}
        # What config/settings does with OIDC_PROVIDERS: the provider may receive the form posts.
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        if policy and "form-action" in policy.get("DIRECTIVES", {}):
            directives = {**policy["DIRECTIVES"]}
            directives["form-action"] = [*directives["form-action"], *form_action_origins(apps)]
            settings.CONTENT_SECURITY_POLICY = {**policy, "DIRECTIVES": directives}
        yield provider


def test_sign_in_and_out_with_an_identity_provider(
    live_server, page, provider_for_live_server, accessibility_violations
):
    provider_for_live_server.set_accounts(
        {
            "sigrid": {
                "password": "idp-passord",
                "claims": {
                    "email": "sigrid@helse-test.no",
                    "email_verified": True,
                    "given_name": "Sigrid",
                    "family_name": "Aas",
                },
            }
        }
    )
    page.goto(f"{live_server.url}/konto/login/")
    sso = page.get_by_role("region", name="Logg inn via arbeidsgiver eller skole")
    expect(sso).to_be_visible()
    assert accessibility_violations(page) == []
    sso.get_by_role("button", name="Logg inn med Helse Test").click()

    # At the provider
    page.get_by_label("Login").fill("sigrid")
    page.get_by_label("Password").fill("idp-passord")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mine kurs")
    user = User.objects.get(email="sigrid@helse-test.no")
    assert (user.first_name, user.last_name) == ("Sigrid", "Aas")

    page.get_by_role("button", name=re.compile("^Logg ut")).click()
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Logg inn")).to_be_visible()
