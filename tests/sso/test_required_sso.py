"""An organisation that requires SSO: its addresses get no password login, sign-up or reset."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from people.models import User
from sso.configuration import openid_connect_apps
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REFUSED_LOGIN = "Adresser under helse-x.no logger inn med HelseID, ikke med passord."


@pytest.fixture(autouse=True)
def helse_x_requires_helseid(settings):
    # Password flows never contact the provider: the rule is read from the configuration alone.
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": openid_connect_apps(
                [
                    {
                        "id": "helseid",
                        "name": "HelseID",
                        "server_url": "https://helseid.invalid",
                        "client_id": "plattform",
                        "secret": "hemmelig",
                        "required_for_domains": ["helse-x.no"],
                    }
                ]
            ),
        }
    }


def test_password_login_is_refused_for_the_domain_whether_or_not_the_account_exists(client):
    UserFactory(email="ansatt@helse-x.no")
    answers = []
    for email in ("ansatt@helse-x.no", "finnes-ikke@helse-x.no", "Noen@Avd.Helse-X.no"):
        response = client.post("/konto/login/", {"login": email, "password": TEST_PASSWORD})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
        assert REFUSED_LOGIN in response.content.decode()
        answers.append(response.context["form"].errors)
    assert answers[0] == answers[1]  # the same words for an account and for none: no enumeration


def test_the_refusal_points_to_the_sso_button_on_the_same_page(client):
    response = client.post("/konto/login/", {"login": "ansatt@helse-x.no", "password": "x"})
    html = response.content.decode()
    assert "Bruk knappen «Logg inn med HelseID»." in html
    assert "Logg inn med HelseID" in html.split(REFUSED_LOGIN, 1)[1]  # the button itself


def test_other_domains_still_log_in_with_a_password(client):
    user = UserFactory(email="person@helse-x.no.example.org")  # not a subdomain of helse-x.no
    response = client.post("/konto/login/", {"login": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_administrator_of_the_domain_gets_no_password_login_either(client):
    admin = UserFactory(email="it@helse-x.no", is_staff=True, is_superuser=True)
    admin.groups.add(Group.objects.get_or_create(name="Kursholdere")[0])
    response = client.post("/konto/login/?next=/admin/", {"login": admin.email, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_sign_up_is_refused_at_the_email_field(client):
    response = client.post(
        "/konto/signup/",
        {
            "email": "ny@helse-x.no",
            "password1": "Et-langt-passord-som-holder-2026",
            "password2": "Et-langt-passord-som-holder-2026",
            "first_name": "Ny",
            "last_name": "Ansatt",
            "participant_type": "helsepersonell",
            "profession": "Sykepleier",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["email"]
    assert errors == [
        "Adresser under helse-x.no logger inn med HelseID og får konto ved første innlogging. "
        "Bruk knappen «Logg inn med HelseID» på innloggingssiden."
    ]
    assert not User.objects.filter(email="ny@helse-x.no").exists()
    assert mail.outbox == []


def test_password_reset_is_refused(client):
    UserFactory(email="ansatt@helse-x.no")
    response = client.post("/konto/password/reset/", {"email": "ansatt@helse-x.no"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Adresser under helse-x.no har ikke passord her: de logger inn med HelseID. "
        "Bruk knappen «Logg inn med HelseID» på innloggingssiden."
    ]
    assert mail.outbox == []


def test_password_reset_works_for_other_domains(client):
    UserFactory(email="person@example.no")
    response = client.post("/konto/password/reset/", {"email": "person@example.no"})
    assert response.status_code == 302
