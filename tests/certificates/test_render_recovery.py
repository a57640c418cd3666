"""A render whose worker died after storing the PDF but before committing leaves an unreferenced
file; the next render (the redelivered task) stores its PDF under the same name, once.
(The worker killed at exactly that point: tests/test_worker_loss.py.)"""

from unittest import mock

import pytest
from django.core import mail
from django.core.files.base import ContentFile

from certificates import services
from certificates.models import Certificate, PdfStatus
from core.storage import private_storage
from tests.factories import complete_course

pytestmark = pytest.mark.django_db


def pdfs_of(certificate) -> list[str]:
    folder = certificate.pdf.field.generate_filename(certificate, "x.pdf").rsplit("/", 1)[0]
    return sorted(
        name for name in private_storage.listdir(folder)[1] if name.startswith(str(certificate.public_id))
    )


def test_a_leftover_pdf_of_an_interrupted_render_is_replaced_not_kept_beside(user, course):
    with mock.patch("certificates.services._queue_render"):
        complete_course(user, course)
    certificate = Certificate.objects.get()
    name = certificate.pdf.field.generate_filename(certificate, f"{certificate.public_id}.pdf")
    private_storage.save(name, ContentFile(b"half a PDF"))
    assert certificate.pdf_status == PdfStatus.PENDING and not certificate.pdf

    services.certificate_render(certificate_id=certificate.pk)

    certificate.refresh_from_db()
    assert certificate.pdf_status == PdfStatus.READY and certificate.pdf.name == name
    assert certificate.pdf.read(5) == b"%PDF-"
    assert pdfs_of(certificate) == [f"{certificate.public_id}.pdf"]
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_a_rerender_keeps_one_pdf_and_the_redelivered_render_changes_nothing(
    user, course, django_capture_on_commit_callbacks
):
    with mock.patch("certificates.services._queue_render"):
        complete_course(user, course)
    certificate = Certificate.objects.get()
    services.certificate_render(certificate_id=certificate.pk)
    with django_capture_on_commit_callbacks(execute=True):  # the replaced PDF is deleted on commit
        services.certificate_render(certificate_id=certificate.pk, force=True)
    certificate.refresh_from_db()
    first = certificate.pdf.name
    services.certificate_render(certificate_id=certificate.pk)  # a redelivered message: nothing to do
    certificate.refresh_from_db()
    assert certificate.pdf.name == first
    assert len(pdfs_of(certificate)) == 1
    assert len(mail.outbox) == 1
