"""The OpenID Connect providers, read from the environment into allauth's settings.

An operator writes one JSON list in OIDC_PROVIDERS, one object per identity provider:

    [{"id": "helseid", "name": "HelseID", "server_url": "https://helseid-sts.nhn.no",
      "client_id": "…", "secret_env": "HELSEID_CLIENT_SECRET", "required_for_domains": ["helse-x.no"]}]

Everything the platform needs beyond allauth's own keys is kept in the app's `settings`
dict, so allauth's SOCIALACCOUNT_PROVIDERS stays the one place the providers are described.
This module imports nothing from Django's app registry: the settings call it.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

PROVIDER = "openid_connect"
PROVIDER_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
# Keys an operator may give per provider; anything else is a typo and fails at start-up.
KNOWN_KEYS = {
    "id",
    "name",
    "server_url",
    "client_id",
    "secret",
    "secret_env",
    "scope",
    "trust_email",
    "required_for_domains",
    "token_auth_method",
    "rp_initiated_logout",
    "auth_params",
    "other_origins",
}


def _fail(message: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"OIDC_PROVIDERS: {message}")


def _domain_list(value, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(d, str) and "." in d for d in value):
        raise _fail(f'{where} må være en liste med domener, for eksempel ["helse-x.no"].')
    return [d.strip().lower().lstrip("@") for d in value]


def openid_connect_apps(providers: list[dict], environ=os.environ) -> list[dict]:
    """allauth's APPS list for its openid_connect provider, from the operator's JSON list.

    Linking to an existing account by e-mail is on, but allauth does it only for an address
    the provider marks as verified (the email_verified claim), or for every address of a
    provider given "trust_email": true (or a list of domains whose addresses it vouches for).
    PKCE is on for every provider.
    """
    if not isinstance(providers, list):
        raise _fail("må være en JSON-liste med ett objekt per innloggingstjeneste.")
    apps = []
    seen: set[str] = set()
    required_domains: dict[str, str] = {}
    for index, provider in enumerate(providers):
        where = f"tjeneste nr. {index + 1}"
        if not isinstance(provider, dict):
            raise _fail(f"{where} må være et JSON-objekt.")
        unknown = set(provider) - KNOWN_KEYS
        if unknown:
            raise _fail(f"{where} har ukjente nøkler: {', '.join(sorted(unknown))}.")
        provider_id = provider.get("id", "")
        if not isinstance(provider_id, str) or not PROVIDER_ID_PATTERN.match(provider_id):
            raise _fail(f"{where}: «id» må være små bokstaver, sifre, - eller _ (brukes i adressen).")
        if provider_id in seen:
            raise _fail(f"«{provider_id}» er oppgitt to ganger.")
        seen.add(provider_id)
        where = f"«{provider_id}»"
        for key in ("name", "server_url", "client_id"):
            if not isinstance(provider.get(key), str) or not provider[key].strip():
                raise _fail(f"{where} mangler «{key}».")
        if not provider["server_url"].startswith(("https://", "http://")):
            raise _fail(f"{where}: «server_url» må være en http(s)-adresse.")
        secret = provider.get("secret", "")
        if provider.get("secret_env"):
            secret = environ.get(provider["secret_env"], "")
            if not secret:
                raise _fail(f"{where}: miljøvariabelen {provider['secret_env']} er tom eller mangler.")
        trust_email = provider.get("trust_email", False)
        if not isinstance(trust_email, bool):
            trust_email = _domain_list(trust_email, f"{where}: «trust_email»")
        domains = _domain_list(provider.get("required_for_domains", []), f"{where}: «required_for_domains»")
        for domain in domains:
            if domain in required_domains:
                raise _fail(
                    f"domenet {domain} er knyttet til både {required_domains[domain]} og {provider_id}."
                )
            required_domains[domain] = provider_id
        settings = {
            "server_url": provider["server_url"],
            "oauth_pkce_enabled": True,
            # A verified address logs in to the existing account with it and connects the two.
            "email_authentication": True,
            # False: only addresses with email_verified=true count as verified (allauth's rule).
            "verified_email": trust_email,
            "required_for_domains": domains,
            "rp_initiated_logout": bool(provider.get("rp_initiated_logout", True)),
        }
        if provider.get("scope"):
            scope = provider["scope"]
            if not isinstance(scope, list) or "openid" not in scope:
                raise _fail(f'{where}: «scope» må være en liste som inneholder "openid".')
            settings["scope"] = scope
        if provider.get("token_auth_method"):
            if provider["token_auth_method"] not in ("client_secret_basic", "client_secret_post"):
                raise _fail(
                    f"{where}: «token_auth_method» må være client_secret_basic eller client_secret_post."
                )
            settings["token_auth_method"] = provider["token_auth_method"]
        other_origins = provider.get("other_origins", [])
        if not isinstance(other_origins, list) or not all(_is_origin(o) for o in other_origins):
            raise _fail(
                f"{where}: «other_origins» må være en liste med adresser som https://login.example.no."
            )
        settings["other_origins"] = [o.rstrip("/") for o in other_origins]
        if provider.get("auth_params"):
            settings["auth_params"] = dict(provider["auth_params"])
        apps.append(
            {
                "provider_id": provider_id,
                "name": provider["name"].strip(),
                "client_id": provider["client_id"].strip(),
                "secret": secret,
                "settings": settings,
            }
        )
    return apps


def _is_origin(value) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("https", "http") and bool(parts.netloc) and parts.path in ("", "/")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def form_action_origins(apps: list[dict]) -> list[str]:
    """Where the browser goes after posting a form here (an SSO button, «Logg ut»): the providers.

    Browsers check a Content-Security-Policy's form-action against the redirect after a form post
    too, so these origins are added to it. A provider whose login or logout page lies on another
    host than its server_url (ID-porten: login.idporten.no) names that host in "other_origins".
    """
    origins: list[str] = []
    for app in apps:
        for origin in [_origin(app["settings"]["server_url"]), *app["settings"].get("other_origins", [])]:
            if origin not in origins:
                origins.append(origin)
    return origins


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def domain_matches(domain: str, rule: str) -> bool:
    """helse-x.no covers ahus.helse-x.no too: an organisation's subdomains are its own."""
    return domain == rule or domain.endswith("." + rule)
