from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import services
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
        """Revoke and re-render through the services: a revocation is announced
        (certificates.signals) so required learning stops counting the certificate."""
        certificate = self.instance
        if not commit:
            return certificate
        if self.cleaned_data.get("revoke") and certificate.revoked_at is None:
            certificate = services.certificate_revoke(
                certificate=certificate, reason=self.cleaned_data["revoked_reason"]
            )
        if self.cleaned_data.get("rerender"):
            services.certificate_queue_rerender(certificate_id=certificate.pk)
        return certificate


class RerenderForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Kursbevismal"),
        queryset=CertificateTemplate.objects.all(),
        required=False,
        empty_label=_("Alle kursbevis"),
    )
