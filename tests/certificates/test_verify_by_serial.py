"""Verification by serial number (the biggest identifier on the kursbevis) and the short check code."""

import importlib
import io
import re

import pytest
import zxingcpp
from django.apps import apps as django_apps
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from certificates.models import CHECK_CODE_ALPHABET, Certificate, format_check_code, new_check_code
from certificates.services import certificate_render
from tests.factories import UserFactory, complete_course, make_certificate_template, make_course

pytestmark = pytest.mark.django_db

NOT_FOUND = "Fant ikke noe kursbevis med dette serienummeret og denne kontrollkoden."


@pytest.fixture
def certificate(user, course):
    make_certificate_template(course)
    complete_course(user, course)
    return Certificate.objects.get(user=user)


def lookup(client, serial, check_code):
    return client.get(reverse("certificates:verify"), {"serienummer": serial, "kontrollkode": check_code})


def _variants(certificate):
    _kb, year, number = certificate.serial.split("-")
    short = str(int(number))
    code = certificate.check_code
    return [
        (certificate.serial, certificate.check_code_display),
        (certificate.serial.lower(), code.lower()),
        (f"  {certificate.serial}  ", f" {code[:4]} {code[4:]} "),
        (f"KB {year} {number}", f"{code[:4].lower()}-{code[4:]}"),
        (f"kb {year} {short}", code),
        (f"KB{year}{number}", f"{code[:4]}–{code[4:]}"),
    ]


def test_serial_and_check_code_find_the_certificate_however_they_are_typed(client, certificate):
    for serial, check_code in _variants(certificate):
        response = lookup(client, serial, check_code)
        page = response.content.decode()
        assert response.status_code == 200, (serial, check_code)
        assert "Kursbeviset er funnet" in page
        assert certificate.holder_name in page and certificate.serial in page and "Gyldig" in page
        assert response["X-Robots-Tag"] == "noindex" and response["Referrer-Policy"] == "no-referrer"


def test_a_serial_alone_never_reveals_the_certificate(client, certificate):
    for params in (
        {"serienummer": certificate.serial},
        {"serienummer": certificate.serial, "kontrollkode": ""},
    ):
        response = client.get(reverse("certificates:verify"), params)
        page = response.content.decode()
        assert response.status_code == 400
        assert certificate.holder_name not in page and certificate.course_title not in page
        assert "Skriv også kontrollkoden. Den står ved serienummeret på kursbeviset." in page
    # The long-code field does not take a serial either.
    response = client.get(reverse("certificates:verify"), {"kode": certificate.serial})
    assert response.status_code == 404 and certificate.holder_name not in response.content.decode()


def test_a_wrong_check_code_and_an_unknown_serial_get_the_same_neutral_answer(client, certificate):
    wrong_code = next(code for code in iter(new_check_code, None) if code != certificate.check_code)
    wrong = lookup(client, certificate.serial, wrong_code)
    unknown = lookup(client, "KB-2026-999999", certificate.check_code)
    for response in (wrong, unknown):
        page = response.content.decode()
        assert response.status_code == 404
        assert NOT_FOUND in page
        assert certificate.holder_name not in page
    # Nothing tells which of the two was wrong.
    main = [re.sub(r'value="[^"]*"', "", r.content.decode().split("<main", 1)[1]) for r in (wrong, unknown)]
    assert main[0] == main[1]


@pytest.mark.parametrize(
    ("serial", "check_code", "field", "message"),
    [
        ("", "7K3M-QX9D", "serienummer", "Skriv serienummeret som står på kursbeviset."),
        ("KB-26-1", "7K3M-QX9D", "serienummer", "for eksempel KB-2026-000027."),
        ("<script>alert(1)</script>", "7K3M-QX9D", "serienummer", "for eksempel KB-2026-000027."),
        (
            "KB-2026-000027",
            "7K3M-QX9",
            "kontrollkode",
            "Kontrollkoden har 8 tegn, for eksempel 7K3M-QX9D. Du skrev 7.",
        ),
        ("KB-2026-000027", "7K3M-QX0D", "kontrollkode", "uten I, L og O"),
        ("KB-2026-000027", "7KIM-QXOD", "kontrollkode", "uten I, L og O"),
    ],
)
def test_malformed_input_gets_a_norwegian_message_at_the_field(
    client, certificate, serial, check_code, field, message
):
    response = lookup(client, serial, check_code)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert "<script>alert" not in page
    field_html = re.search(rf'<input[^>]*id="id_{field}"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field_html and "autofocus" in field_html  # focus moves to the field
    assert f"id_{field}_error" in field_html  # the message is the field's description
    assert certificate.holder_name not in page


def test_serial_lookups_share_the_rate_limit(client, settings, certificate):
    settings.CERTIFICATE_VERIFY_PER_MINUTE = 3
    assert [lookup(client, "KB-2026-999999", "7K3M-QX9D").status_code for _ in range(3)] == [404] * 3
    response = lookup(client, certificate.serial, certificate.check_code)
    assert response.status_code == 429
    assert certificate.holder_name not in response.content.decode()
    other_client = client.__class__(REMOTE_ADDR="10.0.0.2")
    assert lookup(other_client, certificate.serial, certificate.check_code).status_code == 200


def test_check_codes_are_easy_to_read_aloud_and_hard_to_guess(certificate):
    codes = {new_check_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == 8 and set(code) <= set(CHECK_CODE_ALPHABET) for code in codes)
    assert not set("IL01O") & set(CHECK_CODE_ALPHABET)
    assert len(CHECK_CODE_ALPHABET) ** 8 > 2**39  # about 39.6 bits, against 30 guesses a minute
    assert format_check_code("7K3MQX9D") == "7K3M-QX9D"
    assert set(certificate.check_code) <= set(CHECK_CODE_ALPHABET) and len(certificate.check_code) == 8


def test_the_migration_gives_every_existing_certificate_its_own_check_code(catalogue):
    migration = importlib.import_module("certificates.migrations.0003_check_code_issuer_duration")
    for _index in range(5):
        course = make_course(catalogue, modules=1)
        complete_course(UserFactory(), course)
    Certificate.objects.update(check_code="")
    migration.fill_check_codes(django_apps, None)
    codes = list(Certificate.objects.values_list("check_code", flat=True))
    assert len(codes) == 5 and len(set(codes)) == 5
    assert all(len(code) == 8 and set(code) <= set(CHECK_CODE_ALPHABET) for code in codes)


def test_pdf_prints_serial_check_code_and_the_configured_address_and_its_qr_keeps_the_long_code(
    settings, certificate
):
    settings.PLATFORM_BASE_URL = "https://kurs.helse-eksempel.no"
    certificate = certificate_render(certificate_id=certificate.pk, force=True)
    reader = PdfReader(certificate.pdf.open("rb"))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert certificate.serial in text
    assert certificate.check_code_display in text
    assert "https://kurs.helse-eksempel.no/verifiser/" in text  # the printed link
    assert "127.0.0.1" not in text and "localhost" not in text and "example.com" not in text
    images = [Image.open(io.BytesIO(image.data)) for page in reader.pages for image in page.images]
    decoded = [result.text for image in images for result in zxingcpp.read_barcodes(image)]
    assert decoded == [f"https://kurs.helse-eksempel.no/verifiser/{certificate.verification_code}/"]


def test_certificate_page_shows_the_learner_what_to_give_a_verifier(client, user, certificate):
    client.force_login(user)
    page = client.get(reverse("certificates:detail", args=[certificate.public_id])).content.decode()
    assert certificate.check_code_display in page and certificate.serial in page
