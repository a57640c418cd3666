"""Two clicks or two administrators at the same moment (PostgreSQL: real concurrent transactions)."""

import pytest

from people.models import DataExport, User
from people.services import data_export_request, user_anonymise
from tests.factories import UserFactory
from tests.markers import requires_postgresql

pytestmark = [requires_postgresql, pytest.mark.django_db(transaction=True)]


def test_two_export_orders_at_once_make_one_export(monkeypatch):
    from people import services
    from tests.concurrency import run_concurrently

    queued = []
    monkeypatch.setattr(services, "_queue_export", queued.append)
    user = UserFactory()
    results = []
    errors = run_concurrently([lambda: results.append(data_export_request(user=user)) for _ in range(4)])
    assert errors == []
    assert DataExport.objects.filter(user=user).count() == 1 and len(queued) == 1
    assert sorted(created for _, created in results) == [False, False, False, True]


def test_two_anonymisations_at_once_anonymise_once():
    from tests.concurrency import run_concurrently

    user = UserFactory(first_name="Samtidig")
    results = []
    errors = run_concurrently([lambda: results.append(user_anonymise(user=user)) for _ in range(3)])
    assert errors == [] and sorted(results) == [False, False, True]
    assert User.objects.get(pk=user.pk).first_name == ""
