"""A sign-up e-mail is never lost: with the broker down it is sent in the request instead, and
the sign-up succeeds (no row holds the message, so no sweep could send it later)."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from kombu.exceptions import OperationalError

from people import tasks
from people.models import ParticipantType, User

pytestmark = pytest.mark.django_db

SIGNUP = {
    "first_name": "Nora",
    "last_name": "Nilsen",
    "participant_type": ParticipantType.USER_REPRESENTATIVE,
    "profession": "",
    "password1": "Et-sterkt-passord-2026",
    "password2": "Et-sterkt-passord-2026",
}


def test_sign_up_with_the_broker_down_still_sends_the_confirmation(
    client, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(tasks.send_account_mail, "delay", side_effect=OperationalError("broker nede")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("account_signup"), {**SIGNUP, "email": "nora@test.example"})
    assert response.status_code == 302
    assert User.objects.filter(email="nora@test.example").exists()
    (message,) = mail.outbox
    assert message.to == ["nora@test.example"]


def test_sign_up_queues_the_confirmation_when_the_broker_is_up(client, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(tasks.send_account_mail, "delay") as queued,
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("account_signup"), {**SIGNUP, "email": "nora@test.example"})
    (payload,), _kwargs = queued.call_args
    assert payload["to"] == ["nora@test.example"]
    assert mail.outbox == []  # sent by the worker, not the request
