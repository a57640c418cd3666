from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .blocks import BROWSER_SCORE_NOTICE
from .services import H5PPackageRejected, h5p_content_create, h5p_package_check

LIBRARY_NOTICE = _(
    "Du kan laste opp innhold som bruker H5P-biblioteker plattformen allerede har (se «H5P → "
    "Biblioteker»). Trenger pakken et nytt bibliotek, må en administrator laste den opp første gang."
)


class H5PContentForm(WagtailAdminModelForm):
    """Upload: the package is checked in clean(); nothing is stored unless every check passes."""

    upload = forms.FileField(
        label=_("H5P-fil (.h5p)"),
        help_text=BROWSER_SCORE_NOTICE,
        widget=forms.ClearableFileInput(attrs={"accept": ".h5p"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and not self.for_user.is_superuser:  # course holders
            self.fields["upload"].help_text = format_lazy("{} {}", LIBRARY_NOTICE, BROWSER_SCORE_NOTICE)
        if self.instance.pk:  # the package of existing content is not replaced: upload a new item
            self.fields["upload"].required = False
            self.fields["upload"].disabled = True

    def clean_upload(self):
        """Check the package from the uploaded file as Django keeps it (a temporary file on disk
        once it is larger than FILE_UPLOAD_MAX_MEMORY_SIZE): the size first, from the upload's
        size, then the archive, read in chunks. The upload is never read into memory whole."""
        upload = self.cleaned_data["upload"]
        if self.instance.pk:
            return None
        try:
            self.inspection = h5p_package_check(upload=upload, user=self.for_user)
        except H5PPackageRejected as rejected:
            raise forms.ValidationError(rejected.errors) from None
        return upload

    def save(self, commit=True):
        """Raises H5PPackageRejected for a problem that shows only while inflating (a bad CRC,
        a truncated member); the admin view shows it at the upload field (wagtail_hooks)."""
        if self.instance.pk:
            return super().save(commit=commit)
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
