"""Learners' certificates (their own only) and the public verification page."""

import re

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render

from core.ratelimit import limit_exceeded

from .models import Certificate, PdfStatus
from .rendering import certificate_context

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@login_required
def my_certificates(request):
    certificates = Certificate.objects.filter(user=request.user).order_by("-issued_at")
    return render(request, "certificates/my_certificates.html", {"certificates": certificates})


def _own_certificate(request, public_id) -> Certificate:
    # Another learner's certificate is "not found", never "forbidden".
    return get_object_or_404(
        Certificate.objects.select_related("user", "course", "template"),
        public_id=public_id,
        user=request.user,
    )


@login_required
def certificate_detail(request, public_id):
    certificate = _own_certificate(request, public_id)
    return render(request, "certificates/certificate_detail.html", certificate_context(certificate))


@login_required
def certificate_pdf(request, public_id):
    certificate = _own_certificate(request, public_id)
    if certificate.pdf_status != PdfStatus.READY or not certificate.pdf:
        return render(request, "certificates/pdf_pending.html", status=202)
    response = FileResponse(
        certificate.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"kursbevis-{certificate.serial}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def verify(request, code: str | None = None):
    """Public: name, course, completion date, serial and status; nothing else about the person."""
    code = (code if code is not None else request.GET.get("kode", "")).strip()
    context = {"code": code[:64], "looked_up": bool(code), "certificate": None}
    if code:
        if limit_exceeded(request, scope="verify", per_minute=settings.CERTIFICATE_VERIFY_PER_MINUTE):
            response = render(
                request, "certificates/verify.html", {**context, "rate_limited": True}, status=429
            )
            return _private(response)
        if CODE_PATTERN.match(code):
            context["certificate"] = (
                Certificate.objects.filter(verification_code=code)
                .only("holder_name", "course_title", "completed_at", "serial", "revoked_at", "expires_at")
                .first()
            )
        if code and "kode" in request.GET and context["certificate"] is not None:
            return redirect("certificates:verify_code", code=code)
    status = 404 if context["looked_up"] and context["certificate"] is None else 200
    return _private(render(request, "certificates/verify.html", context, status=status))


def _private(response):
    """Verification pages are not for search engines, and the code must not leak in a Referer."""
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
