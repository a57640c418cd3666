"""Sign-up with a taken address does the same work as with a new one, so its timing tells nothing.

No wall clock: the expensive steps are counted instead. Hashing a password is what made a new
address answer ten times slower (hundreds of milliseconds by design); sending an e-mail is the other
slow step, and both paths now leave it to the same background task after the transaction.
"""

import re
from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.urls import reverse

from people import tasks
from people.models import ParticipantType, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "first_name": "Nora",
    "last_name": "Nilsen",
    "participant_type": ParticipantType.USER_REPRESENTATIVE,
    "profession": "",
    "password1": "Et-sterkt-passord-2026",
    "password2": "Et-sterkt-passord-2026",
}


def _sign_up(client, email, django_capture_on_commit_callbacks):
    """Sign up; return the response, the page it leads to, and the expensive work it did."""
    hasher = MD5PasswordHasher.encode  # the test settings' only hasher (PASSWORD_HASHERS)
    with (
        mock.patch.object(MD5PasswordHasher, "encode", autospec=True, side_effect=hasher) as encode,
        mock.patch.object(tasks.send_account_mail, "delay") as queued,
        mock.patch("django.core.mail.message.EmailMessage.send") as sent_in_request,
    ):
        with django_capture_on_commit_callbacks(execute=False) as on_commit:
            response = client.post(reverse("account_signup"), {**SIGNUP, "email": email})
            queued_before_commit = queued.call_count
        for callback in on_commit:  # the transaction commits
            callback()
    page = client.get(response["Location"]).content.decode()
    # Only what must differ is set aside: the CSRF token, and the address if the page names it.
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page).replace(email, "ADDRESS")
    work = {
        "password hashes": encode.call_count,
        "mails queued before commit": queued_before_commit,
        "mails queued after commit": queued.call_count,
        "mails sent in the request": sent_in_request.call_count,
    }
    return response, page, work


def test_taken_and_new_addresses_do_the_same_work_and_get_the_same_answer(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="finnes@test.example")
    taken, taken_page, taken_work = _sign_up(
        client, "finnes@test.example", django_capture_on_commit_callbacks
    )
    client.cookies.clear()
    new, new_page, new_work = _sign_up(client, "ny@test.example", django_capture_on_commit_callbacks)

    assert User.objects.filter(email="ny@test.example").exists()  # the new path did create the user
    assert (
        taken_work
        == new_work
        == {
            "password hashes": 1,
            "mails queued before commit": 0,
            "mails queued after commit": 1,
            "mails sent in the request": 0,
        }
    )
    assert taken.status_code == new.status_code == 302
    assert taken["Location"] == new["Location"] == reverse("account_email_verification_sent")
    assert taken_page == new_page


def test_the_queued_mails_reach_the_right_people(client, django_capture_on_commit_callbacks):
    UserFactory(email="finnes@test.example")
    for email in ("finnes@test.example", "ny@test.example"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("account_signup"), {**SIGNUP, "email": email})
    assert [message.to for message in mail.outbox] == [["finnes@test.example"], ["ny@test.example"]]
    taken, new = mail.outbox
    assert "/konto/password/reset/" in taken.body  # «you already have an account»
    assert "/konto/confirm-email/" in new.body
    assert all(message.subject.startswith("[Helsepedagogikk]") for message in mail.outbox)


def test_the_mail_task_retries_when_the_mail_server_is_away(settings):
    message = {"subject": "Emne", "body": "Tekst", "from_email": "a@test.example", "to": ["b@test.example"]}
    with (
        mock.patch("django.core.mail.message.EmailMessage.send", side_effect=OSError("nede")),
        mock.patch.object(tasks.send_account_mail, "retry", side_effect=RuntimeError("retry")) as retry,
        pytest.raises(RuntimeError, match="retry"),
    ):
        tasks.send_account_mail.apply(args=[message], throw=True)
    assert retry.call_args.kwargs["countdown"] == 30
