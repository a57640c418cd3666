"""With a "reports" database alias configured (REPORTS_DATABASE_URL, a read replica), the dashboard,
the person record and the exports read there and write nothing there.

Here the alias points at the test database itself, as a test mirror of "default" would, so what the
test writes through "default" is there to read; the test is transactional so it is committed.
"""

from datetime import timedelta

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.replica import REPORTS_ALIAS, reports_database
from requirements.services import assignment_create
from tests.factories import UserFactory, add_member, make_catalogue, make_course, make_unit


@pytest.fixture
def replica(settings):
    """A second connection named "reports" to the test database, made by hand: an alias added to
    the connection settings after the test started would be refused as "not allowed in this test"."""
    default = connections["default"].settings_dict
    alias_settings = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}
    connection = load_backend(default["ENGINE"]).DatabaseWrapper(alias_settings, REPORTS_ALIAS)
    setattr(connections._connections, REPORTS_ALIAS, connection)
    settings.DATABASES = {**settings.DATABASES, REPORTS_ALIAS: alias_settings}
    yield connection
    connection.close()
    delattr(connections._connections, REPORTS_ALIAS)


def test_without_the_alias_reports_read_the_default_database():
    assert reports_database() == "default"


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
@pytest.mark.django_db(transaction=True)
def test_reports_read_from_the_replica_alias_and_never_write_there(replica, client):
    assert reports_database() == REPORTS_ALIAS
    catalogue = make_catalogue()
    ward = make_unit("Avdeling")
    person = UserFactory(email="ansatt@test.example")
    add_member(person, ward)
    manager = UserFactory()
    add_member(manager, ward, role="manager")
    course = make_course(catalogue, title="Påkrevd kurs")
    assignment_create(by=None, course=course, unit=ward, due_date=timezone.localdate() + timedelta(days=30))
    client.force_login(manager)

    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_default,
    ):
        html = client.get(reverse("reports:dashboard")).content.decode()
        csv_text = b"".join(client.get(reverse("reports:export", args=["csv"])).streaming_content).decode()
        record = client.get(reverse("reports:person", args=[person.pk])).content.decode()

    assert person.full_name in html and person.email in csv_text and "Påkrevd kurs" in record
    replica_sql = [query["sql"] for query in on_replica.captured_queries]
    assert any("courses_requiredlearning" in sql for sql in replica_sql)
    assert not any(sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for sql in replica_sql)
    # The required-learning rows are read from the replica only; the primary keeps the session,
    # the user's scope and the audit log's entries.
    default_sql = [query["sql"] for query in on_default.captured_queries]
    assert not any('FROM "courses_requiredlearning"' in sql for sql in default_sql)
    assert any("audit_auditentry" in sql and sql.startswith("INSERT") for sql in default_sql)
