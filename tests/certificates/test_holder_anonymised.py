"""A certificate whose holder is anonymised: by CERTIFICATE_RETENTION_AFTER_DELETION it stays
verifiable as «utstedt til en slettet bruker» (default) or is revoked; the name is gone from the
certificate, its PDF is deleted and never made again."""

import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from certificates.models import Certificate, PdfStatus
from certificates.services import certificate_render, certificates_rerender
from people.services import user_anonymise
from tests.factories import UserFactory, complete_course

pytestmark = pytest.mark.django_db

DELETED = "utstedt til en slettet bruker"


@pytest.fixture
def certificate(course):
    holder = UserFactory(first_name="Ragnhild", last_name="Verifisertsen")
    complete_course(holder, course)
    return certificate_render(certificate_id=Certificate.objects.get(user=holder).pk)


def _verify(client, certificate):
    response = client.get(reverse("certificates:verify_code", args=[certificate.verification_code]))
    assert response.status_code == 200
    return response.content.decode()


def test_by_default_it_stays_valid_without_the_name(client, certificate, django_capture_on_commit_callbacks):
    page = _verify(client, certificate)
    assert "Ragnhild Verifisertsen" in page and DELETED not in page
    pdf_path = certificate.pdf.path

    with django_capture_on_commit_callbacks(execute=True):
        user_anonymise(user=certificate.user)

    certificate.refresh_from_db()
    assert certificate.holder_name == "" and certificate.revoked_at is None and not certificate.pdf
    assert not os.path.exists(pdf_path)
    page = _verify(client, certificate)
    assert DELETED in page and "Ragnhild" not in page and "Gyldig" in page
    # By serial number and check code too.
    response = client.get(
        reverse("certificates:verify"),
        {"serienummer": certificate.serial, "kontrollkode": certificate.check_code},
    )
    assert DELETED in response.content.decode()


def test_revoke_setting_revokes_it(client, settings, certificate, django_capture_on_commit_callbacks):
    settings.CERTIFICATE_RETENTION_AFTER_DELETION = "revoke"
    with django_capture_on_commit_callbacks(execute=True):
        user_anonymise(user=certificate.user)
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.holder_name == ""
    page = _verify(client, certificate)
    assert "Tilbakekalt" in page and DELETED in page and "Ragnhild" not in page


def test_no_pdf_with_a_name_is_made_again(certificate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user_anonymise(user=certificate.user)
    with django_capture_on_commit_callbacks(execute=True):
        certificates_rerender()
    certificate.refresh_from_db()
    assert not certificate.pdf and certificate.pdf_status == PdfStatus.FAILED


def test_a_bad_retention_setting_fails_the_checks(settings):
    from django.core.management.base import SystemCheckError

    settings.CERTIFICATE_RETENTION_AFTER_DELETION = "forget"
    with pytest.raises(SystemCheckError, match="certificates.E002"):
        call_command("check")
