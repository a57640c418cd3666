"""The client address, anonymisation, the retention purge and the settings check."""

from datetime import timedelta

import pytest
from django.core.checks import Error
from django.test import RequestFactory
from django.utils import timezone

from audit import checks
from audit.models import AuditEntry
from audit.services import (
    ANONYMISED,
    AuditDetailError,
    audit_anonymise_user,
    audit_purge_expired,
    record_read,
)
from tests.factories import UserFactory, add_member, make_unit

pytestmark = pytest.mark.django_db


def request_from(user, **meta):
    request = RequestFactory().get("/", **meta)
    request.user = user
    return request


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        # No proxy: the connection's address; a forwarded header is the client's own word.
        (0, {"REMOTE_ADDR": "192.0.2.1", "HTTP_X_FORWARDED_FOR": "203.0.113.66"}, "192.0.2.1"),
        # One proxy: the address it appended, not the one a client wrote before it.
        (
            1,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.66, 198.51.100.7"},
            "198.51.100.7",
        ),
        (
            2,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.7, 10.0.0.1"},
            "198.51.100.7",
        ),
        # Fewer entries than trusted proxies: the header is not believed.
        (2, {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}, "10.0.0.2"),
        (1, {"REMOTE_ADDR": "10.0.0.2"}, "10.0.0.2"),
    ],
)
def test_a_read_records_the_client_address_by_the_trusted_proxy_rule(settings, user, proxies, meta, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    entry = record_read(request_from(user, **meta), action="person_record", obj=user)
    assert entry.remote_addr == expected


def test_a_change_through_the_middleware_follows_the_same_rule(settings, admin_client, certificate_url):
    settings.TRUSTED_PROXY_COUNT = 1
    admin_client.post(
        certificate_url,
        {"revoke": "on", "revoked_reason": "Feil"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7",
        HTTP_X_FORWARDED_PORT="4444",
        HTTP_X_CORRELATION_ID="<script>tekst fra klienten</script>",
    )
    entry = AuditEntry.objects.get(event="certificate_revoked")
    assert entry.remote_addr == "198.51.100.7"
    assert entry.remote_port is None and entry.cid is None


@pytest.fixture
def certificate_url(user, course):
    from django.urls import reverse

    from certificates.models import Certificate
    from tests.factories import complete_course

    complete_course(user, course)
    return reverse("wagtailsnippets_certificates_certificate:edit", args=[Certificate.objects.get().pk])


@pytest.mark.parametrize("key", ["text", "answers", "name", "email", "Reflection"])
def test_a_reads_detail_refuses_free_text_and_names(user, key):
    with pytest.raises(AuditDetailError):
        record_read(request_from(user), action="x", obj=user, detail={key: "…"})
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).exists()


def test_anonymising_keeps_the_actions_and_drops_what_could_name_the_person(user):
    manager = UserFactory()
    unit = make_unit("Avdeling")
    membership = add_member(user, unit)
    record_read(request_from(manager), action="person_record", obj=user)
    record_read(request_from(user), action="staff_export", model="people.Membership")
    AuditEntry.objects.filter(actor=user).update(actor_email=user.email)  # as an older entry could have
    AuditEntry.objects.filter(subject_user=user).update(changes_text=f"{user.get_full_name()} endret")
    about = AuditEntry.objects.filter(subject_user=user).count()
    assert about >= 2  # the membership and the read

    audit_anonymise_user(user_id=user.pk)
    entries = AuditEntry.objects.filter(subject_user=user)
    assert entries.count() == about
    assert all(entry.object_repr == ANONYMISED and entry.changes_text == "" for entry in entries)
    created = entries.get(
        content_type__model="membership", object_pk=str(membership.pk), action=AuditEntry.Action.CREATE
    )
    assert set(created.changes) >= {"user", "unit", "role", "joined_at"}  # what changed stays
    assert all(value == [ANONYMISED, ANONYMISED] for value in created.changes.values())
    assert AuditEntry.objects.get(actor=user).actor_email is None
    assert AuditEntry.objects.filter(actor=manager, event="person_record").exists()


def test_deleting_a_person_keeps_the_entries_about_them_without_a_name(user):
    manager = UserFactory()
    record_read(request_from(manager), action="person_record", obj=user)
    user_id = user.pk
    user.delete()
    entry = AuditEntry.objects.select_related("subject_user").get(event="person_record")
    assert entry.subject_user is None  # the name goes with the row
    assert entry.subject_user_id == user_id and entry.object_pk == str(user_id)
    assert entry.object_repr == ANONYMISED
    assert entry.actor == manager


def test_a_person_deleting_their_own_account_leaves_entries_without_an_actor(user, ward):
    from auditlog.context import set_actor

    add_member(user, ward)
    user_id = user.pk
    with set_actor(user):
        user.delete()  # the membership goes too, logged while the person's row is being deleted
    deleted = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE)
    assert {e.content_type.model for e in deleted} >= {"membership", "user"}
    assert all(e.actor_id is None and e.subject_user_id == user_id for e in deleted)


def test_people_anonymisation_signal_reaches_the_audit_log(user):
    from people import signals

    if not hasattr(signals, "user_anonymising"):
        pytest.fail("people.signals.user_anonymising is gone: connect audit_anonymise_user to its successor")
    record_read(request_from(UserFactory()), action="person_record", obj=user)
    signals.user_anonymising.send(sender=type(user), user=user)
    assert AuditEntry.objects.get(event="person_record").object_repr == ANONYMISED


def test_the_purge_deletes_only_entries_past_retention_in_batches(settings, user):
    settings.AUDIT_RETENTION_DAYS = 30
    request = request_from(user)
    for _ in range(5):
        record_read(request, action="person_record", obj=user)
    now = timezone.now()
    total = AuditEntry.objects.count()
    old = list(AuditEntry.objects.filter(event="person_record").values_list("pk", flat=True)[:3])
    AuditEntry.objects.filter(pk__in=old).update(timestamp=now - timedelta(days=31))
    AuditEntry.objects.exclude(pk__in=old).update(timestamp=now - timedelta(days=29))
    assert audit_purge_expired(now=now, batch_size=2) == 3
    assert AuditEntry.objects.count() == total - 3
    assert not AuditEntry.objects.filter(pk__in=old).exists()
    assert audit_purge_expired(now=now) == 0  # twice is harmless


def test_the_beat_task_purges(settings, user):
    from audit.tasks import purge_expired_entries

    settings.AUDIT_RETENTION_DAYS = 1
    record_read(request_from(user), action="person_record", obj=user)
    AuditEntry.objects.update(timestamp=timezone.now() - timedelta(days=2))
    assert purge_expired_entries.delay().get() == 2  # the read and the user's creation
    assert not AuditEntry.objects.exists()
    assert settings.CELERY_BEAT_SCHEDULE["audit-log-purge"]["task"] == "audit.tasks.purge_expired_entries"


@pytest.mark.parametrize("value", [0, -1, "730", 1.5, None])
def test_a_bad_retention_setting_fails_the_check(settings, value):
    settings.AUDIT_RETENTION_DAYS = value
    errors = checks.retention_check()
    assert [error.id for error in errors] == ["audit.E001"]
    assert isinstance(errors[0], Error)


def test_the_default_settings_pass_the_checks(settings):
    del settings.AUDIT_RETENTION_DAYS
    from audit import app_settings

    assert app_settings.AUDIT_RETENTION_DAYS == 730
    assert (
        checks.retention_check() == []
        and checks.entry_model_check() == []
        and checks.middleware_check() == []
    )


def test_the_middleware_check_wants_it_after_authentication_and_without_auditlogs_own(settings):
    settings.MIDDLEWARE = [checks.MIDDLEWARE, checks.AUTHENTICATION_MIDDLEWARE]
    assert [e.id for e in checks.middleware_check()] == ["audit.E003"]
    settings.MIDDLEWARE = [
        checks.AUTHENTICATION_MIDDLEWARE,
        checks.MIDDLEWARE,
        "auditlog.middleware.AuditlogMiddleware",
    ]
    assert [e.id for e in checks.middleware_check()] == ["audit.E004"]
