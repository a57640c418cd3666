"""Reads of certificates."""

from __future__ import annotations

from .models import Certificate


def latest_certificate(*, enrolment) -> Certificate | None:
    """The learner's newest certificate for the enrolment's course, if any."""
    if enrolment is None:
        return None
    return Certificate.objects.filter(completion__enrolment=enrolment).order_by("-issued_at").first()


def latest_certificates_by_course(*, enrolments) -> dict[int, Certificate]:
    """The newest certificate per course for the given enrolments, in one query («Mine kurs»)."""
    enrolment_ids = [enrolment.pk for enrolment in enrolments]
    if not enrolment_ids:
        return {}
    latest: dict[int, Certificate] = {}
    certificates = (
        Certificate.objects.filter(completion__enrolment__in=enrolment_ids)
        .only("public_id", "course_id", "issued_at", "revoked_at", "expires_at")
        .order_by("-issued_at", "-pk")
    )
    for certificate in certificates:
        latest.setdefault(certificate.course_id, certificate)
    return latest
