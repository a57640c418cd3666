"""Administrators import units and staff from CSV or Excel: upload, preview with a message per bad
row, confirm. After a staff import the administrator follows the work it started elsewhere (the
re-check of required learning) on the page its receiver names."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages

from . import importing

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
