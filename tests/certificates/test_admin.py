import pytest
from django.urls import reverse

from certificates.models import Certificate, CertificateStatus
from tests.factories import complete_course, make_certificate_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(email="sjef@test.example", password="x"))
    return client


@pytest.fixture
def certificate(user, course):
    complete_course(user, course)
    return Certificate.objects.get()


def edit_url(certificate):
    return reverse("wagtailsnippets_certificates_certificate:edit", args=[certificate.pk])


def test_admin_revokes_with_a_reason_and_the_record_stays(admin_client, certificate):
    response = admin_client.post(
        edit_url(certificate), {"revoke": "on", "revoked_reason": "Utstedt ved en feil"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.revoked_reason == "Utstedt ved en feil"
    assert Certificate.objects.count() == 1


def test_revoking_without_a_reason_is_refused(admin_client, certificate):
    response = admin_client.post(edit_url(certificate), {"revoke": "on", "revoked_reason": " "})
    assert response.status_code == 200
    assert "Skriv hvorfor" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_admin_lists_certificates_with_pdf_status(admin_client, certificate):
    import re

    page = admin_client.get(reverse("wagtailsnippets_certificates_certificate:list")).content.decode()
    row = re.search(rf"{certificate.serial}.*?</tr>", page, re.S).group(0)
    assert "Under arbeid" in row and "Gyldig" in row


def test_no_one_adds_or_deletes_certificates_in_the_admin(admin_client, certificate):
    delete_url = reverse("wagtailsnippets_certificates_certificate:delete", args=[certificate.pk])
    assert admin_client.post(delete_url).status_code in (302, 403)
    assert Certificate.objects.filter(pk=certificate.pk).exists()
    add_url = reverse("wagtailsnippets_certificates_certificate:add")
    assert admin_client.get(add_url).status_code in (302, 403)


def test_a_reason_without_revoking_is_not_kept(admin_client, certificate):
    admin_client.post(edit_url(certificate), {"revoked_reason": "bare en kommentar"})
    certificate.refresh_from_db()
    assert (certificate.revoked_at, certificate.revoked_reason) == (None, "")


def test_admin_rerenders_one_certificate(admin_client, certificate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(edit_url(certificate), {"rerender": "on"})
    certificate.refresh_from_db()
    assert certificate.pdf_status == "ready" and certificate.pdf


def test_rerender_is_for_administrators_only(
    user, admin_client, certificate, django_capture_on_commit_callbacks
):
    from django.test import Client

    url = reverse("certificates_rerender")
    learner = Client()
    learner.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        assert learner.post(url).status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.pdf_status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"template": ""})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert (certificate.pdf_status, certificate.pdf_error) == ("ready", "")


def test_course_holder_edits_templates_but_cannot_revoke(client, certificate, course, django_user_model):
    from django.contrib.auth.models import Group, Permission

    holder = django_user_model.objects.create_user(email="holder@test.example", password="x")
    group = Group.objects.create(name="Holders")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="certificates", codename__endswith="certificatetemplate"
        ),
    )
    holder.groups.add(group)
    client.force_login(holder)
    template = make_certificate_template(course)
    assert (
        client.get(
            reverse("wagtailsnippets_certificates_certificatetemplate:edit", args=[template.pk])
        ).status_code
        == 200
    )
    response = client.post(edit_url(certificate), {"revoke": "on", "revoked_reason": "x"})
    assert response.status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_a_template_certificates_were_issued_from_cannot_be_deleted(admin_client, user, course):
    template = make_certificate_template(course)
    complete_course(user, course)
    url = reverse("wagtailsnippets_certificates_certificatetemplate:delete", args=[template.pk])
    assert admin_client.get(url).status_code == 200  # the page explains why
    assert admin_client.post(url).status_code in (302, 403)  # refused: the admin redirects with a message
    assert Certificate.objects.get().template == template
