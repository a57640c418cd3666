"""«Be om sletting»: a signed-in learner asks to be deleted from «Min konto»; the request is stored
for the administrators and mailed to the privacy contact; a second one while it is open is refused."""

import pytest
from django.urls import reverse

from people.models import DeletionRequest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("people:deletion_request")
PROFILE = reverse("people:profile")


def test_a_learner_asks_for_deletion_from_the_profile(
    client, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.PRIVACY_CONTACT_EMAIL = "personvern@test.example"
    learner = UserFactory(first_name="Kari", last_name="Nordmann")
    client.force_login(learner)
    html = client.get(PROFILE).content.decode()
    assert f'action="{URL}"' in html and "Be om sletting" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, follow=True)
    assert "Forespørselen om sletting er sendt" in response.content.decode()
    request = DeletionRequest.objects.get()
    assert (request.user, request.email, request.name) == (learner, learner.email, "Kari Nordmann")
    assert request.status == DeletionRequest.Status.OPEN
    (mail,) = mailoutbox
    assert mail.to == ["personvern@test.example"]
    assert learner.email in mail.body and "Kari Nordmann" in mail.body
    assert reverse("wagtailsnippets_people_deletionrequest:edit", args=[request.pk]) in mail.body
    # The profile now says the request is waiting instead of offering the button again.
    html = client.get(PROFILE).content.decode()
    assert "Forespørselen er ikke behandlet ennå" in html and f'action="{URL}"' not in html


def test_a_second_request_while_one_is_open_is_refused_politely(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    learner = UserFactory()
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL)
        response = client.post(URL, follow=True)
    assert response.status_code == 200
    assert "Du har allerede en forespørsel om sletting som ikke er behandlet" in response.content.decode()
    assert DeletionRequest.objects.count() == 1 and len(mailoutbox) == 1

    # Once handled, the learner may ask again.
    request = DeletionRequest.objects.get()
    request.status = DeletionRequest.Status.HANDLED
    request.save()
    assert request.handled_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL)
    assert DeletionRequest.objects.filter(user=learner).count() == 2 and len(mailoutbox) == 2


def test_only_a_signed_in_post_makes_a_request(client):
    response = client.post(URL)
    assert response.status_code == 302 and "/konto/login/" in response.url
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 405
    assert DeletionRequest.objects.count() == 0


def test_administrators_list_and_handle_requests_but_never_add_or_delete_them(admin_client, client):
    learner = UserFactory(first_name="Per", last_name="Hansen")
    client.force_login(learner)
    client.post(URL)
    request = DeletionRequest.objects.get()

    listing = admin_client.get(reverse("wagtailsnippets_people_deletionrequest:list"))
    assert listing.status_code == 200 and "Per Hansen" in listing.content.decode()
    assert "Ikke behandlet" in listing.content.decode()
    open_only = admin_client.get(reverse("wagtailsnippets_people_deletionrequest:list"), {"status": "open"})
    assert "Per Hansen" in open_only.content.decode()

    response = admin_client.post(
        reverse("wagtailsnippets_people_deletionrequest:edit", args=[request.pk]),
        {"status": "handled", "note": "Kontoen er slettet, svar sendt."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "handled" and request.handled_at is not None

    assert admin_client.get(reverse("wagtailsnippets_people_deletionrequest:add")).status_code in (302, 403)
    admin_client.post(reverse("wagtailsnippets_people_deletionrequest:delete", args=[request.pk]))
    assert DeletionRequest.objects.filter(pk=request.pk).exists()

    # A learner sees none of it.
    assert client.get(reverse("wagtailsnippets_people_deletionrequest:list")).status_code in (302, 403)
