"""What a visitor and an administrator see: the SSO buttons and the claim mappings in the admin."""

import re

import pytest
from django.contrib.auth.models import Group

from people.models import OrganisationUnit
from sso.configuration import openid_connect_apps
from sso.models import ClaimMapping
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _provider(provider_id, name):
    return {
        "id": provider_id,
        "name": name,
        "server_url": f"https://{provider_id}.invalid",
        "client_id": "plattform",
        "secret": "s",
    }


@pytest.fixture
def two_providers(settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": openid_connect_apps([_provider("helseid", "HelseID"), _provider("feide", "Feide")]),
        }
    }


def test_login_page_has_one_post_button_per_provider(client, two_providers):
    html = client.get("/konto/login/").content.decode()
    for provider_id, name in (("helseid", "HelseID"), ("feide", "Feide")):
        form = re.search(
            rf'<form method="post" action="/konto/oidc/{provider_id}/login/\?process=login">(.*?)</form>',
            html,
            re.S,
        )
        assert form, f"ingen knapp for {name}"
        assert 'name="csrfmiddlewaretoken"' in form.group(1)
        assert re.search(rf'<button type="submit"[^>]*>\s*Logg inn med {name}\s*</button>', form.group(1))
    assert 'aria-labelledby="sso-login-heading"' in html
    assert "<script>" not in html and "onclick" not in html


def test_login_page_without_providers_has_no_sso_section(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}
    html = client.get("/konto/login/").content.decode()
    assert "sso-login" not in html


def test_the_next_page_is_kept_through_the_button(client, two_providers):
    html = client.get("/konto/login/?next=/mine-kurs/").content.decode()
    assert 'action="/konto/oidc/feide/login/?process=login&amp;next=%2Fmine-kurs%2F"' in html


def test_a_get_to_the_provider_url_asks_before_leaving(client, two_providers):
    response = client.get("/konto/oidc/helseid/login/")
    assert response.status_code == 200  # a confirmation page with a POST form, in the site's layout
    assert 'class="skip-link"' in response.content.decode()


def test_an_unknown_provider_is_not_found(client, two_providers):
    assert client.post("/konto/oidc/ukjent/login/").status_code == 404


def test_superuser_manages_claim_mappings_in_the_admin(client, two_providers):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    group = Group.objects.get_or_create(name="Kursholdere")[0]
    response = client.post(
        "/admin/snippets/sso/claimmapping/add/",
        {
            "provider_id": "helseid",
            "claim": "groups",
            "value": "kursholder",
            "group": group.pk,
            "manager_of": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ClaimMapping.objects.get().group == group


def test_a_mapping_needs_a_known_provider_and_exactly_one_role(client, two_providers):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    group = Group.objects.get_or_create(name="Kursholdere")[0]
    unit = OrganisationUnit.objects.create(name="Klinikk")
    url = "/admin/snippets/sso/claimmapping/add/"
    form = client.get(url).content.decode()
    assert '<option value="helseid">HelseID (helseid)</option>' in form
    assert '<option value="feide">Feide (feide)</option>' in form
    response = client.post(url, {"provider_id": "helsid", "claim": "groups", "value": "x", "group": group.pk})
    assert response.context["form"].errors["provider_id"]
    response = client.post(
        url,
        {"provider_id": "helseid", "claim": "groups", "value": "x", "group": group.pk, "manager_of": unit.pk},
    )
    assert "Velg enten en gruppe eller en enhet" in response.content.decode()
    assert not ClaimMapping.objects.exists()


def test_an_admin_user_without_the_permission_cannot_map_roles(client, two_providers):
    holders = Group.objects.get_or_create(name="Kursholdere")[0]
    editor = UserFactory(is_staff=True)
    editor.groups.add(holders)
    client.force_login(editor)
    response = client.get("/admin/snippets/sso/claimmapping/")
    assert response.status_code in (302, 403)
    response = client.post(
        "/admin/snippets/sso/claimmapping/add/",
        {"provider_id": "helseid", "claim": "groups", "value": "x", "group": holders.pk},
    )
    assert not ClaimMapping.objects.exists()


def test_a_group_given_the_model_permission_still_cannot_map_roles(client, two_providers):
    """A mapping hands out roles, so only administrators may write one, whatever a group carries."""
    from django.contrib.auth.models import Permission

    holders = Group.objects.get_or_create(name="Kursholdere")[0]
    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_claimmapping", "change_claimmapping", "view_claimmapping"]
        )
    )
    editor.groups.add(holders)
    client.force_login(editor)
    assert client.get("/admin/snippets/sso/claimmapping/").status_code in (302, 403)
    client.post(
        "/admin/snippets/sso/claimmapping/add/",
        {"provider_id": "helseid", "claim": "sub", "value": "meg", "group": holders.pk},
    )
    assert not ClaimMapping.objects.exists()


def test_who_made_a_mapping_is_in_the_audit_log(client, two_providers):
    from audit.models import AuditEntry

    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    holders = Group.objects.get_or_create(name="Kursholdere")[0]
    client.post(
        "/admin/snippets/sso/claimmapping/add/",
        {"provider_id": "helseid", "claim": "groups", "value": "kursholdere", "group": holders.pk},
    )
    mapping = ClaimMapping.objects.get()
    entry = AuditEntry.objects.get_for_object(mapping).get()
    assert entry.actor == admin
