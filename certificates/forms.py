from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import CertificateTemplate


class CertificateAdminForm(WagtailAdminModelForm):
    """The only change an administrator makes to an issued certificate: revoke it, with a reason."""

    revoke = forms.BooleanField(label=_("Tilbakekall kursbeviset"), required=False)
    rerender = forms.BooleanField(
        label=_("Lag PDF-en på nytt"),
        required=False,
        help_text=_("For eksempel etter at malen er endret, eller hvis PDF-en feilet."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revoke"].initial = self.instance.revoked_at is not None
        if self.instance.revoked_at is not None:
            self.fields["revoke"].disabled = True
            self.fields["revoked_reason"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("revoke") and not (cleaned.get("revoked_reason") or "").strip():
            self.add_error("revoked_reason", _("Skriv hvorfor kursbeviset tilbakekalles."))
        if not cleaned.get("revoke") and self.instance.revoked_at is None:
            cleaned["revoked_reason"] = ""  # a reason belongs to a revocation
        return cleaned

    def save(self, commit=True):
        certificate = super().save(commit=False)
        if self.cleaned_data.get("revoke") and certificate.revoked_at is None:
            certificate.revoked_at = timezone.now()
        if not self.cleaned_data.get("revoke"):
            certificate.revoked_reason = certificate.revoked_reason if certificate.revoked_at else ""
        if commit:
            certificate.save(update_fields=["revoked_at", "revoked_reason"])
            if self.cleaned_data.get("rerender"):
                from .services import certificate_queue_rerender

                certificate_queue_rerender(certificate_id=certificate.pk)
        return certificate


class RerenderForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Kursbevismal"),
        queryset=CertificateTemplate.objects.all(),
        required=False,
        empty_label=_("Alle kursbevis"),
    )
