"""Issuing, rendering, revoking and reminding about certificates.

`certificate_issue` runs when courses announces a completion (course_completed,
see receivers.py), inside the transaction that records it; the PDF is rendered
by a Celery task queued after that transaction commits, so a slow render or a
missing broker never loses a completion. Issuing and revoking are announced in
turn (certificates.signals), for required learning to follow.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, connections, router, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from core.dates import add_months
from core.mail import absolute_url, send_once

from .models import Certificate, CertificateTemplate, PdfStatus, SerialCounter
from .signals import certificate_issued, certificate_revoked

logger = logging.getLogger(__name__)

REMINDER_DAYS_BEFORE_EXPIRY = 30


# One statement both creates the year's counter and counts it up: the row is locked only while it runs.
_TAKE_SERIAL_NUMBER_SQL = (
    "INSERT INTO {table} (year, last_number) VALUES (%s, 1) "
    "ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + 1 "
    "RETURNING last_number"
)


def _next_serial(year: int) -> str:
    """Take the next number of the year without keeping a lock until the completion commits.

    On PostgreSQL the number is taken on a connection of its own in autocommit, so the counter row is
    locked for one statement, not for the completing transaction: completions in parallel never wait
    for each other here. A completion that rolls back leaves a gap in the year's numbers, which is
    fine: serials are unique (constraint) and count up, nothing promises them gap-free. SQLite lets
    one connection write at a time, so there the number is taken in the caller's transaction.
    """
    alias = router.db_for_write(SerialCounter)
    table = connections[alias].ops.quote_name(SerialCounter._meta.db_table)
    sql = _TAKE_SERIAL_NUMBER_SQL.format(table=table)
    if connections[alias].vendor != "postgresql":
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, [year])
            number = cursor.fetchone()[0]
    else:
        # Same settings (and pool, when there is one) as the alias; autocommit, closed at once.
        own_connection = connections.create_connection(alias)
        try:
            with own_connection.cursor() as cursor:
                cursor.execute(sql, [year])
                number = cursor.fetchone()[0]
        finally:
            own_connection.close()
    return f"KB-{year}-{number:06d}"


def new_verification_code() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


def certificate_issue(*, completion) -> Certificate:
    """Issue the certificate for a course completion; a repeated call returns the same one."""
    existing = Certificate.objects.filter(completion=completion).first()
    if existing is not None:
        return existing
    enrolment = completion.enrolment
    user, course = enrolment.user, enrolment.course
    template = CertificateTemplate.for_course(course)
    validity = template.validity_months if template else None
    previous = (
        Certificate.objects.filter(user=user, course=course, renewed_by__isnull=True)
        .exclude(completion=completion)
        .order_by("-issued_at")
        .first()
    )
    now = timezone.now()
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                user=user,
                course=course,
                completion=completion,
                template=template,
                previous=previous,
                serial=_next_serial(timezone.localtime(now).year),
                verification_code=new_verification_code(),
                # Never the e-mail address: the name is shown on the public verification page.
                holder_name=user.full_name or gettext("Navn ikke oppgitt"),
                course_title=course.title,
                completed_at=completion.completed_at,
                issued_at=now,
                # Months are counted in Norwegian time, so 00:30 on 1 March stays 1 March.
                expires_at=add_months(timezone.localtime(completion.completed_at), validity)
                if validity
                else None,
            )
    except IntegrityError:
        return Certificate.objects.get(completion=completion)
    certificate_issued.send(sender=Certificate, certificate=certificate)
    # robust: if the broker is down the record stays and the periodic sweep renders it later.
    transaction.on_commit(lambda: _queue_render(certificate.pk), robust=True)
    return certificate


def _queue_render(certificate_id: int) -> None:
    from .tasks import render_certificate_pdf

    render_certificate_pdf.delay(certificate_id)


def certificate_render(*, certificate_id: int, force: bool = False) -> Certificate:
    """Render and store the PDF, then tell the learner (once). Serial and code never change.

    The row is locked while rendering, so a sweep and a retry that run at the
    same time produce one file: the second finds the PDF ready and only makes
    sure the learner was told.
    """
    from .rendering import render_certificate_pdf_bytes

    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("user", "template", "course")
            .get(pk=certificate_id)
        )
        if not certificate.holder_name:  # the holder was anonymised: no PDF with a name is made again
            return certificate
        if force or certificate.pdf_status != PdfStatus.READY or not certificate.pdf:
            pdf_bytes = render_certificate_pdf_bytes(certificate)
            old_name = certificate.pdf.name if certificate.pdf else None
            _remove_leftover_pdf(certificate)
            certificate.pdf.save(f"{certificate.public_id}.pdf", ContentFile(pdf_bytes), save=False)
            certificate.pdf_status, certificate.pdf_error = PdfStatus.READY, ""
            certificate.save(update_fields=["pdf", "pdf_status", "pdf_error"])
            if old_name and old_name != certificate.pdf.name:
                transaction.on_commit(lambda: certificate.pdf.storage.delete(old_name))
    _notify_learner_once(certificate)
    return certificate


def _remove_leftover_pdf(certificate: Certificate) -> None:
    """Delete the file a render left when its worker died after storing it but before committing.

    Nothing refers to that file, and the row lock says no other render is running: without this,
    the new PDF would be stored beside it under another name, and the old one never removed."""
    storage = certificate.pdf.storage
    name = certificate.pdf.field.generate_filename(certificate, f"{certificate.public_id}.pdf")
    if name != certificate.pdf.name and storage.exists(name):
        logger.warning("Removing the PDF an interrupted render left for certificate %s", certificate.pk)
        storage.delete(name)


def certificate_render_failed(*, certificate_id: int, error: str) -> None:
    """After the last retry: a certificate without a PDF is marked failed; one that
    still has its earlier PDF keeps it, and the error is shown in the admin."""
    logger.error("Rendering of certificate %s failed for good: %s", certificate_id, error)
    Certificate.objects.filter(pk=certificate_id).update(pdf_error=error[:2000])
    Certificate.objects.filter(pk=certificate_id).exclude(pdf_status=PdfStatus.READY).update(
        pdf_status=PdfStatus.FAILED
    )


def certificate_queue_rerender(*, certificate_id: int) -> None:
    from .tasks import rerender_certificate_pdf

    transaction.on_commit(lambda: rerender_certificate_pdf.delay(certificate_id), robust=True)


def certificates_rerender(*, template: CertificateTemplate | None = None) -> int:
    """Queue new PDFs (after a template change); returns how many were queued.

    Each certificate keeps its current PDF until the new one is stored.
    """
    certificates = Certificate.objects.all()
    if template is not None:
        certificates = certificates.filter(template=template)
    ids = list(certificates.values_list("pk", flat=True))
    for certificate_id in ids:
        certificate_queue_rerender(certificate_id=certificate_id)
    return len(ids)


def certificate_revoke(*, certificate: Certificate, reason: str) -> Certificate:
    """Revoke a certificate (it stays, marked revoked, with the reason); revoking twice changes nothing."""
    if not reason.strip():
        raise ValueError("A revocation needs a reason.")
    with transaction.atomic():
        revoked = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason=reason.strip()
        )
        certificate.refresh_from_db()
        if revoked:
            certificate_revoked.send(sender=Certificate, certificate=certificate)
    return certificate


def _send_to_learner(certificate: Certificate, template_name: str, subject: str) -> None:
    with translation.override(certificate.user.preferred_language):
        context = {
            "certificate": certificate,
            "my_certificates_url": absolute_url(reverse("certificates:mine")),
        }
        send_mail(
            subject=gettext(subject) % {"course": certificate.course_title},
            message=render_to_string(template_name, context),
            from_email=None,
            recipient_list=[certificate.user.email],
        )


def _notify_learner_once(certificate: Certificate) -> None:
    """E-mail the learner the first time their certificate's PDF is ready."""
    with transaction.atomic():
        claimed = Certificate.objects.filter(pk=certificate.pk, learner_notified_at__isnull=True).update(
            learner_notified_at=timezone.now()
        )
        if claimed:
            _send_to_learner(
                certificate,
                "certificates/email/certificate_ready.txt",
                gettext_noop("Kursbeviset ditt for «%(course)s» er klart"),
            )


def expiry_reminders_send(*, now: datetime | None = None) -> int:
    """Remind learners 30 days before a certificate expires. Each reminder is sent once.

    The conditional UPDATE claims the reminder; a second run, or a second
    worker at the same moment, finds nothing left to claim.
    """
    now = now or timezone.now()
    due = Certificate.objects.filter(
        revoked_at__isnull=True,
        expiry_reminder_sent_at__isnull=True,
        renewed_by__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY),
    ).select_related("user")
    sent = 0
    for certificate in due:
        sent += send_once(
            queryset=Certificate.objects.filter(pk=certificate.pk),
            claim_field="expiry_reminder_sent_at",
            now=now,
            send=lambda certificate=certificate: _send_to_learner(
                certificate,
                "certificates/email/expiry_reminder.txt",
                gettext_noop("Kursbeviset ditt for «%(course)s» utløper snart"),
            ),
            label=f"Expiry reminder for certificate {certificate.pk}",
        )
    return sent


def certificates_missing_pdf(*, older_than: timedelta = timedelta(minutes=5)) -> list[int]:
    """Certificates still waiting for a PDF whose task must have been lost."""
    cutoff = timezone.now() - older_than
    return list(
        Certificate.objects.filter(pdf_status=PdfStatus.PENDING, issued_at__lte=cutoff).values_list(
            "pk", flat=True
        )
    )
