"""A real OpenID Connect provider for the SSO tests (panva's oidc-provider, run by op.mjs).

The provider runs as a Node subprocess on a free port for the whole session. The platform's
side is the Django test client; the «browser» between the two is a requests session that
follows the provider's redirects over real HTTP and hands the callback back to Django.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

from sso.configuration import openid_connect_apps

from .provider import Provider, running_provider

HTTP_TIMEOUT = 10
PROVIDER_ID = "testidp"
TRUSTING_PROVIDER_ID = "tillit"
CALLBACK = "http://testserver/konto/oidc/{id}/login/callback/"
REQUIRED_DOMAIN = "helse-x.no"
CLIENT_SECRET = "test-only-client-secret"


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    clients = [
        {
            "client_id": client_id,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [CALLBACK.format(id=client_id)],
            "post_logout_redirect_uris": ["http://testserver/"],
        }
        for client_id in (PROVIDER_ID, TRUSTING_PROVIDER_ID)
    ]
    with running_provider(tmp_path_factory.mktemp("oidc"), clients) as provider:
        yield provider


def provider_config(issuer: str) -> list[dict]:
    """Two providers on the one test OP: one that requires SSO for helse-x.no and trusts only
    email_verified, one that vouches for every address it gives (trust_email)."""
    return [
        {
            "id": PROVIDER_ID,
            "name": "Test-IdP",
            "server_url": issuer,
            "client_id": PROVIDER_ID,
            "secret": CLIENT_SECRET,
            "required_for_domains": [REQUIRED_DOMAIN],
        },
        {
            "id": TRUSTING_PROVIDER_ID,
            "name": "Tillit-IdP",
            "server_url": issuer,
            "client_id": TRUSTING_PROVIDER_ID,
            "secret": CLIENT_SECRET,
            "trust_email": True,
        },
    ]


@pytest.fixture
def sso(settings, oidc_provider):
    """The platform configured with the test provider, as OIDC_PROVIDERS would configure it."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": openid_connect_apps(provider_config(oidc_provider.issuer)),
        }
    }
    return oidc_provider


class _Forms(HTMLParser):
    """The forms on a page: action, method and their named inputs' values."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "id": attrs.get("id"), "fields": {}})
        elif tag in ("input", "button") and self.forms and attrs.get("name"):
            self.forms[-1]["fields"].setdefault(attrs["name"], attrs.get("value") or "")


def forms_in(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class Browser:
    """One person's browser: the Django test client for the platform, requests for the provider."""

    MAX_HOPS = 20

    def __init__(self, client, provider: Provider):
        self.client = client
        self.provider = provider
        self.http = requests.Session()
        self.authorize_url: str | None = None

    def close(self) -> None:
        self.http.close()

    def login(self, provider_id: str = PROVIDER_ID, login: str | None = None, password: str | None = None):
        """Press «Logg inn med …» and sign in at the provider if it asks; the platform's last response."""
        response = self.client.post(f"/konto/oidc/{provider_id}/login/?process=login")
        assert response.status_code == 302, response.content[:500]
        self.authorize_url = response["Location"]
        return self.follow(response["Location"], login=login, password=password)

    def follow(self, url: str, *, login: str | None = None, password: str | None = None):
        """Follow redirects between the provider (over HTTP) and the platform (test client)."""
        for _ in range(self.MAX_HOPS):
            if self.provider.owns(url):
                response = self.http.get(url, allow_redirects=False, timeout=HTTP_TIMEOUT)
                if response.status_code == 200 and 'name="password"' in response.text:
                    if login is None:
                        return response  # the provider wants a password and none was given
                    form = forms_in(response.text)[0]
                    response = self.http.post(
                        urljoin(url, form["action"]),
                        data={"login": login, "password": password},
                        allow_redirects=False,
                        timeout=HTTP_TIMEOUT,
                    )
                    login = None  # once
                if response.status_code not in (302, 303):
                    return response
                url = urljoin(url, response.headers["Location"])
                continue
            parts = urlsplit(url)
            assert parts.netloc in ("", "testserver"), url
            response = self.client.get(parts.path, data=parse_qs(parts.query))
            if response.status_code not in (301, 302, 303):
                return response
            url = urljoin("http://testserver" + parts.path, response["Location"])
        raise AssertionError("for mange omdirigeringer")

    def provider_logout(self, url: str):
        """At the provider's end-session page: confirm «yes, sign me out»; the platform's response."""
        response = self.http.get(url, allow_redirects=False, timeout=HTTP_TIMEOUT)
        assert response.status_code == 200, response.text[:500]
        form = next(f for f in forms_in(response.text) if f["id"] == "op.logoutForm")
        data = {**form["fields"], "logout": "yes"}
        response = self.http.post(
            urljoin(url, form["action"]), data=data, allow_redirects=False, timeout=HTTP_TIMEOUT
        )
        assert response.status_code in (302, 303), response.text[:500]
        return response.headers["Location"]


@pytest.fixture
def browser_for(client, sso):
    """browser_for() gives a new person's browser (its own cookies at the provider)."""
    browsers = []

    def make(django_client=None):
        from django.test import Client

        browser = Browser(django_client or (client if not browsers else Client()), sso)
        browsers.append(browser)
        return browser

    yield make
    for browser in browsers:
        browser.close()


CODE_CHALLENGE = re.compile(r"[?&]code_challenge=[^&]+")
