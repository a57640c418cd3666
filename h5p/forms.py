from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel

from .blocks import BROWSER_SCORE_NOTICE
from .models import H5PStatus
from .replacement import (
    ReplacementPlan,
    content_type_of,
    h5p_content_replace,
    replace_refused_message,
    replacement_plan,
)
from .services import H5PPackageRejected, h5p_content_create, h5p_package_check
from .usage import courses_using, may_replace_package
from .validation import PACKAGE, Problem, group

#: The id of the grouped report under the upload field; the field points at it (aria-describedby).
REPORT_ID = "h5p-upload-report"

LIBRARY_NOTICE = _(
    "Du kan laste opp innhold som bruker H5P-biblioteker plattformen allerede har (se «H5P → "
    "Biblioteker»). Trenger pakken et nytt bibliotek, må en administrator laste den opp første gang."
)


REPLACE_NOTICE = _(
    "Last opp en ny versjon her for å erstatte pakken; lar du feltet stå tomt, beholdes den. "
    "Innholdstypen nå er %(type)s. Med samme type (samme hovedbibliotek og hovedversjon) beholdes "
    "deltakernes resultater og lagrede tilstand, så de kan fortsette der de var. Med en annen type "
    "beholdes resultatene som historikk, men lagret tilstand slettes fordi den ikke ville passe det "
    "nye innholdet; da ber skjemaet deg bekrefte det først."
)


class H5PContentForm(WagtailAdminModelForm):
    """Upload: the package is checked in clean(); nothing is stored unless every check passes.

    On existing content a new package replaces the old one (h5p.replacement): results are kept,
    and saved state too when the content type stays the same; a change of type must be confirmed."""

    upload = forms.FileField(
        label=_("H5P-fil (.h5p)"),
        help_text=BROWSER_SCORE_NOTICE,
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p"}),
    )
    confirm_type_change = forms.BooleanField(
        label=_("Jeg vil erstatte innholdet med en annen innholdstype, og lagret tilstand slettes"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and not self.for_user.is_superuser:  # course holders
            self.fields["upload"].help_text = format_lazy("{} {}", LIBRARY_NOTICE, BROWSER_SCORE_NOTICE)
        if self.instance.pk:  # a new package replaces the item's own (h5p.replacement)
            self.fields["upload"].required = False
            self.courses_using = courses_using(self.instance)
            self.may_replace = may_replace_package(
                user=self.for_user, content=self.instance, courses=self.courses_using
            )
            if not self.may_replace:
                # The field stays, disabled, so the holder reads why (a posted file is refused in
                # clean_upload all the same).
                self.fields["upload"].disabled = True
                self.fields["upload"].help_text = replace_refused_message(self.courses_using)
                del self.fields["confirm_type_change"]
                return
            current = content_type_of(self.instance)
            self.fields["upload"].help_text = format_lazy(
                "{} {}", REPLACE_NOTICE % {"type": current or _("ukjent")}, self.fields["upload"].help_text
            )
            reach = ReplacementPlan(
                before=None, after=None, with_state=0, courses=tuple(c.title for c in self.courses_using)
            ).courses_notice()
            if reach:
                self.fields["upload"].help_text = format_lazy("{} {}", reach, self.fields["upload"].help_text)
                self.fields["confirm_type_change"].help_text = reach
            if self.instance.replacement_error:  # the last replacement's worker failed: say why
                self.fields["upload"].help_text = format_lazy(
                    "{} {}", self.instance.replacement_error, self.fields["upload"].help_text
                )
        else:
            del self.fields["confirm_type_change"]

    def clean_upload(self):
        """Check the package from the uploaded file as Django keeps it (a temporary file on disk
        once it is larger than FILE_UPLOAD_MAX_MEMORY_SIZE): the size first, from the upload's
        size, then the archive, read in chunks. The upload is never read into memory whole."""
        upload = self.cleaned_data["upload"]
        if self.instance.pk and not self.may_replace:
            # A disabled field ignores what is posted; a file posted anyway is refused, not dropped.
            if self.files.get(self.add_prefix("upload")):
                raise forms.ValidationError(replace_refused_message(self.courses_using))
            return None
        if self.instance.pk and not upload:
            return None  # the item keeps its package
        if self.instance.pk and (
            self.instance.status == H5PStatus.PROCESSING or self.instance.pending_revision is not None
        ):
            raise forms.ValidationError(
                _("Innholdet pakkes ut nå. Vent til det er klart før du erstatter pakken.")
            )
        try:
            self.inspection = h5p_package_check(upload=upload, user=self.for_user)
        except H5PPackageRejected as rejected:
            # The field tells that the package was refused and points at the report (H5PUploadPanel);
            # browsers cannot fill a file input in again, so the report names the file to choose again.
            self.upload_report = upload_report(upload.name, rejected)
            if not rejected.problems:  # the archive itself (size, not a ZIP, unsafe): said at the field
                raise forms.ValidationError(rejected.errors) from None
            raise forms.ValidationError(self.upload_report["summary"]) from None
        return upload

    def clean(self):
        """Replacing with another content type clears saved state: only once the form is told so."""
        cleaned_data = super().clean()
        self.replacement_plan = None
        if self.instance.pk and cleaned_data.get("upload") and hasattr(self, "inspection"):
            self.replacement_plan = replacement_plan(
                self.instance, self.inspection, courses=self.courses_using
            )
            if self.replacement_plan.needs_confirmation() and not cleaned_data.get("confirm_type_change"):
                self.add_error(
                    "confirm_type_change",
                    format_lazy(
                        "{} {}",
                        self.replacement_plan.warning(),
                        _("Kryss av for å bekrefte, og velg filen på nytt."),
                    ),
                )
        return cleaned_data

    def save(self, commit=True):
        """Raises H5PPackageRejected for a problem that shows only while inflating (a bad CRC,
        a truncated member); the admin view shows it at the upload field (wagtail_hooks)."""
        if self.instance.pk:
            instance = super().save(commit=commit)
            self.replacement = None
            if self.cleaned_data.get("upload"):
                self.replacement = h5p_content_replace(
                    content=instance,
                    user=self.for_user,
                    upload=self.cleaned_data["upload"],
                    inspection=self.inspection,
                )
                self.instance = self.replacement.content
            return self.instance
        self.instance = h5p_content_create(
            upload=self.cleaned_data["upload"],
            user=self.for_user,
            title=self.cleaned_data["title"],
            description=self.cleaned_data.get("description", ""),
            licence=self.cleaned_data.get("licence", ""),
            source=self.cleaned_data.get("source", ""),
            inspection=self.inspection,  # made in clean_upload(): no need to check the package twice
        )
        return self.instance


def upload_report(file_name: str, rejected: H5PPackageRejected) -> dict:
    """Every problem of a refused package, grouped by file (errors first), for the upload panel."""
    problems = rejected.problems or [Problem(PACKAGE, error) for error in rejected.errors]
    errors = sum(1 for problem in problems if not problem.warning)
    warnings = len(problems) - errors
    summary = ngettext(
        "Pakken «%(name)s» ble ikke lastet opp: den har %(count)d feil. Se rapporten under feltet.",
        "Pakken «%(name)s» ble ikke lastet opp: den har %(count)d feil. Se rapporten under feltet.",
        errors,
    ) % {"name": file_name, "count": errors}
    return {
        "id": REPORT_ID,
        "file_name": file_name,
        "summary": summary,
        "error_count": errors,
        "warning_count": warnings,
        "groups": group(problems),
    }


class H5PUploadPanel(FieldPanel):
    """The upload field, with the report of a refused package under it (h5p/admin/upload_report.html)."""

    class BoundPanel(FieldPanel.BoundPanel):
        template_name = "h5p/admin/upload_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["upload_report"] = getattr(self.form, "upload_report", None)
            return context

        def get_editable_context_data(self):
            """The field, when refused, is described by its error and by the report."""
            context = super().get_editable_context_data()
            if getattr(self.form, "upload_report", None) and self.bound_field.errors:
                described_by = [f"{self.prefix}-helptext"] if self.help_text else []
                described_by += [f"{self.prefix}-errors", REPORT_ID]
                context["rendered_field"] = self.bound_field.as_widget(
                    attrs={"aria-invalid": "true", "aria-describedby": " ".join(described_by)}
                )
            return context
