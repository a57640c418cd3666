"""Administrators and privacy: «Slett» on a person (even one holding a kursbevis) anonymises them,
single and in bulk; deletion requests are answered with «Anonymiser nå» or «Avvis med
begrunnelse», and the person is told the outcome at the address they had."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from certificates.models import Certificate
from people.models import DeletionRequest, User
from people.services import deletion_request_create
from tests.factories import UserFactory, complete_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser(email="sjef@test.example", password="x")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def holder(course, django_capture_on_commit_callbacks):
    """A learner with a kursbevis (its foreign key protects the user row from being deleted)."""
    learner = UserFactory(first_name="Kari", last_name="Kursbevisholder")
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, course)
    assert Certificate.objects.filter(user=learner).exists()
    return learner


def test_deleting_a_certificate_holder_in_the_admin_anonymises_them(admin_client, holder):
    url = reverse("wagtailusers_users:delete", args=[holder.pk])
    page = admin_client.get(url).content.decode()
    assert "Personen anonymiseres" in page and "Ja, anonymiser" in page

    response = admin_client.post(url)
    assert response.status_code == 302
    holder.refresh_from_db()
    assert holder.anonymised_at is not None and holder.last_name == ""
    certificate = Certificate.objects.get(user=holder)
    assert certificate.holder_name == "" and certificate.revoked_at is None
    assert "anonymisert" in admin_client.get(response["Location"]).content.decode()


def test_bulk_delete_anonymises_every_chosen_person(admin_client, holder):
    other = UserFactory(last_name="Ingenkursbevis")
    url = reverse("wagtail_bulk_action", args=("people", "user", "delete"))
    query = f"?id={holder.pk}&id={other.pk}&next=/admin/users/"
    page = admin_client.get(url + query).content.decode()
    assert "Disse personene anonymiseres" in page
    response = admin_client.post(url + query)
    assert response.status_code == 302
    assert User.objects.filter(pk__in=[holder.pk, other.pk], anonymised_at__isnull=False).count() == 2
    assert not User.objects.filter(last_name__in=["Kursbevisholder", "Ingenkursbevis"]).exists()


def test_anonymise_now_answers_the_request_then_anonymises(
    admin_client, holder, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request, _ = deletion_request_create(user=holder)
    mailoutbox.clear()
    listing = admin_client.get(reverse("wagtailsnippets_people_deletionrequest:list")).content.decode()
    url = reverse("people_deletion_anonymise", args=[request.pk])
    assert url in listing and reverse("people_deletion_reject", args=[request.pk]) in listing
    assert "Anonymiser nå" in admin_client.get(url).content.decode()

    address = holder.email
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url)
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.to == [address] and "anonymisert" in mail.body and "Kari Kursbevisholder" in mail.body
    request.refresh_from_db()
    holder.refresh_from_db()
    assert request.status == DeletionRequest.Status.HANDLED and request.handled_at is not None
    assert (request.name, request.email) == ("", holder.email) and holder.anonymised_at is not None
    # Handled: no buttons, and a second post changes nothing.
    assert (
        url not in admin_client.get(reverse("wagtailsnippets_people_deletionrequest:list")).content.decode()
    )
    admin_client.post(url)
    assert len(mailoutbox) == 1


def test_reject_needs_a_reason_and_mails_it(
    admin_client, user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request, _ = deletion_request_create(user=user)
    mailoutbox.clear()
    url = reverse("people_deletion_reject", args=[request.pk])

    response = admin_client.post(url, {"reason": "   "})
    assert response.status_code == 200 and "error" in response.content.decode()
    request.refresh_from_db()
    assert request.status == DeletionRequest.Status.OPEN and mailoutbox == []

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url, {"reason": "Regnskapsloven krever at fakturaen oppbevares til 2028."}
        )
    assert response.status_code == 302
    request.refresh_from_db()
    user.refresh_from_db()
    assert request.status == DeletionRequest.Status.REJECTED and request.reason.startswith("Regnskapsloven")
    assert user.anonymised_at is None
    (mail,) = mailoutbox
    assert mail.to == [user.email] and "Regnskapsloven krever" in mail.body and "Datatilsynet" in mail.body


def test_only_those_allowed_may_answer_requests(client, user):
    request, _ = deletion_request_create(user=user)
    editor = UserFactory()
    group = Group.objects.create(name="Redaktører")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    client.force_login(editor)
    listing = reverse("wagtailsnippets_people_deletionrequest:list")
    anonymise = reverse("people_deletion_anonymise", args=[request.pk])
    reject = reverse("people_deletion_reject", args=[request.pk])

    def refused(response):  # the Wagtail admin turns PermissionDenied into a redirect to its home
        return response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")

    assert refused(client.post(anonymise)) and refused(client.post(reject, {"reason": "Nei"}))
    # Handling requests alone may reject, but anonymising also takes the right to delete people.
    group.permissions.add(Permission.objects.get(codename="change_deletionrequest"))
    client.force_login(User.objects.get(pk=editor.pk))
    page = client.get(listing).content.decode()
    assert reject in page and anonymise not in page
    assert refused(client.post(anonymise))
    request.refresh_from_db()
    user.refresh_from_db()
    assert request.status == DeletionRequest.Status.OPEN and user.anonymised_at is None
