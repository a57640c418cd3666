"""Learners' certificates (their own only) and the public verification page."""

import re

from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render

from core.ratelimit import limit_exceeded

from . import app_settings
from .forms import VerifyBySerialForm
from .models import Certificate, PdfStatus
from .rendering import certificate_context

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@login_required
def my_certificates(request):
    certificates = (
        Certificate.objects.filter(user=request.user).select_related("course").order_by("-issued_at")
    )
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


VERIFIED_FIELDS = ("holder_name", "course_title", "completed_at", "serial", "revoked_at", "expires_at")


def verify(request, code: str | None = None):
    """Public: name, course, completion date, serial and status; nothing else about the person.

    Two ways in: the long code (the QR code's link, or typed), or the serial number together with
    the short check code printed beside it. Every lookup counts against the rate limit.
    """
    if code is None and ("serienummer" in request.GET or "kontrollkode" in request.GET):
        return _verify_by_serial(request)
    code = (code if code is not None else request.GET.get("kode", "")).strip()
    context = {
        "code": code[:64],
        "looked_up": bool(code),
        "certificate": None,
        "serial_form": VerifyBySerialForm(),
    }
    if code:
        if _rate_limited(request):
            return _rate_limited_response(request, context)
        if CODE_PATTERN.match(code):
            found = Certificate.objects.filter(verification_code=code).only(*VERIFIED_FIELDS)
            context["certificate"] = found.first()
        if code and "kode" in request.GET and context["certificate"] is not None:
            return redirect("certificates:verify_code", code=code)
    status = 404 if context["looked_up"] and context["certificate"] is None else 200
    return _private(render(request, "certificates/verify.html", context, status=status))


def _verify_by_serial(request):
    form = VerifyBySerialForm(request.GET)
    context = {"code": "", "looked_up": False, "certificate": None, "serial_form": form, "by_serial": True}
    if _rate_limited(request):
        return _rate_limited_response(request, context)
    if not form.is_valid():
        context["first_error_field"] = next(iter(form.errors))  # focus moves there
        return _private(render(request, "certificates/verify.html", context, status=400))
    # One query whether or not the serial exists: the answer never tells which of the two was wrong.
    context["certificate"] = (
        Certificate.objects.filter(
            serial=form.cleaned_data["serienummer"], check_code=form.cleaned_data["kontrollkode"]
        )
        .only(*VERIFIED_FIELDS)
        .first()
    )
    context["looked_up"] = True
    status = 200 if context["certificate"] is not None else 404
    return _private(render(request, "certificates/verify.html", context, status=status))


def _rate_limited(request) -> bool:
    return limit_exceeded(request, scope="verify", per_minute=app_settings.CERTIFICATE_VERIFY_PER_MINUTE)


def _rate_limited_response(request, context):
    response = render(request, "certificates/verify.html", {**context, "rate_limited": True}, status=429)
    return _private(response)


def _private(response):
    """Verification pages are not for search engines, and the code must not leak in a Referer."""
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
