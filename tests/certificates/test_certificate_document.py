"""The kursbevis PDF: the issuing organisation (a site setting), the whole page, and the duration said
the same way as in the catalogue («ca. 1 t 20 min»)."""

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from pypdf import PdfReader
from wagtail.images.models import Image
from wagtail.models import Site

from certificates.models import Certificate, CertificateTemplate, IssuerSettings
from certificates.services import certificate_render
from tests.factories import complete_course, make_certificate_template, make_course

pytestmark = pytest.mark.django_db


def _logo() -> Image:
    picture = PILImage.new("RGB", (300, 120), "#0b5a6b")
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return Image.objects.create(title="LMS-logo", file=ImageFile(buffer, name="lms-logo.png"))


@pytest.fixture
def issued(user, catalogue):
    course = make_course(catalogue, modules=1, title="Samtaler om mestring", estimated_duration=80)
    make_certificate_template(course)
    complete_course(user, course)
    return Certificate.objects.get(user=user)


def _pdf(certificate) -> PdfReader:
    certificate = certificate_render(certificate_id=certificate.pk, force=True)
    return PdfReader(certificate.pdf.open("rb"))


def _positions(page) -> dict[str, float]:
    """Each text fragment's height on the page, as a share of the page height from the bottom."""
    height = float(page.mediabox.height)
    found: dict[str, float] = {}

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            found.setdefault(text.strip(), (tm[5] * cm[3] + cm[5]) / height)

    page.extract_text(visitor_text=visit)
    return found


def test_pdf_names_the_issuer_from_the_site_setting_with_its_logo(issued):
    issuer = IssuerSettings.for_site(Site.objects.get(is_default_site=True))
    issuer.name = "Lærings- og mestringssenteret i Helse Vest"
    issuer.logo = _logo()
    issuer.save()
    reader = _pdf(issued)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Utstedt av" in text or "UTSTEDT AV" in text
    assert "Lærings- og mestringssenteret i Helse Vest" in text
    assert len(reader.pages) == 1
    assert len(reader.pages[0].images) == 2  # the issuer's logo and the QR code
    assert reader.metadata.author == "Lærings- og mestringssenteret i Helse Vest"


def test_without_a_name_the_issuer_is_the_site(issued, settings):
    settings.WAGTAIL_SITE_NAME = "Kursplattformen"
    text = _pdf(issued).pages[0].extract_text()
    assert "Kursplattformen" in text


def test_the_certificate_uses_the_whole_page(issued):
    reader = _pdf(issued)
    assert len(reader.pages) == 1
    positions = _positions(reader.pages[0])
    serial = next(height for text, height in positions.items() if text.startswith("KB-"))
    issuer = next(height for text, height in positions.items() if text in ("UTSTEDT AV", "Utstedt av"))
    name = positions[issued.holder_name]
    assert issuer > 0.85  # the issuer heads the page
    assert serial < 0.25  # serial, check code and QR code along the bottom
    assert 0.35 < name < 0.7  # the learner's name in the middle


def test_duration_reads_as_in_the_catalogue(issued):
    text = _pdf(issued).pages[0].extract_text().replace("\n", " ")
    assert "(ca. 1 t 20 min)" in text
    assert "1,3 timer" not in text


def test_duration_is_bokmal_on_the_certificate_page_in_english_mode(client, user, issued):
    from django.urls import reverse

    user.preferred_language = "en"
    user.save()
    client.force_login(user)
    page = client.get(reverse("certificates:detail", args=[issued.public_id]))
    html = page.content.decode()
    assert "(ca. 1 t 20 min)" in html
    assert "desember" in html and "December" not in html.split('class="certificate-view"', 1)[1]


def test_templates_that_said_timer_timer_now_say_the_duration(db):
    migration = importlib.import_module("certificates.migrations.0003_check_code_issuer_duration")
    template = make_certificate_template(
        body_health_personnel="{navn} har fullført «{kurs}» ({timer} timer) den {dato}.",
        body_user_representative="{navn} ({timer} timer, {timer} t).",
    )
    migration.timer_to_varighet(django_apps, None)
    template.refresh_from_db()
    assert template.body_health_personnel == "{navn} har fullført «{kurs}» ({varighet}) den {dato}."
    assert template.body_user_representative == "{navn} ({varighet}, {timer} t)."
    assert "{varighet}" in CertificateTemplate().body_health_personnel
    assert "{varighet}" in CertificateTemplate().body_user_representative
