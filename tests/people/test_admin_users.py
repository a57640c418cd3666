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
