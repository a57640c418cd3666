import pytest

from people.models import ParticipantType, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser(email="sjef@test.example", password="x")
    client.force_login(admin)
    return client


def test_administrator_creates_a_user_with_profile_fields_in_wagtail(admin_client):
    response = admin_client.get("/admin/users/new/")
    page = response.content.decode()
    assert 'name="participant_type"' in page and 'name="preferred_language"' in page
    response = admin_client.post(
        "/admin/users/new/",
        {
            "email": "Ny.Bruker@test.example",
            "first_name": "Liv",
            "last_name": "Strand",
            "participant_type": ParticipantType.USER_REPRESENTATIVE,
            "profession": "",
            "preferred_language": "en",
            "password1": "Et-sterkt-passord-2026",
            "password2": "Et-sterkt-passord-2026",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(email="ny.bruker@test.example")
    assert (user.participant_type, user.preferred_language) == (ParticipantType.USER_REPRESENTATIVE, "en")


def test_administrator_edits_the_profile_fields(admin_client, user):
    response = admin_client.get(f"/admin/users/edit/{user.pk}/")
    assert response.status_code == 200
    assert 'name="profession"' in response.content.decode()


def test_admin_created_users_can_log_in_with_a_verified_address(admin_client, client):
    from allauth.account.models import EmailAddress

    admin_client.post(
        "/admin/users/new/",
        {
            "email": "laget@test.example",
            "first_name": "A",
            "last_name": "B",
            "participant_type": ParticipantType.OTHER,
            "preferred_language": "nb",
            "password1": "Et-sterkt-passord-2026",
            "password2": "Et-sterkt-passord-2026",
        },
    )
    assert EmailAddress.objects.get(email="laget@test.example").verified


def test_admin_cannot_change_a_users_login_address(admin_client, user):
    original = user.email
    admin_client.post(
        f"/admin/users/edit/{user.pk}/",
        {
            "email": "kapret@test.example",
            "first_name": user.first_name,
            "last_name": user.last_name,
            "participant_type": user.participant_type,
            "preferred_language": "nb",
            "is_active": "on",
        },
    )
    user.refresh_from_db()
    assert user.email == original


def test_wagtail_account_page_does_not_change_email_or_password(client, django_user_model):
    editor = django_user_model.objects.create_superuser(email="red@test.example", password="x")
    client.force_login(editor)
    page = client.get("/admin/account/").content.decode()
    assert 'name="email-email"' not in page
    assert 'name="password-old_password"' not in page


def test_signed_in_learner_opening_the_admin_does_not_loop(client, user):
    client.force_login(user)
    response = client.get("/admin/", follow=True)
    assert len(response.redirect_chain) <= 2
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/konto/login/")
