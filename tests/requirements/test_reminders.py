"""Reminders go out once each, however often the job runs and (on PostgreSQL) however many workers run it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from requirements import reminders
from requirements.models import ManagerDigest
from requirements.services import assignment_create
from tests.concurrency import run_concurrently
from tests.factories import UserFactory, add_member, complete_course, make_catalogue, make_course, make_unit
from tests.markers import requires_postgresql


def setup_world(catalogue):
    ward = make_unit("Avdeling")
    manager, soon, late, done = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    add_member(manager, ward, role="manager")
    today = timezone.localdate()
    for person in (soon, late, done):
        add_member(person, ward, joined_at=today)
    course = make_course(catalogue, modules=1, title="Smittevern")
    assignment_create(by=None, course=course, user=soon, due_date=today + timedelta(days=3))
    assignment_create(by=None, course=course, user=late, due_date=today - timedelta(days=2))
    assignment_create(by=None, course=course, user=done, due_date=today - timedelta(days=2))
    complete_course(done, course)
    return manager, soon, late, done


@pytest.mark.django_db
def test_learner_reminders_are_sent_once(catalogue):
    _manager, soon, late, done = setup_world(catalogue)
    mail.outbox.clear()
    assert reminders.learner_reminders_send() == 2
    by_recipient = {message.to[0]: message.subject for message in mail.outbox}
    assert by_recipient == {
        soon.email: "Frist snart: «Smittevern»",
        late.email: "Fristen er passert: «Smittevern»",
    }
    assert reminders.learner_reminders_send() == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_manager_digest_once_a_week(catalogue):
    manager, _soon, late, done = setup_world(catalogue)
    mail.outbox.clear()
    assert reminders.manager_digests_send() == 1
    assert reminders.manager_digests_send() == 0
    (digest,) = mail.outbox
    assert digest.to == [manager.email]
    assert late.full_name in digest.body and done.full_name not in digest.body
    next_week = timezone.localdate() + timedelta(days=7)
    assert reminders.manager_digests_send(today=next_week) == 1


@pytest.mark.django_db
def test_a_failing_address_is_retried_next_run(catalogue, monkeypatch):
    _manager, soon, late, _done = setup_world(catalogue)
    real_send = reminders._send

    def send_failing_for_late(user, **kwargs):
        if user == late:
            raise OSError("mailbox unavailable")
        real_send(user, **kwargs)

    monkeypatch.setattr(reminders, "_send", send_failing_for_late)
    mail.outbox.clear()
    assert reminders.learner_reminders_send() == 1
    monkeypatch.setattr(reminders, "_send", real_send)
    assert reminders.learner_reminders_send() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([soon.email, late.email])


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once():
    setup_world(make_catalogue())
    mail.outbox.clear()
    errors = run_concurrently([reminders.learner_reminders_send, reminders.manager_digests_send] * 3)
    assert errors == []
    assert len(mail.outbox) == 3  # two learner reminders and one digest
    assert ManagerDigest.objects.count() == 1
