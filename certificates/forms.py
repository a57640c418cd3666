import re

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import services
from .models import CHECK_CODE_ALPHABET, CHECK_CODE_LENGTH, CertificateTemplate


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


# Serial numbers as people type them: «KB-2026-000027», «kb 2026 27», «KB2026000027», «2026-27».
SERIAL_INPUT = re.compile(r"^(?:KB)?[\s._/–—-]*(\d{4})[\s._/–—-]*(\d{1,6})$", re.IGNORECASE)
CHECK_CODE_SEPARATORS = re.compile(r"[\s._/–—-]+")


def normalise_serial(value: str) -> str | None:
    """«kb 2026 27» → «KB-2026-000027»; None for anything that cannot be a serial number."""
    match = SERIAL_INPUT.match(value.strip())
    if match is None:
        return None
    year, number = match.groups()
    return f"KB-{year}-{int(number):06d}"


class VerifyBySerialForm(forms.Form):
    """Serial number and check code, both from the certificate. The serial alone is never enough:
    serials count up, so anyone could walk through them."""

    serienummer = forms.CharField(
        label=_("Serienummer"),
        max_length=40,
        required=False,
        help_text=_("Står på kursbeviset, for eksempel KB-2026-000027."),
    )
    kontrollkode = forms.CharField(
        label=_("Kontrollkode"),
        max_length=40,
        required=False,
        help_text=_("Åtte tegn ved serienummeret på kursbeviset, for eksempel 7K3M-QX9D."),
    )

    def clean_serienummer(self) -> str:
        value = self.cleaned_data["serienummer"].strip()
        if not value:
            raise forms.ValidationError(_("Skriv serienummeret som står på kursbeviset."))
        serial = normalise_serial(value)
        if serial is None:
            raise forms.ValidationError(
                _(
                    "Serienummeret skrives som på kursbeviset: KB, årstallet og et nummer, "
                    "for eksempel KB-2026-000027."
                )
            )
        return serial

    def clean_kontrollkode(self) -> str:
        value = CHECK_CODE_SEPARATORS.sub("", self.cleaned_data["kontrollkode"]).upper()
        if not value:
            raise forms.ValidationError(
                _("Skriv også kontrollkoden. Den står ved serienummeret på kursbeviset.")
            )
        if len(value) != CHECK_CODE_LENGTH:
            raise forms.ValidationError(
                _("Kontrollkoden har %(length)s tegn, for eksempel 7K3M-QX9D. Du skrev %(count)s.")
                % {"length": CHECK_CODE_LENGTH, "count": len(value)}
            )
        if any(char not in CHECK_CODE_ALPHABET for char in value):
            raise forms.ValidationError(
                _(
                    "Kontrollkoden har bare tallene 2–9 og bokstavene A–Z uten I, L og O. "
                    "Sjekk koden på kursbeviset."
                )
            )
        return value
