"""Turn a certificate into HTML and PDF.

The PDF is real text (not an image of text), carries a document title and
the language nb, and embeds a QR code (segno) for the verification address.
"""

from __future__ import annotations

import base64
import mimetypes

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from wagtail.models import Site

from core.durations import format_duration
from core.mail import absolute_url
from core.metrics import observe
from people.models import ParticipantType

from . import app_settings, metrics
from .models import Certificate, CertificateTemplate, IssuerSettings


def verification_url(certificate: Certificate) -> str:
    """The QR code's link: the long code, on the configured public address (PLATFORM_BASE_URL)."""
    path = reverse("certificates:verify_code", args=[certificate.verification_code])
    return absolute_url(path)


def verification_page_url() -> str:
    """The address printed on the certificate, where serial number and check code are typed in."""
    return absolute_url(reverse("certificates:verify"))


def issuer_settings() -> IssuerSettings | None:
    """The issuer of the default site (a PDF is made by a worker, without a request)."""
    site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
    return IssuerSettings.for_site(site) if site is not None else None


def qr_code_data_uri(url: str) -> str:
    # A fixed mask skips segno's search for the best of eight (most of its time);
    # the PNG is small and the PDF scales it up without smoothing (see the CSS).
    return segno.make(url, error="m", mask=0, boost_error=False).png_data_uri(scale=3, border=2)


class _Placeholders(dict):
    def __missing__(self, key):  # validated on save, but never crash a render on old text
        return "{" + key + "}"


def certificate_body(certificate: Certificate, template: CertificateTemplate | None) -> str:
    user = certificate.user
    if template is None:
        template = CertificateTemplate()  # the model's default wording
    if user.participant_type == ParticipantType.USER_REPRESENTATIVE:
        text = template.body_user_representative
    else:
        text = template.body_health_personnel
    areas = list(certificate.course.competence_areas.all())
    minutes = certificate.course.estimated_duration
    hours = minutes / 60
    # The certificate is written in bokmål whatever the reader's language: its dates and durations too.
    with translation.override("nb"):
        values = _Placeholders(
            navn=certificate.holder_name,
            kurs=certificate.course_title,
            dato=formats.date_format(timezone.localtime(certificate.completed_at), "j. F Y"),
            varighet=format_duration(minutes),
            timer=formats.number_format(round(hours, 1), decimal_pos=1 if hours % 1 else 0),
            kompetanseomrader=", ".join(area.name for area in areas).lower(),
            deltakertype=ParticipantType(user.participant_type).label.lower(),
        )
    return text.format_map(values)


def _image_uri(image, *, embed: bool) -> str | None:
    """A page links to the image's public media address. The PDF embeds the image, read through the
    storage API: no file path (object storage has none) and nothing for the renderer to fetch."""
    if image is None:
        return None
    if not embed:
        return image.file.url
    with image.file.open("rb") as handle:
        data = handle.read()
    content_type = mimetypes.guess_type(image.file.name)[0] or "application/octet-stream"
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def certificate_context(certificate: Certificate, *, embed_images: bool = False) -> dict:
    template = certificate.template
    url = verification_url(certificate)
    issuer = issuer_settings()
    return {
        "certificate": certificate,
        "template": template,
        "title": template.title if template else "Kursbevis",
        "body": certificate_body(certificate, template),
        "verification_url": url,
        "verification_page_url": verification_page_url(),
        "qr_code": qr_code_data_uri(url),
        "issuer_name": issuer.display_name() if issuer else "",
        "issuer_logo_uri": _image_uri(issuer.logo, embed=embed_images) if issuer else None,
        "logo_uri": _image_uri(template.logo, embed=embed_images) if template else None,
        "signature_uri": _image_uri(template.signature_image, embed=embed_images) if template else None,
    }


def render_certificate_html(certificate: Certificate) -> str:
    """The standalone document the PDF is made from (always in bokmål, like the PDF)."""
    with translation.override("nb"):
        return render_to_string(
            "certificates/certificate_document.html", certificate_context(certificate, embed_images=True)
        )


def render_certificate_pdf_bytes(certificate: Certificate) -> bytes:
    from weasyprint import HTML

    with observe(metrics.RENDERS, metrics.RENDER_SECONDS):
        html = render_certificate_html(certificate)
        return HTML(string=html, base_url=app_settings.PDF_BASE_URL).write_pdf(pdf_variant="pdf/ua-1")
