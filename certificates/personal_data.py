"""certificates' part of «Mine data», and what happens to a certificate when its holder is anonymised.

CERTIFICATE_RETENTION_AFTER_DELETION decides: "keep_anonymous" keeps it verifiable without the
name (the verification page says «utstedt til en slettet bruker»); "revoke" also revokes it. Either
way the name is removed (an empty holder_name marks a deleted holder) and the PDF, which
carries the name, is deleted and never made again.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from people.privacy import register_personal_data
from people.signals import user_anonymising

from . import app_settings
from .models import Certificate, PdfStatus
from .rendering import verification_url


def collect_certificates(user) -> list[dict]:
    return [
        {
            "kurs": certificate.course_title,
            "navn_pa_kursbeviset": certificate.holder_name,
            "serienummer": certificate.serial,
            "kontrollkode": certificate.check_code_display,
            "fullfort": certificate.completed_at,
            "utstedt": certificate.issued_at,
            "utloper": certificate.expires_at,
            "status": certificate.get_status_display(),
            "tilbakekalt": certificate.revoked_at,
            "begrunnelse_for_tilbakekalling": certificate.revoked_reason,
            "verifiseringslenke": verification_url(certificate),
        }
        for certificate in Certificate.objects.filter(user=user).order_by("issued_at")
    ]


def on_user_anonymising(sender, user, **kwargs) -> None:
    from .services import certificate_revoke

    revoke = app_settings.CERTIFICATE_RETENTION_AFTER_DELETION == app_settings.REVOKE
    for certificate in Certificate.objects.select_for_update().filter(user=user):
        if revoke and certificate.revoked_at is None:
            certificate = certificate_revoke(
                certificate=certificate, reason=gettext("Innehaveren har fått kontoen sin slettet.")
            )
        if certificate.pdf:
            name, storage = certificate.pdf.name, certificate.pdf.storage
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))
        Certificate.objects.filter(pk=certificate.pk).update(
            holder_name="",
            pdf="",
            pdf_status=PdfStatus.FAILED,
            pdf_error=gettext("Innehaveren er slettet; PDF-en med navnet er fjernet."),
        )


def register() -> None:
    register_personal_data("kursbevis", title=_("Kursbevis"), collect=collect_certificates, order=50)
    user_anonymising.connect(on_user_anonymising, dispatch_uid="certificates_anonymise")
