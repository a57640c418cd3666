"""Single sign-on against a real OpenID Connect provider (tests/sso/op.mjs, started by conftest)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group

from people.models import Membership, OrganisationUnit, ParticipantType, Role, User
from sso.models import ClaimGrant, ClaimMapping
from tests.factories import TEST_PASSWORD, UserFactory

from .conftest import PROVIDER_ID, TRUSTING_PROVIDER_ID

pytestmark = pytest.mark.django_db


IDP_PASSWORD = "idp-passord"


def account(email, *, verified=True, groups=(), password=IDP_PASSWORD, name="Ola Nordmann"):
    given, _, family = name.partition(" ")
    return {
        "password": password,
        "claims": {
            "email": email,
            "email_verified": verified,
            "name": name,
            "given_name": given,
            "family_name": family,
            "groups": list(groups),
        },
    }


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_first_login_creates_a_learner_and_the_second_reuses_it(browser_for, sso):
    sso.set_accounts({"ola": account("ola@example.no")})
    browser = browser_for()

    response = browser.login(login="ola", password="idp-passord")

    # PKCE: the platform sent a S256 code challenge, which this provider requires.
    query = parse_qs(urlsplit(browser.authorize_url).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert response.status_code == 200
    user = signed_in_user(browser.client)
    assert user is not None and user.email == "ola@example.no"
    assert (user.first_name, user.last_name) == ("Ola", "Nordmann")
    assert user.participant_type == ParticipantType.OTHER
    assert not user.is_staff and not user.is_superuser
    assert not user.groups.exists() and not Membership.objects.filter(user=user).exists()
    assert not user.has_usable_password()
    assert EmailAddress.objects.get(user=user, email="ola@example.no").verified
    assert SocialAccount.objects.filter(user=user, provider=PROVIDER_ID).count() == 1

    browser.client.logout()
    browser.login()  # the provider remembers the person: no password asked this time
    assert signed_in_user(browser.client) == user
    assert User.objects.filter(email="ola@example.no").count() == 1
    assert SocialAccount.objects.filter(provider=PROVIDER_ID).count() == 1


def test_a_wrong_password_at_the_provider_signs_in_nobody(browser_for, sso):
    sso.set_accounts({"ola": account("ola@example.no")})
    browser = browser_for()
    response = browser.login(login="ola", password="feil")
    assert response.status_code == 401
    assert signed_in_user(browser.client) is None
    assert not User.objects.filter(email="ola@example.no").exists()


def test_verified_email_links_to_the_existing_account(browser_for, sso):
    existing = UserFactory(email="kari@example.no")
    EmailAddress.objects.update_or_create(
        user=existing, email="kari@example.no", defaults={"verified": True, "primary": True}
    )
    sso.set_accounts({"kari": account("kari@example.no", name="Kari Nordmann")})
    browser = browser_for()

    browser.login(login="kari", password="idp-passord")

    assert signed_in_user(browser.client) == existing
    assert SocialAccount.objects.get(provider=PROVIDER_ID).user == existing
    assert User.objects.filter(email="kari@example.no").count() == 1
    existing.refresh_from_db()
    assert existing.participant_type == ParticipantType.HEALTH_PERSONNEL  # the profile is kept


def test_unverified_email_does_not_link_or_take_over_the_account(browser_for, sso):
    victim = UserFactory(email="offer@example.no")
    EmailAddress.objects.update_or_create(
        user=victim, email="offer@example.no", defaults={"verified": True, "primary": True}
    )
    sso.set_accounts({"angriper": account("offer@example.no", verified=False)})
    browser = browser_for()

    response = browser.login(login="angriper", password="idp-passord")

    assert signed_in_user(browser.client) is None
    assert not SocialAccount.objects.exists()
    assert User.objects.filter(email="offer@example.no").count() == 1
    victim.refresh_from_db()
    assert victim.check_password(TEST_PASSWORD)  # untouched
    # allauth's anti-enumeration answer, the same as for a new address: «check your e-mail».
    assert response.request["PATH_INFO"] == "/konto/confirm-email/"


def test_a_provider_trusted_for_its_addresses_links_without_the_claim(browser_for, sso):
    existing = UserFactory(email="per@example.no")
    sso.set_accounts({"per": account("per@example.no", verified=False)})
    browser = browser_for()

    browser.login(TRUSTING_PROVIDER_ID, login="per", password="idp-passord")

    assert signed_in_user(browser.client) == existing
    assert SocialAccount.objects.get(provider=TRUSTING_PROVIDER_ID).user == existing


def test_claim_mapping_grants_and_revokes_only_what_it_granted(browser_for, sso):
    holders = Group.objects.get_or_create(name="Kursholdere")[0]
    editors = Group.objects.create(name="Redaktører")
    unit = OrganisationUnit.objects.create(name="Medisinsk klinikk")
    ClaimMapping.objects.create(provider_id=PROVIDER_ID, claim="groups", value="kursholder", group=holders)
    ClaimMapping.objects.create(provider_id=PROVIDER_ID, claim="groups", value="redaktor", group=editors)
    ClaimMapping.objects.create(provider_id=PROVIDER_ID, claim="groups", value="leder-med", manager_of=unit)
    # Another provider's mapping for the same value gives nothing through this one.
    ClaimMapping.objects.create(
        provider_id=TRUSTING_PROVIDER_ID, claim="groups", value="admin", group=editors
    )
    sso.set_accounts({"lise": account("lise@example.no", groups=["kursholder", "leder-med", "admin"])})
    browser = browser_for()

    browser.login(login="lise", password="idp-passord")
    lise = signed_in_user(browser.client)
    assert set(lise.groups.all()) == {holders}
    assert Membership.objects.filter(user=lise, unit=unit, role=Role.MANAGER).exists()

    # An administrator gives «Redaktører» by hand; the claims change at the provider.
    lise.groups.add(editors)
    sso.set_accounts({"lise": account("lise@example.no", groups=["redaktor"])})
    browser.client.logout()
    browser.login()

    assert set(lise.groups.all()) == {editors}  # Kursholdere revoked, the hand-given group kept
    assert not Membership.objects.filter(user=lise, unit=unit, role=Role.MANAGER).exists()
    # Redaktører was there already, by hand: the mapping does not claim it, so losing the claim keeps it.
    assert not ClaimGrant.objects.filter(user=lise, group=editors).exists()
    sso.set_accounts({"lise": account("lise@example.no", groups=[])})
    browser.client.logout()
    browser.login()
    assert set(lise.groups.all()) == {editors}


def test_mapping_never_touches_a_manager_role_given_by_hand(browser_for, sso):
    unit = OrganisationUnit.objects.create(name="Akuttmottak")
    ClaimMapping.objects.create(provider_id=PROVIDER_ID, claim="groups", value="leder", manager_of=unit)
    kim = UserFactory(email="kim@example.no")
    EmailAddress.objects.update_or_create(
        user=kim, email="kim@example.no", defaults={"verified": True, "primary": True}
    )
    Membership.objects.create(user=kim, unit=unit, role=Role.MANAGER, joined_at="2025-01-01")
    sso.set_accounts({"kim": account("kim@example.no", groups=["leder"])})
    browser = browser_for()
    browser.login(login="kim", password="idp-passord")
    sso.set_accounts({"kim": account("kim@example.no", groups=[])})
    browser.client.logout()
    browser.login()

    assert signed_in_user(browser.client) == kim
    assert Membership.objects.filter(user=kim, unit=unit, role=Role.MANAGER).exists()


def test_logout_ends_the_session_here_and_at_the_provider(browser_for, sso):
    sso.set_accounts({"ola": account("ola@example.no")})
    browser = browser_for()
    browser.login(login="ola", password="idp-passord")
    assert signed_in_user(browser.client) is not None

    response = browser.client.post("/konto/logout/")

    assert response.status_code == 302
    end_session = response["Location"]
    assert end_session.startswith(sso.issuer + "/session/end?")
    assert parse_qs(urlsplit(end_session).query) == {
        "client_id": [PROVIDER_ID],
        "post_logout_redirect_uri": ["http://testserver/"],
    }
    assert signed_in_user(browser.client) is None
    assert browser.provider_logout(end_session) == "http://testserver/"
    # Signed out at the provider too: the next SSO login asks for the password again.
    response = browser.login()
    assert response.status_code == 200 and 'name="password"' in response.text
    assert signed_in_user(browser.client) is None


def test_logout_after_a_password_login_stays_local(client, sso):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/konto/logout/")
    assert response["Location"] == "/"


def test_logout_stays_local_when_the_provider_is_set_so(browser_for, sso, settings):
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"]["rp_initiated_logout"] = False
    sso.set_accounts({"ola": account("ola@example.no")})
    browser = browser_for()
    browser.login(login="ola", password=IDP_PASSWORD)
    assert signed_in_user(browser.client) is not None

    response = browser.client.post("/konto/logout/")

    assert response["Location"] == "/"
    assert signed_in_user(browser.client) is None
