"""Reads of certificates."""

from __future__ import annotations

from .models import Certificate


def latest_certificate(*, enrolment) -> Certificate | None:
    """The learner's newest certificate for the enrolment's course, if any."""
    if enrolment is None:
        return None
    return Certificate.objects.filter(completion__enrolment=enrolment).order_by("-issued_at").first()
