import io

import pytest
import zxingcpp
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from certificates.models import Certificate, PdfStatus
from certificates.rendering import verification_url
from certificates.services import certificate_render, certificate_revoke
from tests.factories import complete_course, make_certificate_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(user, course):
    make_certificate_template(course, validity_months=24)
    complete_course(user, course)
    return certificate_render(certificate_id=Certificate.objects.get(user=user).pk)


def test_pdf_text_names_the_learner_the_course_and_the_serial(certificate):
    reader = PdfReader(certificate.pdf.open("rb"))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert certificate.holder_name in text
    assert certificate.course_title in text
    assert certificate.serial in text
    assert reader.metadata.title.startswith("Kursbevis")
    assert reader.trailer["/Root"]["/Lang"] == "nb"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged: real, structured text


def test_pdf_qr_code_decodes_to_the_verification_address(certificate):
    reader = PdfReader(certificate.pdf.open("rb"))
    images = [Image.open(io.BytesIO(image.data)) for page in reader.pages for image in page.images]
    decoded = [result.text for image in images for result in zxingcpp.read_barcodes(image)]
    assert decoded == [verification_url(certificate)]
    assert decoded[0].endswith(f"/verifiser/{certificate.verification_code}/")


def test_learner_lists_and_downloads_their_certificate(client, user, certificate):
    client.force_login(user)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert certificate.serial in page and "Gyldig" in page
    response = client.get(reverse("certificates:pdf", args=[certificate.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]
    html = client.get(reverse("certificates:detail", args=[certificate.public_id])).content.decode()
    assert certificate.holder_name in html and certificate.verification_code in html


def test_another_learner_gets_404_for_someone_elses_certificate(client, other_user, certificate):
    client.force_login(other_user)
    for name in ("certificates:pdf", "certificates:detail"):
        assert client.get(reverse(name, args=[certificate.public_id])).status_code == 404
    assert certificate.serial not in client.get(reverse("certificates:mine")).content.decode()


def test_sequential_ids_are_not_in_any_url(client, user, certificate):
    client.force_login(user)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert f"/mine-kursbevis/{certificate.public_id}/pdf/" in page
    assert f"/mine-kursbevis/{certificate.pk}/" not in page
    assert client.get(f"/mine-kursbevis/{certificate.pk}/pdf/").status_code == 404


def test_anonymous_download_goes_to_login(client, certificate):
    response = client.get(reverse("certificates:pdf", args=[certificate.public_id]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_pdf_under_work_shows_a_page_not_a_broken_file(client, user, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(pdf_status=PdfStatus.FAILED)
    client.force_login(user)
    response = client.get(reverse("certificates:pdf", args=[certificate.public_id]))
    assert response.status_code == 202
    assert "under arbeid" in response.content.decode()
    assert "Under arbeid" in client.get(reverse("certificates:mine")).content.decode()


def verify(client, code):
    return client.get(reverse("certificates:verify_code", args=[code]))


def test_verification_shows_a_valid_certificate_and_nothing_more(client, user, certificate):
    response = verify(client, certificate.verification_code)
    page = response.content.decode()
    assert response.status_code == 200
    for shown in (certificate.holder_name, certificate.course_title, certificate.serial, "Gyldig"):
        assert shown in page
    for hidden in (user.email, user.profession, str(certificate.public_id), "Helsepersonell"):
        assert hidden not in page
    assert response["X-Robots-Tag"] == "noindex"


def test_verification_shows_expired_and_revoked(client, certificate):
    from datetime import timedelta

    from django.utils import timezone

    Certificate.objects.filter(pk=certificate.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert "Utløpt" in verify(client, certificate.verification_code).content.decode()
    certificate_revoke(certificate=certificate, reason="Dokumentfalsk oppdaget")
    page = verify(client, certificate.verification_code).content.decode()
    assert "Tilbakekalt" in page
    assert "Dokumentfalsk" not in page


@pytest.mark.parametrize("code", ["ukjent-kode-som-er-lang-nok", "<script>", "x", "a" * 200, "%00"])
def test_unknown_and_malformed_codes_get_the_same_neutral_answer(client, certificate, code):
    response = client.get(reverse("certificates:verify"), {"kode": code})
    assert response.status_code == 404
    assert "Fant ikke noe kursbevis med denne koden." in response.content.decode()
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_verification_form_redirects_to_the_result(client, certificate):
    response = client.get(reverse("certificates:verify"), {"kode": certificate.verification_code})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:verify_code", args=[certificate.verification_code])


def test_verification_is_rate_limited_per_client(client, settings, certificate):
    settings.CERTIFICATE_VERIFY_PER_MINUTE = 3
    codes = ["feil-kode-nummer-1", "feil-kode-nummer-2", "feil-kode-nummer-3"]
    assert [verify(client, code).status_code for code in codes] == [404, 404, 404]
    response = verify(client, certificate.verification_code)
    assert response.status_code == 429
    assert certificate.holder_name not in response.content.decode()
    other_client = client.__class__(REMOTE_ADDR="10.0.0.2")
    assert verify(other_client, certificate.verification_code).status_code == 200
