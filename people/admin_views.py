"""Administrators import units and staff from CSV or Excel: upload, preview with a message per bad
row, confirm. After a staff import the administrator follows the work it started elsewhere (the
re-check of required learning) on the page its receiver names."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from . import importing, services
from .models import DeletionRequest

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Hva vil du importere?"),
        choices=[("staff", gettext_lazy("Ansatte")), ("units", gettext_lazy("Enheter"))],
        widget=forms.RadioSelect,
        initial="staff",
    )
    file = forms.FileField(
        label=gettext_lazy("Fil (CSV eller Excel)"),
        help_text=gettext_lazy("CSV-fil (.csv) eller Excel-arbeidsbok (.xlsx), høyst 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Filen er for stor (høyst 5 MB)."))
        return upload


PREVIEWS = {"staff": importing.staff_preview, "units": importing.units_preview}


def staff_import(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    context = {"form": ImportUploadForm()}
    if request.method == "POST" and request.POST.get("step") == "import":
        kind = request.POST.get("kind")
        text = request.POST.get("csv_text", "")
        if kind not in PREVIEWS:
            raise PermissionDenied
        try:
            if kind == "staff":
                result = importing.staff_import(text, by=request.user)
                buttons = [messages.button(url, label) for label, url in result.follow_ups]
                messages.success(
                    request,
                    _("Importert: %(people)s nye personer og %(memberships)s nye medlemskap.")
                    % {"people": result.people_created, "memberships": result.memberships_created},
                    buttons=buttons,
                )
                if result.follow_ups:
                    return redirect(result.follow_ups[0][1])
            else:
                count = importing.units_import(text)
                messages.success(request, _("Importert: %(count)s nye enheter.") % {"count": count})
        except importing.ImportFileError as error:
            messages.error(request, str(error))
            context["preview"] = _safe_preview(kind, text)
            context["csv_text"] = text
            return TemplateResponse(request, "people/admin/import.html", context)
        return redirect("people_staff_import")
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            try:
                preview = PREVIEWS[form.cleaned_data["kind"]](form.cleaned_data["file"].read())
                context["preview"] = preview
                context["csv_text"] = preview.text
            except importing.ImportFileError as error:
                form.add_error("file", str(error))
    return TemplateResponse(request, "people/admin/import.html", context)


def _safe_preview(kind, text):
    try:
        return PREVIEWS[kind](text)
    except importing.ImportFileError:
        return None


# --- Deletion requests: «Anonymiser nå» and «Avvis med begrunnelse» ------------------------------


def can_anonymise(user) -> bool:
    """Anonymising takes handling the request and deleting people (the users' «Slett»)."""
    return user.is_superuser or (
        user.has_perm("people.change_deletionrequest") and user.has_perm("people.delete_user")
    )


def can_reject(user) -> bool:
    return user.is_superuser or user.has_perm("people.change_deletionrequest")


class RejectDeletionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Begrunnelse"),
        help_text=gettext_lazy(
            "Sendes til personen på e-post. Si hvorfor kontoen ikke kan slettes nå, for eksempel en "
            "lovpålagt oppbevaringsplikt, og når den kan slettes."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )


def _open_request(pk):
    request = get_object_or_404(DeletionRequest.objects.select_related("user"), pk=pk)
    return request


def _listing():
    return redirect("wagtailsnippets_people_deletionrequest:list")


def deletion_request_anonymise(request, pk):
    if not can_anonymise(request.user):
        raise PermissionDenied
    deletion = _open_request(pk)
    if deletion.status != DeletionRequest.Status.OPEN:
        messages.error(request, _("Forespørselen er allerede behandlet."))
        return _listing()
    if deletion.user_id == request.user.pk:
        messages.error(request, _("Du kan ikke anonymisere din egen konto herfra."))
        return _listing()
    if request.method == "POST":
        try:
            services.deletion_request_anonymise(request=deletion, by=request.user)
        except services.DeletionRequestError as error:
            messages.error(request, str(error))
            return _listing()
        messages.success(
            request,
            _("Kontoen er anonymisert, og %(email)s har fått beskjed på e-post.") % {"email": deletion.email},
        )
        return _listing()
    return TemplateResponse(request, "people/admin/deletion_anonymise.html", {"deletion": deletion})


def deletion_request_reject(request, pk):
    if not can_reject(request.user):
        raise PermissionDenied
    deletion = _open_request(pk)
    if deletion.status != DeletionRequest.Status.OPEN:
        messages.error(request, _("Forespørselen er allerede behandlet."))
        return _listing()
    form = RejectDeletionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.deletion_request_reject(
                request=deletion, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.DeletionRequestError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(
                request,
                _("Forespørselen er avvist, og %(email)s har fått begrunnelsen på e-post.")
                % {"email": deletion.email},
            )
            return _listing()
    return TemplateResponse(
        request, "people/admin/deletion_reject.html", {"deletion": deletion, "form": form}
    )
