from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .blocks import BROWSER_SCORE_NOTICE
from .models import H5PStatus
from .replacement import content_type_of, h5p_content_replace, replacement_plan
from .services import H5PPackageRejected, h5p_content_create, h5p_package_check

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
            current = content_type_of(self.instance)
            self.fields["upload"].help_text = format_lazy(
                "{} {}", REPLACE_NOTICE % {"type": current or _("ukjent")}, self.fields["upload"].help_text
            )
        else:
            del self.fields["confirm_type_change"]

    def clean_upload(self):
        """Check the package from the uploaded file as Django keeps it (a temporary file on disk
        once it is larger than FILE_UPLOAD_MAX_MEMORY_SIZE): the size first, from the upload's
        size, then the archive, read in chunks. The upload is never read into memory whole."""
        upload = self.cleaned_data["upload"]
        if self.instance.pk and not upload:
            return None  # the item keeps its package
        if self.instance.pk and self.instance.status == H5PStatus.PROCESSING:
            raise forms.ValidationError(
                _("Innholdet pakkes ut nå. Vent til det er klart før du erstatter pakken.")
            )
        try:
            self.inspection = h5p_package_check(upload=upload, user=self.for_user)
        except H5PPackageRejected as rejected:
            raise forms.ValidationError(rejected.errors) from None
        return upload

    def clean(self):
        """Replacing with another content type clears saved state: only once the form is told so."""
        cleaned_data = super().clean()
        self.replacement_plan = None
        if self.instance.pk and cleaned_data.get("upload") and hasattr(self, "inspection"):
            self.replacement_plan = replacement_plan(self.instance, self.inspection)
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
