"""Certificates follow what courses announces (courses.signals); revocations go to the audit log."""

from audit.services import record_change
from courses.signals import course_completed

from .services import certificate_issue
from .signals import certificate_revoked


def on_course_completed(sender, completion, **kwargs):
    # In the completion's transaction: the kursbevis exists as soon as the completion does.
    certificate_issue(completion=completion)


def on_certificate_revoked(sender, certificate, **kwargs):
    # Revoking is a conditional UPDATE, which auditlog's signals do not see. The reason stays
    # out of the log: it is free text, and may describe the person.
    record_change(
        obj=certificate,
        event="certificate_revoked",
        changes={"revoked_at": (None, certificate.revoked_at.isoformat())},
    )


def connect() -> None:
    """Called from CertificatesConfig.ready()."""
    course_completed.connect(on_course_completed, dispatch_uid="certificates_course_completed")
    certificate_revoked.connect(on_certificate_revoked, dispatch_uid="certificates_revocation_audited")
