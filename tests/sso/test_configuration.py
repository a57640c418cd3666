"""OIDC_PROVIDERS: what an operator writes becomes allauth's provider apps, or fails at start-up."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from sso.configuration import form_action_origins, openid_connect_apps

ROOT = Path(__file__).resolve().parents[2]

HELSEID = {
    "id": "helseid",
    "name": "HelseID",
    "server_url": "https://helseid-sts.nhn.no",
    "client_id": "plattform",
    "secret_env": "HELSEID_CLIENT_SECRET",
    "required_for_domains": ["Helse-X.no"],
}


def test_a_provider_becomes_an_allauth_app_with_pkce_and_verified_email_linking_only():
    [app] = openid_connect_apps([HELSEID], environ={"HELSEID_CLIENT_SECRET": "hemmelig"})
    assert app["provider_id"] == "helseid" and app["name"] == "HelseID"
    assert app["client_id"] == "plattform" and app["secret"] == "hemmelig"
    assert app["settings"]["server_url"] == "https://helseid-sts.nhn.no"
    assert app["settings"]["oauth_pkce_enabled"] is True
    assert app["settings"]["email_authentication"] is True
    assert app["settings"]["verified_email"] is False  # only email_verified=true counts
    assert app["settings"]["required_for_domains"] == ["helse-x.no"]
    assert app["settings"]["rp_initiated_logout"] is True


def test_trust_email_may_name_the_domains_the_provider_vouches_for():
    config = {**HELSEID, "secret": "s", "trust_email": ["helse-x.no"]}
    del config["secret_env"]
    [app] = openid_connect_apps([config])
    assert app["settings"]["verified_email"] == ["helse-x.no"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "Helse ID"}, "«id»"),
        ({"server_url": "helseid-sts.nhn.no"}, "server_url"),
        ({"client_id": ""}, "client_id"),
        ({"scpoe": ["openid"]}, "ukjente nøkler: scpoe"),
        ({"scope": ["profile"]}, "openid"),
        ({"required_for_domains": "helse-x.no"}, "required_for_domains"),
        ({"token_auth_method": "private_key_jwt"}, "token_auth_method"),
    ],
)
def test_mistakes_fail_at_start_up_with_a_clear_message(change, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        openid_connect_apps([{**HELSEID, **change}], environ={"HELSEID_CLIENT_SECRET": "s"})


def test_a_missing_secret_variable_fails():
    with pytest.raises(ImproperlyConfigured, match="HELSEID_CLIENT_SECRET"):
        openid_connect_apps([HELSEID], environ={})


def test_one_domain_cannot_require_two_providers():
    feide = {**HELSEID, "id": "feide", "secret": "s"}
    del feide["secret_env"]
    with pytest.raises(ImproperlyConfigured, match="helse-x.no"):
        openid_connect_apps([HELSEID, feide], environ={"HELSEID_CLIENT_SECRET": "s"})


def test_the_same_id_twice_fails():
    with pytest.raises(ImproperlyConfigured, match="to ganger"):
        openid_connect_apps([HELSEID, HELSEID], environ={"HELSEID_CLIENT_SECRET": "s"})


def test_no_providers_is_fine():
    assert openid_connect_apps([]) == []


def test_form_action_origins_are_the_providers_hosts():
    idporten = {
        "id": "idporten",
        "name": "ID-porten",
        "server_url": "https://idporten.no",
        "client_id": "c",
        "secret": "s",
        "other_origins": ["https://login.idporten.no/"],
    }
    apps = openid_connect_apps([HELSEID, idporten], environ={"HELSEID_CLIENT_SECRET": "s"})
    assert form_action_origins(apps) == [
        "https://helseid-sts.nhn.no",
        "https://idporten.no",
        "https://login.idporten.no",
    ]


def test_other_origins_must_be_origins():
    with pytest.raises(ImproperlyConfigured, match="other_origins"):
        openid_connect_apps(
            [{**HELSEID, "other_origins": ["login.idporten.no"]}], environ={"HELSEID_CLIENT_SECRET": "s"}
        )


def test_the_settings_read_oidc_providers_and_open_csp_form_action_to_them():
    """config/settings as an operator runs it: OIDC_PROVIDERS in the environment."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "OIDC_PROVIDERS": json.dumps([HELSEID]),
        "HELSEID_CLIENT_SECRET": "fra-miljoet",
    }
    script = (
        "import json; from django.conf import settings; print(json.dumps(["
        "settings.SOCIALACCOUNT_PROVIDERS['openid_connect'],"
        "settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action']]))"
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    provider, form_action = json.loads(result.stdout)
    assert provider["OAUTH_PKCE_ENABLED"] is True
    [app] = provider["APPS"]
    assert (app["provider_id"], app["secret"]) == ("helseid", "fra-miljoet")
    assert form_action == ["'self'", "https://helseid-sts.nhn.no"]


def test_the_system_check_catches_an_adapter_without_the_sso_rules(settings):
    from sso.checks import check_adapters

    assert check_adapters(None) == []
    settings.ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
    settings.SOCIALACCOUNT_ADAPTER = "allauth.socialaccount.adapter.DefaultSocialAccountAdapter"
    assert [error.id for error in check_adapters(None)] == ["sso.E001", "sso.E002"]
