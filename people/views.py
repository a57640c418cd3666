from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from . import app_settings
from .forms import ProfileForm
from .models import DataExport, DeletionRequest, User
from .privacy import personal_data_sections
from .services import data_export_request, deletion_request_create


@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on the profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        User.objects.filter(pk=request.user.pk).update(preferred_language=language)
    return response


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.preferred_language)
        response = redirect("people:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
        messages.success(request, _("Profilen din er lagret."))
        return response
    open_deletion_request = DeletionRequest.objects.filter(
        user=request.user, status=DeletionRequest.Status.OPEN
    ).first()
    return render(
        request, "people/profile.html", {"form": form, "open_deletion_request": open_deletion_request}
    )


@login_required
@require_POST
def deletion_request(request):
    """«Be om sletting»: recorded for the administrators and mailed to the privacy contact."""
    deletion, created = deletion_request_create(user=request.user)
    if created:
        messages.success(
            request,
            _(
                "Forespørselen om sletting er sendt. Vi behandler den innen 30 dager og gir deg "
                "beskjed på e-post."
            ),
        )
    else:
        messages.info(
            request,
            _(
                "Du har allerede en forespørsel om sletting som ikke er behandlet ennå (sendt %(date)s). "
                "Vi gir deg beskjed på e-post når den er behandlet."
            )
            % {"date": date_format(timezone.localtime(deletion.requested_at), "j. F Y")},
        )
    return redirect("people:profile")


def _latest_export(user):
    return DataExport.objects.filter(user=user).order_by("-requested_at").first()


def _export_state(export) -> dict:
    if export is None:
        return {"status": None, "progress": 0, "download_url": None}
    return {
        "status": export.status,
        "status_display": export.get_status_display(),
        "progress": export.progress,
        "download_url": (
            reverse("people:my_data_download", args=[export.public_id]) if export.is_downloadable else None
        ),
    }


@login_required
def my_data(request):
    """«Mine data»: order a copy of everything stored about me, follow its progress, download it."""
    if request.method == "POST":
        export, created = data_export_request(user=request.user)
        if created:
            messages.success(
                request, _("Vi lager en kopi av opplysningene dine. Du får en e-post når den er klar.")
            )
        else:
            messages.info(request, _("Kopien du bestilte, lages fortsatt. Vent til den er klar."))
        return redirect("people:my_data")
    export = _latest_export(request.user)
    response = render(
        request,
        "people/my_data.html",
        {
            "export": export,
            "state": _export_state(export),
            "expiry_days": app_settings.DATA_EXPORT_EXPIRY_DAYS,
            "sections": personal_data_sections(),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_data_status(request):
    response = JsonResponse(_export_state(_latest_export(request.user)))
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_data_download(request, public_id):
    # Someone else's export, or an expired one, is "not found".
    export = get_object_or_404(DataExport, public_id=public_id, user=request.user)
    if not export.is_downloadable:
        raise Http404
    response = FileResponse(
        export.file.open("rb"),
        content_type="application/zip",
        as_attachment=True,
        filename=f"mine-data-{timezone.localtime(export.finished_at):%Y-%m-%d}.zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def mfa_required(request):
    """Why a privileged user must set up two-factor authentication, and the two ways to do it.

    PrivilegedMFAMiddleware sends them here (with ?next=) from the admin or the managers' pages.
    """
    from . import mfa

    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = ""
    return render(
        request,
        "people/mfa_required.html",
        {
            "required": mfa.requires_second_factor(request.user),
            "second_factors": mfa.second_factor_types(request.user),
            "next_url": next_url,
        },
    )
