import pytest
from django.utils import timezone

from tests.factories import UserFactory, add_member, make_unit


@pytest.fixture
def admin_user(db, django_user_model):
    return django_user_model.objects.create_superuser(
        email="sjef@test.example", password="x", first_name="Siri", last_name="Sjef"
    )


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def ward(db):
    return make_unit("Hjertemedisinsk avdeling")


@pytest.fixture
def manager(ward):
    person = UserFactory(first_name="Mona", last_name="Leder")
    add_member(person, ward, role="manager", joined_at=timezone.localdate())
    return person


@pytest.fixture
def staff(ward):
    person = UserFactory(first_name="Kari", last_name="Nordmann")
    add_member(person, ward, joined_at=timezone.localdate())
    return person


def all_entry_text():
    """Everything the audit log holds, as one string (to search for what must never be there)."""
    import json

    from audit.models import AuditEntry

    return json.dumps(list(AuditEntry.objects.values()), default=str, ensure_ascii=False)
