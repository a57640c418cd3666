"""Inactive accounts: a warning e-mail (once) before the configured period ends, anonymisation
after it, and logging in cancels it. The clock is passed in, so the days are exact."""

from datetime import timedelta

import pytest
from django.utils import timezone

from people.models import User
from people.services import inactive_accounts_process
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DAYS, WARNING_DAYS = 1000, 30


@pytest.fixture(autouse=True)
def _periods(settings):
    settings.INACTIVE_ACCOUNT_ANONYMISE_DAYS = DAYS
    settings.INACTIVE_ACCOUNT_WARNING_DAYS = WARNING_DAYS


@pytest.fixture
def start():
    return timezone.now().replace(microsecond=0)


def away_since(moment, **fields):
    return UserFactory(last_login=moment, date_joined=moment - timedelta(days=1), **fields)


def test_warned_once_then_anonymised(start, mailoutbox):
    person = away_since(start, first_name="Sovende")
    recent = away_since(start + timedelta(days=100))

    assert inactive_accounts_process(now=start + timedelta(days=DAYS - WARNING_DAYS - 1)) == (0, 0)
    warn_at = start + timedelta(days=DAYS - WARNING_DAYS)
    assert inactive_accounts_process(now=warn_at) == (1, 0)
    (mail,) = mailoutbox
    assert mail.to == [person.email] and "logge inn" in mail.body
    # The next daily runs send nothing more.
    assert inactive_accounts_process(now=warn_at + timedelta(days=1)) == (0, 0)
    assert inactive_accounts_process(now=start + timedelta(days=DAYS - 1)) == (0, 0)
    assert len(mailoutbox) == 1

    assert inactive_accounts_process(now=start + timedelta(days=DAYS)) == (0, 1)
    person.refresh_from_db()
    recent.refresh_from_db()
    assert person.anonymised_at is not None and person.first_name == ""
    assert recent.anonymised_at is None


def test_the_full_warning_period_is_given_even_when_the_job_was_off(start, mailoutbox):
    person = away_since(start)
    late = start + timedelta(days=DAYS + 200)  # long past the limit, never warned
    assert inactive_accounts_process(now=late) == (1, 0)
    assert inactive_accounts_process(now=late + timedelta(days=WARNING_DAYS - 1)) == (0, 0)
    assert inactive_accounts_process(now=late + timedelta(days=WARNING_DAYS)) == (0, 1)
    person.refresh_from_db()
    assert person.anonymised_at is not None


def test_logging_in_cancels_it(client, mailoutbox):
    from tests.factories import TEST_PASSWORD

    now = timezone.now()
    person = away_since(now - timedelta(days=DAYS - WARNING_DAYS, hours=1))
    assert inactive_accounts_process(now=now) == (1, 0)
    assert User.objects.get(pk=person.pk).inactivity_warning_sent_at is not None

    assert client.login(email=person.email, password=TEST_PASSWORD)
    person.refresh_from_db()
    assert person.inactivity_warning_sent_at is None and person.last_login >= now

    # At the old deadline nothing happens: the period runs again from the login.
    assert inactive_accounts_process(now=now + timedelta(days=WARNING_DAYS + 1)) == (0, 0)
    assert User.objects.get(pk=person.pk).anonymised_at is None
    assert len(mailoutbox) == 1


def test_staff_are_left_to_the_administrators(start, mailoutbox):
    away_since(start, is_staff=True)
    assert inactive_accounts_process(now=start + timedelta(days=DAYS * 2)) == (0, 0)
    assert mailoutbox == []


def test_zero_turns_it_off(settings, start, mailoutbox):
    settings.INACTIVE_ACCOUNT_ANONYMISE_DAYS = 0
    away_since(start)
    assert inactive_accounts_process(now=start + timedelta(days=DAYS * 5)) == (0, 0)
    assert mailoutbox == []


def test_a_failed_warning_is_tried_again_and_nobody_is_anonymised_unwarned(start, monkeypatch, mailoutbox):
    from people import services

    person = away_since(start)
    monkeypatch.setattr(
        services, "_mail_inactivity_warning", lambda *a: (_ for _ in ()).throw(OSError("smtp"))
    )
    assert inactive_accounts_process(now=start + timedelta(days=DAYS + 5)) == (0, 0)
    assert User.objects.get(pk=person.pk).inactivity_warning_sent_at is None
    monkeypatch.undo()
    assert inactive_accounts_process(now=start + timedelta(days=DAYS + 6)) == (1, 0)
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("days", "warning", "error"),
    [(30, 30, "people.E007"), (-1, 30, "people.E005"), (1000, 0, "people.E006")],
)
def test_contradictory_periods_fail_the_checks(settings, days, warning, error):
    from people.checks import privacy_settings_check

    settings.INACTIVE_ACCOUNT_ANONYMISE_DAYS = days
    settings.INACTIVE_ACCOUNT_WARNING_DAYS = warning
    assert [e.id for e in privacy_settings_check()] == [error]


def test_someone_who_signs_in_while_the_job_runs_is_spared(start):
    """The due list is read once; a warned person who signs in mid-run must not be anonymised."""
    from people.signals import user_anonymising

    first = away_since(start, first_name="Først")
    second = away_since(start, first_name="Andre")
    warn_at = start + timedelta(days=DAYS - WARNING_DAYS)
    assert inactive_accounts_process(now=warn_at) == (2, 0)

    def second_signs_in(sender, user, **kwargs):
        if user.pk == first.pk:  # while the job anonymises the first, the second signs in
            User.objects.filter(pk=second.pk).update(
                last_login=start + timedelta(days=DAYS), inactivity_warning_sent_at=None
            )

    user_anonymising.connect(second_signs_in)
    try:
        first_then_second = User.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk")
        assert list(first_then_second) == [first, second]
        assert inactive_accounts_process(now=start + timedelta(days=DAYS)) == (0, 1)
    finally:
        user_anonymising.disconnect(second_signs_in)
    second.refresh_from_db()
    assert second.anonymised_at is None and second.first_name == "Andre"
