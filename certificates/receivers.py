"""Certificates follow what courses announces (courses.signals)."""

from courses.signals import course_completed

from .services import certificate_issue


def on_course_completed(sender, completion, **kwargs):
    # In the completion's transaction: the kursbevis exists as soon as the completion does.
    certificate_issue(completion=completion)


def connect() -> None:
    """Called from CertificatesConfig.ready()."""
    course_completed.connect(on_course_completed, dispatch_uid="certificates_course_completed")
