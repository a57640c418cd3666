import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from people.models import ParticipantType, User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "ny.deltaker@test.example",
    "password1": "Et-sterkt-passord-2026",
    "password2": "Et-sterkt-passord-2026",
    "first_name": "Nora",
    "last_name": "Nilsen",
    "participant_type": ParticipantType.USER_REPRESENTATIVE,
    "profession": "",
}


def test_sign_up_stores_the_profile_and_requires_email_confirmation(
    client, django_capture_on_commit_callbacks
):
    # The e-mail leaves through a background task once the transaction commits (people.adapters).
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")

    user = User.objects.get(email="ny.deltaker@test.example")
    assert user.full_name == "Nora Nilsen"
    assert user.participant_type == ParticipantType.USER_REPRESENTATIVE
    assert user.preferred_language == "nb"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert "ny.deltaker@test.example" in mail.outbox[0].to
    assert "Hei fra Helsepedagogikk" in mail.outbox[0].body

    # Not confirmed yet: login leads to the verification page, not into the platform.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": SIGNUP["password1"]}
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_confirmation_link_activates_the_account(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP)
    link = re.search(r"https?://[^/]+(/konto/confirm-email/[^\s]+)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200  # GET shows a confirm button; it changes nothing
    assert not EmailAddress.objects.get(email=SIGNUP["email"]).verified
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email=SIGNUP["email"]).verified


def test_profession_is_only_kept_for_health_personnel(client):
    client.post(reverse("account_signup"), {**SIGNUP, "profession": "Sykepleier"})
    assert User.objects.get(email=SIGNUP["email"]).profession == ""


def test_signing_up_with_a_taken_address_reveals_nothing(client, django_capture_on_commit_callbacks):
    existing = UserFactory(email="finnes@test.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), {**SIGNUP, "email": "FINNES@test.example"})
    # Same answer as for a new address; the owner gets an e-mail instead.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="finnes@test.example").count() == 1
    assert mail.outbox[0].to == [existing.email]


def test_password_reset_answers_the_same_for_unknown_addresses(client):
    UserFactory(email="kjent@test.example")
    known = client.post(reverse("account_reset_password"), {"email": "kjent@test.example"})
    unknown = client.post(reverse("account_reset_password"), {"email": "ukjent@test.example"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_email_is_unique_regardless_of_case(db):
    UserFactory(email="kari@test.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(email="KARI@test.example")


def test_manager_normalises_email_to_lower_case(db):
    user = User.objects.create_user(email="Per.Hansen@Test.Example", password="x")
    assert user.email == "per.hansen@test.example"


# Failed logins: tests/people/test_login_throttling.py (a growing delay instead of allauth's lockout).


def test_login_with_email_works(client):
    user = UserFactory(email="inn@test.example")
    response = client.post(reverse("account_login"), {"login": "INN@test.example", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:my_courses")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_wagtail_admin_uses_the_platform_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/admin/" in response["Location"]
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/pages/"


def test_profile_page_updates_name_type_and_language(client, user):
    client.force_login(user)
    response = client.post(
        reverse("people:profile"),
        {
            "first_name": "Anne",
            "last_name": "Dahl",
            "participant_type": ParticipantType.HEALTH_PERSONNEL,
            "profession": "Fysioterapeut",
            "preferred_language": "en",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.profession, user.preferred_language) == ("Anne Dahl", "Fysioterapeut", "en")


def test_profile_rejects_tampered_choices_and_keeps_the_old_values(client, user):
    client.force_login(user)
    response = client.post(
        reverse("people:profile"),
        {"first_name": "X", "last_name": "Y", "participant_type": "pasient", "preferred_language": "de"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"participant_type", "preferred_language"}
    user.refresh_from_db()
    assert user.participant_type == ParticipantType.HEALTH_PERSONNEL
    assert user.preferred_language == "nb"


def test_profile_requires_login(client):
    response = client.get(reverse("people:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
